package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/** {@code HttpURLConnection.disconnect()}: a hop whose response was never read ends here. */
public final class UrlDisconnectAdvice {
    private UrlDisconnectAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object connection, @Advice.FieldValue("responseCode") int status,
            @Advice.FieldValue("poster") Object body) {
        HttpHooks.urlDone(connection, status, body, null);
    }
}
