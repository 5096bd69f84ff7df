package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code HttpURLConnection.getInputStream()} (also behind {@code getResponseCode()} and the header getters):
 * the response has arrived or the request failed, so the current hop is over. Only the outermost call counts:
 * following a redirect re-enters it to read the {@code Location} header. The buffered body has not been sent on
 * entry, so a model request can still be blocked there (thrown as the method's {@code IOException}). On exit, a
 * model call's JSON answer may be read ahead for its usage: the method then returns (and the connection keeps, for
 * later calls) a stream of the same bytes.
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
            @Advice.Thrown Throwable thrown,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) java.io.InputStream returned,
            @Advice.FieldValue(value = "inputStream", readOnly = false) java.io.InputStream kept) {
        java.io.InputStream replacement = HttpHooks.urlInputExit(connection, status, thrown, returned);
        if (replacement != returned) {
            if (kept == returned) {
                kept = replacement; // what a later getInputStream() returns
            }
            returned = replacement;
        }
    }
}
