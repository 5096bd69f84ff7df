package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheHttpHooks;
import net.bytebuddy.asm.Advice;

/** {@code InternalHttpClient.doExecute(target, request, context)}: one call, on the caller's thread. */
public final class ApacheCallAdvice {
    private ApacheCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
        return ApacheHttpHooks.callEnter();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
        ApacheHttpHooks.callExit(scope, thrown);
    }
}
