package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/** HttpCore NIO 4's {@code SessionRequestImpl(remoteAddress, ...)}: a connection the I/O reactor is asked to open. */
public final class Apache4SessionRequestAdvice {
    private Apache4SessionRequestAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) Object remoteAddress) {
        ApacheAsyncHooks.sessionRequested4(remoteAddress);
    }
}
