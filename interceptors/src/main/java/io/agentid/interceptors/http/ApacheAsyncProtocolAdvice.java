package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * HttpClient 5 async: {@code AsyncProtocolExec.execute(request, entityProducer, scope, chain, callback)}: once per attempt. The request is
 * decided here when the chain has no {@code AsyncHttpRequestRetryExec} (automatic retries disabled); each attempt
 * gets its traceparent here. The block is thrown as the {@code IOException}
 * {@code execute} declares.
 */
public final class ApacheAsyncProtocolAdvice {
    private ApacheAsyncProtocolAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object entityProducer,
            @Advice.Argument(2) Object scope,
            @Advice.Argument(value = 4, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object callback)
            throws java.io.IOException {
        Object ours = ApacheAsyncHooks.execEnter(request, entityProducer, scope, callback, false);
        if (ours != null) {
            callback = ours;
        }
    }
}
