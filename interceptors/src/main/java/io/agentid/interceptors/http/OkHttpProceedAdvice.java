package io.agentid.interceptors.http;

import io.agentid.bootstrap.OkHttpHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code okhttp3.internal.http.RealInterceptorChain.proceed(Request)}: every step of OkHttp's interceptor chain.
 * The guard acts on two: index 0 (the whole call) and the step into {@code BridgeInterceptor} (one request on
 * the wire, after the application's interceptors and after each redirect is resolved). The block is thrown as
 * the {@code IOException} {@code proceed} declares; an allowed request is replaced by a copy with
 * {@code traceparent}; a response may be replaced (a model answer whose read ahead failed).
 */
public final class OkHttpProceedAdvice {
    private OkHttpProceedAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.FieldValue("call") Object call,
            @Advice.FieldValue("interceptors") java.util.List<?> interceptors, @Advice.FieldValue("index") int index,
            @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request)
            throws java.io.IOException {
        Object scope = OkHttpHooks.enter(call, interceptors, index, request);
        if (scope != null) {
            request = OkHttpHooks.request(scope, request);
        }
        return scope;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object response,
            @Advice.Thrown Throwable thrown) {
        if (scope != null) {
            response = OkHttpHooks.exit(scope, response, thrown);
        }
    }
}
