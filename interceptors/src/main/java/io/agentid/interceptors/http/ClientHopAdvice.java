package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code jdk.internal.net.http.MultiExchange.requestFilters(request)}: runs once per new request of an exchange
 * (redirects and authentication resends, not retries), before it is sent. The block is thrown as the
 * {@code IOException} the method declares; the client fails the call's future with it.
 */
public final class ClientHopAdvice {
    private ClientHopAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.This Object exchange, @Advice.Argument(0) Object request,
            @Advice.FieldValue("response") Object previousResponse) throws java.io.IOException {
        HttpHooks.clientHop(exchange, request, previousResponse);
    }
}
