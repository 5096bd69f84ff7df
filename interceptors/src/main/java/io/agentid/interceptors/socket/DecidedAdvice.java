package io.agentid.interceptors.socket;

import io.agentid.bootstrap.SocketHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code HttpURLConnection.plainConnect0()} and {@code PlainHttpConnection.connectAsync(Exchange)}: the HTTP
 * interceptor has decided the request these connect for, so the connects they make are not decided again.
 */
public final class DecidedAdvice {
    private DecidedAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter() {
        return SocketHooks.enterDecided();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
        SocketHooks.exitDecided(token);
    }
}
