package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheHttpHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code ProtocolExec.execute(request, scope, chain)}: once per attempt of a request. The request is
 * decided here when no HttpRequestRetryExec is in the chain (automatic retries disabled); each attempt gets its
 * traceparent here. The block is thrown as the {@code IOException} {@code execute} declares.
 */
public final class ApacheProtocolExecAdvice {
    private ApacheProtocolExecAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object scope)
            throws java.io.IOException {
        return ApacheHttpHooks.hopEnter(scope, null, request, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response, @Advice.Thrown Throwable thrown) {
        ApacheHttpHooks.hopExit(scope, response, thrown);
    }
}
