package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code HttpURLConnection.getInputStream()} (also behind {@code getResponseCode()} and the header getters):
 * the response has arrived or the request failed, so the current hop is over.
 */
public final class UrlDoneAdvice {
    private UrlDoneAdvice() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object connection, @Advice.FieldValue("responseCode") int status,
            @Advice.FieldValue("poster") Object body, @Advice.Thrown Throwable thrown) {
        HttpHooks.urlDone(connection, status, body, thrown);
    }
}
