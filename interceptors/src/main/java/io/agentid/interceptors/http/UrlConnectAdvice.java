package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code sun.net.www.protocol.http.HttpURLConnection.plainConnect0()}: before the connection to the current URL
 * opens (once per hop). The block is thrown as the method's {@code IOException}; an allowed request gets its
 * {@code traceparent} (set while {@code connecting} is briefly cleared: the public setter refuses once a
 * connection has started, and nothing has been written yet).
 */
public final class UrlConnectAdvice {
    private UrlConnectAdvice() {}

    @Advice.OnMethodEnter
    public static void enter(@Advice.This Object connection, @Advice.FieldValue("url") java.net.URL url,
            @Advice.FieldValue("method") String method, @Advice.FieldValue("fixedContentLength") int fixed,
            @Advice.FieldValue("fixedContentLengthLong") long fixedLong, @Advice.FieldValue("chunkLength") int chunk,
            @Advice.FieldValue(value = "connecting", readOnly = false) boolean connecting) throws java.io.IOException {
        String traceparent = HttpHooks.urlConnect(connection, url, method, fixedLong >= 0 ? fixedLong : fixed,
                fixedLong >= 0 || fixed >= 0 || chunk > 0);
        if (traceparent != null) {
            boolean was = connecting;
            connecting = false;
            HttpHooks.setRequestHeader(connection, "traceparent", traceparent);
            connecting = was;
        }
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object connection, @Advice.Thrown Throwable thrown) {
        if (thrown != null) {
            HttpHooks.urlDone(connection, -1, null, thrown);
        }
    }
}
