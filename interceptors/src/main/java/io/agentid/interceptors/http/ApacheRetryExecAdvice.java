package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheHttpHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code HttpRequestRetryExec.execute(request, scope, chain)}: once per request of a call (it loops over the
 * retries of that request below it); where present, the request is decided here, so a block is not retried.
 * The block is thrown as the {@code IOException} {@code execute} declares.
 */
public final class ApacheRetryExecAdvice {
    private ApacheRetryExecAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) Object request, @Advice.Argument(1) Object scope)
            throws java.io.IOException {
        return ApacheHttpHooks.hopEnter(scope, null, request, true);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response, @Advice.Thrown Throwable thrown) {
        ApacheHttpHooks.hopExit(scope, response, thrown);
    }
}
