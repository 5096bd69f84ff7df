package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/** HttpAsyncClient 4: {@code MainClientExec.responseCompleted(state, handler)}: the exchange's last response was consumed. */
public final class Apache4CompletedAdvice {
    private Apache4CompletedAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) Object state, @Advice.Argument(1) Object handler,
            @Advice.Thrown Throwable thrown) {
        if (thrown == null) {
            ApacheAsyncHooks.completed4(state, handler);
        }
    }
}
