package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/** {@code new jdk.internal.net.http.MultiExchange(..)}: bind the exchange to the call whose sendAsync builds it. */
public final class ExchangeCreatedAdvice {
    private ExchangeCreatedAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object exchange) {
        HttpHooks.exchangeCreated(exchange);
    }
}
