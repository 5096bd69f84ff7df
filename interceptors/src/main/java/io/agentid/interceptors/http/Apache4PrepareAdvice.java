package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/**
 * HttpAsyncClient 4: {@code MainClientExec.prepareRequest(state, handler)}, once per request of an exchange (the first
 * from {@code prepare}, each redirect hop from {@code responseCompleted}), before its connection is asked for. The
 * request is decided here. The first request's block is thrown as the {@code IOException} it declares (the client
 * fails the exchange with it); a redirect hop's is handed to the exchange's {@code failed}, and the hop is not
 * prepared (the handler then sees its future done and closes instead of connecting).
 */
public final class Apache4PrepareAdvice {
    private Apache4PrepareAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static boolean enter(@Advice.Argument(0) Object state, @Advice.Argument(1) Object handler)
            throws java.io.IOException {
        return ApacheAsyncHooks.prepare4(state, handler);
    }
}
