package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code HttpURLConnection.getInputStream()} (also behind {@code getResponseCode()} and the header getters):
 * the response has arrived or the request failed, so the current hop is over. Only the outermost call counts:
 * following a redirect re-enters it to read the {@code Location} header. The buffered body has not been sent on
 * entry, so a model request can still be blocked there (thrown as the method's {@code IOException}).
 */
public final class UrlDoneAdvice {
    private UrlDoneAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.This Object connection, @Advice.FieldValue("poster") Object body)
            throws java.io.IOException {
        java.io.IOException block = HttpHooks.urlInputEnter(connection, body);
        if (block != null) {
            throw block;
        }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object connection, @Advice.FieldValue("responseCode") int status,
            @Advice.Thrown Throwable thrown) {
        HttpHooks.urlInputExit(connection, status, thrown);
    }
}
