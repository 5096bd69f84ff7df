package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/**
 * HttpAsyncClient 4: {@code AbstractClientExchangeHandler.cancel()} (what {@code future.cancel} calls): the exchange
 * is cancelled. HttpAsyncClient reports that to nothing we see (its {@code failed} comes later, if at all, from the
 * I/O reactor when the discarded connection closes), so the span ends here.
 */
public final class Apache4CancelAdvice {
    private Apache4CancelAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object handler) {
        ApacheAsyncHooks.cancelled4(handler);
    }
}
