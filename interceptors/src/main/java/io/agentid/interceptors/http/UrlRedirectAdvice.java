package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/** {@code HttpURLConnection.followRedirect0(location, status, url)}: the current hop ended with {@code status}. */
public final class UrlRedirectAdvice {
    private UrlRedirectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object connection, @Advice.Argument(1) int status) {
        HttpHooks.urlRedirected(connection, status);
    }
}
