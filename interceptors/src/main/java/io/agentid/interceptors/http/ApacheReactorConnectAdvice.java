package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/**
 * HttpCore 5's {@code SingleCoreIOReactor.processConnectionRequest(channel, sessionRequest)}, on the I/O reactor's
 * thread: the connect for a request the interceptor decided is not decided again by the backstop.
 */
public final class ApacheReactorConnectAdvice {
    private ApacheReactorConnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) Object sessionRequest) {
        return ApacheAsyncHooks.reactorConnectEnter(sessionRequest);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
        ApacheAsyncHooks.reactorConnectExit(token);
    }
}
