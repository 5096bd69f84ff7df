package io.agentid.bootstrap;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;

/**
 * The HTTP hooks advice calls, for the JDK's {@code java.net.http.HttpClient} and
 * {@code sun.net.www.protocol.http.HttpURLConnection}. Static entry points forward to the delegate the agent
 * installs; the delegate lives in the agent's class loader.
 *
 * <p>Every parameter is typed {@code Object} or a {@code java.base} type: {@code java.net.http} is defined to
 * the platform loader, which this class (on the bootstrap class path) cannot see.
 *
 * <p>Contract as in {@link JdbcHooks}: a delegate signals a deliberate block by <em>returning</em> the
 * exception (an {@link IOException}); anything it throws is a fault of ours, reported to {@link Faults}, and
 * the call proceeds.
 */
public abstract class HttpHooks {
    private static volatile HttpHooks delegate;

    protected HttpHooks() {}

    public static void install(HttpHooks hooks) {
        delegate = hooks;
    }

    // ---- java.net.http.HttpClient (jdk.internal.net.http.HttpClientImpl / MultiExchange) ----

    /**
     * {@code HttpClientImpl.sendAsync(request, ...)}, which {@code send} and every {@code sendAsync} overload
     * end in. Returns a scope for {@link #clientRequest} and {@link #exitClientSend}, or a failed
     * {@link CompletableFuture} to return instead of sending (the request is blocked), or null.
     */
    public static Object enterClientSend(Object request) {
        HttpHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            Object scope = d.clientSend(request);
            if (scope instanceof IOException) {
                return CompletableFuture.failedFuture((IOException) scope);
            }
            return scope;
        } catch (Throwable t) {
            Faults.report("http.client.enter", t);
            return null;
        }
    }

    /** The request to send in place of {@code request} (a copy carrying {@code traceparent}), or {@code request}. */
    public static Object clientRequest(Object scope, Object request) {
        HttpHooks d = delegate;
        if (d == null || scope == null) {
            return request;
        }
        try {
            Object r = d.requestToSend(scope, request);
            return r == null ? request : r;
        } catch (Throwable t) {
            Faults.report("http.client.traceparent", t);
            return request;
        }
    }

    /**
     * A {@code jdk.internal.net.http.RequestPublishers.ByteArrayPublisher} (what {@code BodyPublishers.ofString}
     * and {@code ofByteArray} make) was constructed over {@code content[offset, offset + length)}. It replays those
     * bytes to every subscriber, so they are what the request sends. Never throws.
     */
    public static void bodyPublisher(Object publisher, byte[] content, int offset, int length) {
        HttpHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.onBodyPublisher(publisher, content, offset, length);
        } catch (Throwable t) {
            Faults.report("http.client.body", t);
        }
    }

    /** {@code sendAsync} returned {@code future} (or threw {@code thrown}). */
    public static void exitClientSend(Object scope, Object future, Throwable thrown) {
        HttpHooks d = delegate;
        if (d == null || scope == null) {
            return;
        }
        try {
            d.clientSendReturned(scope, future, thrown);
        } catch (Throwable t) {
            Faults.report("http.client.exit", t);
        }
    }

    /** A {@code MultiExchange} was constructed (on the thread running {@code sendAsync}, for its request). */
    public static void exchangeCreated(Object multiExchange) {
        HttpHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.onExchange(multiExchange);
        } catch (Throwable t) {
            Faults.report("http.client.exchange", t);
        }
    }

    /**
     * {@code MultiExchange.requestFilters(request)}: the client is about to send a new request of this
     * exchange (the first, a redirect, an authentication resend; not a retry of the same request).
     * {@code previousResponse} is the response that caused it, or null. Throws the block.
     */
    public static void clientHop(Object multiExchange, Object request, Object previousResponse) throws IOException {
        HttpHooks d = delegate;
        if (d == null) {
            return;
        }
        IOException block;
        try {
            block = d.hop(multiExchange, request, previousResponse);
        } catch (Throwable t) {
            Faults.report("http.client.hop", t);
            return;
        }
        if (block != null) {
            throw block;
        }
    }

    // ---- sun.net.www.protocol.http.HttpURLConnection (http, and https through its delegate) ----

    /**
     * {@code plainConnect0()}: the connection is about to open (or be served from a response cache) for its
     * current URL; called again for each redirect hop. {@code streaming}: the body, if any, goes straight to the
     * socket (fixed-length or chunked mode) rather than being buffered until the response is asked for. Returns the {@code traceparent} value to set, or null.
     * Throws the block.
     */
    public static String urlConnect(Object connection, java.net.URL url, String method, long fixedLength,
            boolean streaming) throws IOException {
        HttpHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object r;
        try {
            r = d.connect(connection, url, method, fixedLength, streaming);
        } catch (Throwable t) {
            Faults.report("http.url.connect", t);
            return null;
        }
        if (r instanceof IOException) {
            throw (IOException) r;
        }
        return (String) r;
    }

    /** Sets a request header while the connection is between hops; never throws. */
    public static void setRequestHeader(Object connection, String name, String value) {
        try {
            ((java.net.URLConnection) connection).setRequestProperty(name, value);
        } catch (Throwable t) {
            Faults.report("http.url.traceparent", t);
        }
    }

    /** {@code followRedirect0(location, status, url)}: the current hop ended with {@code status}. */
    public static void urlRedirected(Object connection, int status) {
        HttpHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.redirected(connection, status);
        } catch (Throwable t) {
            Faults.report("http.url.redirect", t);
        }
    }

    /**
     * {@code getInputStream()} was entered. It is re-entered from inside (following a redirect reads the
     * {@code Location} header through it), so only the outermost exit ends a request. {@code body} is the
     * buffered request body, if any (the connection drops it before {@code getInputStream} returns); it has not
     * been sent yet, so a model request whose body only now can be read is decided again here. Returns the block
     * to throw (the method's body then never runs, and its exit is not reached), or null.
     */
    public static IOException urlInputEnter(Object connection, Object body) {
        HttpHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.inputEnter(connection, body);
        } catch (Throwable t) {
            Faults.report("http.url.input", t);
            return null;
        }
    }

    /**
     * The outermost {@code getInputStream()} returned {@code returned} or threw {@code thrown}: as {@link #urlDone}.
     * Returns the stream the method returns (and the connection keeps) in its place: {@code returned}, or, for a
     * model call whose JSON answer agentid read ahead for its usage, a stream of the same bytes. Never throws.
     */
    public static java.io.InputStream urlInputExit(Object connection, int status, Throwable thrown,
            java.io.InputStream returned) {
        HttpHooks d = delegate;
        if (d == null) {
            return returned;
        }
        java.io.InputStream out = returned;
        try {
            if (d.inputExit()) {
                try {
                    out = d.responseStream(connection, status, thrown, returned);
                } finally {
                    d.done(connection, status, null, thrown, true);
                }
            }
        } catch (Throwable t) {
            Faults.report("http.url.done", t);
        }
        return out == null ? returned : out;
    }

    /**
     * {@code getInputStream()} returned or threw (so did {@code getResponseCode()}, which calls it), or
     * {@code disconnect()} was called: the current hop, if any, is over. {@code body} is the buffered request
     * body stream, if any.
     */
    public static void urlDone(Object connection, int status, Object body, Throwable thrown) {
        HttpHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.done(connection, status, body, thrown, false);
        } catch (Throwable t) {
            Faults.report("http.url.done", t);
        }
    }

    protected abstract Object clientSend(Object request) throws Exception;

    protected abstract Object requestToSend(Object scope, Object request);

    protected abstract void clientSendReturned(Object scope, Object future, Throwable thrown);

    protected abstract void onExchange(Object multiExchange);

    protected abstract IOException hop(Object multiExchange, Object request, Object previousResponse);

    protected abstract void onBodyPublisher(Object publisher, byte[] content, int offset, int length);

    protected abstract Object connect(Object connection, java.net.URL url, String method, long fixedLength,
            boolean streaming);

    protected abstract void redirected(Object connection, int status);

    /**
     * The current hop is over. {@code answered}: the outermost {@code getInputStream()} returned or threw, so the
     * connection sends no further request (else: {@code disconnect()}, which a redirect also calls, or a failed
     * connect).
     */
    protected abstract void done(Object connection, int status, Object body, Throwable thrown, boolean answered);

    protected abstract IOException inputEnter(Object connection, Object body);

    /** The stream {@code getInputStream()} returns in place of {@code returned} (see {@link #urlInputExit}). */
    protected abstract java.io.InputStream responseStream(Object connection, int status, Throwable thrown,
            java.io.InputStream returned);

    /** Returns true when the outermost {@code getInputStream()} on this thread exits. */
    protected abstract boolean inputExit();
}
