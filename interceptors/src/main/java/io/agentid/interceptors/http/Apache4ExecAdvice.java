package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheHttpHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * HttpClient 4: {@code ProtocolExec.execute(route, request, context, execAware)} (once per attempt) and
 * {@code RetryExec.execute} (once per request, retrying it below), as {@link ApacheRetryExecAdvice} and
 * {@link ApacheProtocolExecAdvice} for 5. The request wrapper is the request's identity: {@code RetryExec}
 * retries the same one, {@code RedirectExec} wraps each hop anew. The guard tells the two elements apart by
 * nesting, so one advice serves both.
 */
public final class Apache4ExecAdvice {
    private Apache4ExecAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.Argument(0) Object route, @Advice.Argument(1) Object request)
            throws java.io.IOException {
        return ApacheHttpHooks.hopEnter(request, route, request, false);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope,
            @Advice.Return(typing = Assigner.Typing.DYNAMIC) Object response, @Advice.Thrown Throwable thrown) {
        ApacheHttpHooks.hopExit(scope, response, thrown);
    }
}
