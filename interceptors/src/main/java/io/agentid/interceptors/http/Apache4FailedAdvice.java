package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/** HttpAsyncClient 4: {@code AbstractClientExchangeHandler.failed(cause)}: the exchange failed. */
public final class Apache4FailedAdvice {
    private Apache4FailedAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object handler, @Advice.Argument(0) Throwable cause) {
        ApacheAsyncHooks.failed4(handler, cause);
    }
}
