package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/**
 * HttpAsyncClient 4: {@code DefaultClientExchangeHandlerImpl.responseCompleted()}, on its way out: after a final
 * response the application's future is complete by then, so its span ends off the application's path.
 */
public final class Apache4ExchangeDoneAdvice {
    private Apache4ExchangeDoneAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object handler) {
        ApacheAsyncHooks.exchangeDone4(handler);
    }
}
