package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code HttpURLConnection.getInputStream()} (also behind {@code getResponseCode()} and the header getters):
 * the response has arrived or the request failed, so the current hop is over. Only the outermost call counts:
 * following a redirect re-enters it to read the {@code Location} header.
 */
public final class UrlDoneAdvice {
    private UrlDoneAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object connection, @Advice.FieldValue("poster") Object body) {
        HttpHooks.urlInputEnter(connection, body);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object connection, @Advice.FieldValue("responseCode") int status,
            @Advice.Thrown Throwable thrown) {
        HttpHooks.urlInputExit(connection, status, thrown);
    }
}
