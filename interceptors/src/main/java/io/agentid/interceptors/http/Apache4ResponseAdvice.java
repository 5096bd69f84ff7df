package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/** HttpAsyncClient 4: {@code MainClientExec.responseReceived(response, state, handler)}: the status of the request. */
public final class Apache4ResponseAdvice {
    private Apache4ResponseAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.Argument(0) Object response, @Advice.Argument(2) Object handler) {
        ApacheAsyncHooks.response4(handler, response);
    }
}
