package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * HttpClient 5 async: {@code AsyncHttpRequestRetryExec.execute(request, entityProducer, scope, chain, callback)}: once per request of an
 * exchange, and again (with our callback) per retry of it. The request is decided here, so a block is not retried;
 * allowed, it runs with a callback of ours that ends its span. The block is thrown as the {@code IOException}
 * {@code execute} declares.
 */
public final class ApacheAsyncRetryAdvice {
    private ApacheAsyncRetryAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object entityProducer,
            @Advice.Argument(2) Object scope,
            @Advice.Argument(value = 4, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object callback)
            throws java.io.IOException {
        Object ours = ApacheAsyncHooks.execEnter(request, entityProducer, scope, callback, true);
        if (ours != null) {
            callback = ours;
        }
    }
}
