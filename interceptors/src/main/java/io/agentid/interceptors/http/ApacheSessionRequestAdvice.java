package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/** HttpCore 5's {@code IOSessionRequest} constructors: a connection the I/O reactor is asked to open. */
public final class ApacheSessionRequestAdvice {
    private ApacheSessionRequestAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object self) {
        ApacheAsyncHooks.sessionRequested(self);
    }
}
