package io.agentid.interceptors.http;

import io.agentid.bootstrap.OkHttpHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code okhttp3.internal.connection.RealCall.getResponseWithInterceptorChain$okhttp()} (OkHttp 4 and 5): a call's
 * whole interceptor chain, then OkHttp's check for a cancel (a call timeout that fired), then the end of its
 * exchanges; what it returns goes to {@code execute()}'s caller or the callback. A model answer is read ahead on its
 * way out, after that check, so that a call timeout firing during the read fails the body's read as it would without
 * the agent, not the call; the response may be replaced (a read ahead that failed).
 */
public final class OkHttpChainAdvice {
    private OkHttpChainAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object call) {
        return OkHttpHooks.chainEnter(call);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
            @Advice.Thrown Throwable thrown) {
        if (scope != null) {
            response = OkHttpHooks.chainExit(scope, response, thrown);
        }
    }
}
