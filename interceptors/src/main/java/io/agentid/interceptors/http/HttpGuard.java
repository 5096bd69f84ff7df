package io.agentid.interceptors.http;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agentid.bootstrap.Faults;
import io.agentid.bootstrap.HttpHooks;
import io.agentid.genai.CostEstimate;
import io.agentid.genai.ModelRequest;
import io.agentid.genai.ModelRequests;
import io.agentid.genai.Pricing;
import io.agentid.policy.Decision;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Decides HTTP requests of the JDK's two clients. Implementation notes.
 *
 * <p><b>What is one request.</b> Each request the client puts on the wire to a new target is decided and
 * traced on its own: the first, every redirect hop, an authentication resend. A retry of the same request
 * (the JDK client's one retry on a stale connection, a proxy failover) is not a new request and is neither
 * decided nor traced again. The hops of one call share one trace id.
 *
 * <p><b>HttpClient.</b> {@code HttpClientImpl.sendAsync} (which {@code send} and every overload reach) decides
 * the first request on the caller's thread; a denied one returns a failed future before anything is
 * scheduled (and {@code send} rethrows it as its {@code IOException}). The {@code MultiExchange} built for the
 * call is bound to it (constructed on the same thread, inside {@code sendAsync}); each later request of that
 * exchange passes {@code MultiExchange.requestFilters}, where it is decided before any connection is made.
 * A {@code MultiExchange} bound to nothing (a WebSocket opening handshake) is decided there too.
 *
 * <p><b>HttpURLConnection.</b> {@code plainConnect0} runs before the connection is opened, once per hop
 * ({@code followRedirect0} disconnects and connects again). A hop ends when the redirect is followed, when
 * {@code getInputStream} (which {@code getResponseCode} calls) returns or throws, or on {@code disconnect}.
 *
 * <p>Destination: always the request URI's host and port (a {@code Host} header is ignored by the JDK client
 * and restricted in {@code HttpURLConnection}; through a proxy, the destination is still the URI's host).
 * Calls made on agentid's own threads ({@link AgentThread}: the span exporter) are neither decided nor traced.
 *
 * <p><b>Model calls.</b> Every request is passed to {@link ModelRequests#recognise} with the body when it can be
 * seen before it is sent: for HttpClient, the bytes of a {@code BodyPublishers.ofString/ofByteArray} publisher
 * (remembered when the publisher is built, {@link BodyPublisherAdvice}); for HttpURLConnection, the buffered body,
 * which is only complete when the response is asked for, so such a request is decided once more then
 * ({@code getInputStream}, before the body is written). The parser is given the body's text in UTF-8: bytes in
 * another charset that the request's {@code Content-Type} names are decoded from it first ({@link ModelCalls#utf8});
 * the bytes sent are the application's. A model request is decided with its model and estimated
 * cost; the span carries the GenAI attributes, and the usage: for HttpClient read from a String or byte[] body, for
 * HttpURLConnection from a JSON answer of at most 1 MiB (known length or chunked) read ahead ({@link #responseStream}).
 */
final class HttpGuard extends HttpHooks {
    static final String JDK_CLIENT = "java.net.http";
    static final String URL_CONNECTION = "java.net.HttpURLConnection";
    private static final Object EXEMPT = new Object();

    private final AgentRuntime runtime;
    private final HttpDecider decider;
    private final boolean traceparent;
    private final ModelCalls.Prices prices;
    /** The bytes each live ByteArrayPublisher replays. */
    private final Cache<Object, Body> bodies = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    /** The call whose {@code sendAsync} is running on this thread, for the {@code MultiExchange} it builds. */
    private final ThreadLocal<Object> pending = new ThreadLocal<>();
    /**
     * The call each live {@code MultiExchange} belongs to, until it completes. A plain synchronized weak map: entries
     * are removed when their call ends, so it holds only the calls in flight, and a put costs no cache maintenance.
     */
    private final Map<Object, Object> exchanges = Collections.synchronizedMap(new WeakHashMap<>());
    /** The requests of each {@code HttpURLConnection} whose response has not been read yet (as {@link #exchanges}). */
    private final Map<Object, Hops> connections = Collections.synchronizedMap(new WeakHashMap<>());
    /** Nesting of {@code HttpURLConnection.getInputStream} on this thread. */
    private final ThreadLocal<int[]> inputDepth = ThreadLocal.withInitial(() -> new int[1]);

    HttpGuard(AgentRuntime runtime, boolean traceparent, ModelCalls.Prices prices) {
        this.runtime = runtime;
        this.decider = new HttpDecider(runtime, prices);
        this.traceparent = traceparent;
        this.prices = prices;
    }

    /** A request body as it will be sent: {@code bytes[off, off + len)}. */
    static final class Body implements HttpDecider.BodySource {
        final byte[] bytes;
        final int off;
        final int len;

        Body(byte[] bytes, int off, int len) {
            this.bytes = bytes;
            this.off = off;
            this.len = len;
        }

        @Override
        public Body read() {
            return this;
        }
    }

    // ---- HttpClient ----

    @Override
    protected Object clientSend(Object request) {
        if (AgentThread.current()) {
            pending.set(EXEMPT);
            return EXEMPT;
        }
        if (!(request instanceof HttpRequest)) {
            return null;
        }
        HttpRequest r = (HttpRequest) request;
        Hops hops = new Hops();
        Object block = decider.decide(hops, JDK_CLIENT, r.method(), r.uri(), bodySize(r), body(r));
        if (block != null) {
            return block;
        }
        pending.set(hops);
        return hops;
    }

    @Override
    protected Object requestToSend(Object scope, Object request) {
        if (!traceparent || !(scope instanceof Hops) || !(request instanceof HttpRequest)) {
            return request;
        }
        HttpRequest r = (HttpRequest) request;
        if (r.headers().firstValue("traceparent").isPresent()) {
            return request; // the application propagates its own context
        }
        HttpCall call = ((Hops) scope).current;
        // HttpRequest is immutable: send a copy with the header (the response's request() is that copy)
        return HttpRequest.newBuilder(r, (name, value) -> true)
                .header("traceparent", HttpDecider.traceparent(call)).build();
    }

    @Override
    protected void clientSendReturned(Object scope, Object future, Throwable thrown) {
        pending.remove();
        if (!(scope instanceof Hops)) {
            return;
        }
        Hops hops = (Hops) scope;
        if (thrown != null || !(future instanceof CompletableFuture)) {
            complete(hops, null, thrown);
            return;
        }
        ((CompletableFuture<?>) future).whenComplete((response, t) -> {
            try {
                complete(hops, response, t);
            } catch (Throwable fault) {
                Faults.report("http.client.complete", fault);
            }
        });
    }

    @Override
    protected void onExchange(Object multiExchange) {
        Object p = pending.get();
        if (p != null) {
            exchanges.put(multiExchange, p);
            if (p instanceof Hops) {
                ((Hops) p).request = multiExchange; // removed from exchanges when the call completes
            }
        }
    }

    @Override
    protected IOException hop(Object multiExchange, Object request, Object previousResponse) {
        Object bound = exchanges.get(multiExchange);
        if (bound == EXEMPT || !(request instanceof HttpRequest)) {
            return null;
        }
        HttpRequest r = (HttpRequest) request;
        if (bound == null) {
            // not from sendAsync: a WebSocket opening handshake; decided, and traced up to the decision only
            if (AgentThread.current()) {
                return null;
            }
            Hops alone = new Hops();
            IOException block = decider.decide(alone, JDK_CLIENT, r.method(), r.uri(), -1, null);
            if (block == null) {
                complete(alone, null, null);
            }
            return block;
        }
        Hops hops = (Hops) bound;
        synchronized (hops) {
            if (!hops.firstSeen) {
                hops.firstSeen = true;
                return null; // the first request, decided in sendAsync
            }
            HttpCall prev = hops.current;
            if (prev != null) {
                hops.current = null;
                prev.end(System.nanoTime(), status(previousResponse), null);
                runtime.record(prev);
            }
            return decider.decide(hops, JDK_CLIENT, r.method(), r.uri(), bodySize(r), body(r));
        }
    }

    private void complete(Hops hops, Object response, Throwable thrown) {
        HttpCall call;
        Object exchange;
        synchronized (hops) {
            call = hops.current;
            hops.current = null;
            exchange = hops.request;
            hops.request = null;
        }
        if (exchange != null) {
            exchanges.remove(exchange);
        }
        if (call == null) {
            return; // blocked (and recorded) on a redirect hop
        }
        if (response instanceof HttpResponse) {
            HttpResponse<?> rsp = (HttpResponse<?>) response;
            call.protocolVersion = rsp.version() == HttpClient.Version.HTTP_2 ? "2" : "1.1";
            if (call.modelRequest != null) {
                // a String or byte[] is the whole body the application gets (BodyHandlers.ofString/ofByteArray)
                ModelCalls.usage(call, rsp.body(), prices.get());
            }
        }
        call.end(System.nanoTime(), status(response), unwrap(thrown));
        runtime.record(call);
    }

    private static int status(Object response) {
        return response instanceof HttpResponse ? ((HttpResponse<?>) response).statusCode() : -1;
    }

    @Override
    protected void onBodyPublisher(Object publisher, byte[] content, int offset, int length) {
        if (content != null && length > 0) {
            bodies.put(publisher, new Body(content, offset, length));
        }
    }

    /**
     * Where a POST's body is read from, only if its path is a model call's: the bytes its publisher will send, when
     * agentid knows them (ofString, ofByteArray), as text in UTF-8 for the parser (decoded from the charset its
     * {@code Content-Type} names, if another: {@link ModelCalls#utf8(Body, String)}); else null.
     */
    private HttpDecider.BodySource body(HttpRequest r) {
        if (!"POST".equals(r.method())) {
            return null;
        }
        return () -> {
            HttpRequest.BodyPublisher p = r.bodyPublisher().orElse(null);
            Body b = p == null ? null : bodies.getIfPresent(p);
            return b == null ? null : ModelCalls.utf8(b, r.headers().firstValue("Content-Type").orElse(null));
        };
    }

    private static long bodySize(HttpRequest r) {
        return r.bodyPublisher().map(HttpRequest.BodyPublisher::contentLength).orElse(-1L);
    }

    private static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    // ---- HttpURLConnection ----

    @Override
    protected Object connect(Object connection, URL url, String method, long fixedLength, boolean streaming) {
        if (AgentThread.current() || url == null) {
            return null;
        }
        Hops hops = connections.computeIfAbsent(connection, k -> new Hops());
        synchronized (hops) {
            HttpCall prev = hops.current;
            if (prev != null) {
                // connecting again without a redirect (an authentication resend): the previous request is over
                hops.current = null;
                prev.end(System.nanoTime(), -1, null);
                runtime.record(prev);
            }
            // a URL keeps its parts as written (it never decodes), which is what URI's raw getters return
            String scheme = HttpDecider.lower(url.getProtocol());
            String host = url.getHost();
            int port = url.getPort() >= 0 ? url.getPort() : url.getDefaultPort();
            String rawPath = url.getPath();
            String full = HttpUrls.redact(scheme, url.getUserInfo(), host, url.getPort(), rawPath, url.getQuery());
            IOException block = decider.decide(hops, URL_CONNECTION, method == null ? "GET" : method, scheme, host, port,
                    rawPath, full, fixedLength, null);
            if (block != null) {
                return block;
            }
            if (!streaming && hops.current.modelRequest != null) {
                // the body is buffered and sent when the response is asked for: decided again then, with it
                hops.current.bodyPending = true;
            }
            if (!traceparent) {
                return null;
            }
            String existing = ((java.net.URLConnection) connection).getRequestProperty("traceparent");
            if (existing != null && !existing.equals(hops.ownTraceparent)) {
                return null; // the application propagates its own context
            }
            hops.ownTraceparent = HttpDecider.traceparent(hops.current);
            return hops.ownTraceparent;
        }
    }

    @Override
    protected void redirected(Object connection, int status) {
        Hops hops = connections.get(connection);
        if (hops == null) {
            return;
        }
        end(hops, status, null, null);
    }

    @Override
    protected IOException inputEnter(Object connection, Object body) {
        int[] depth = inputDepth.get();
        if (depth[0]++ > 0) {
            return null;
        }
        Hops hops = connections.get(connection);
        if (hops == null) {
            return null;
        }
        IOException block;
        synchronized (hops) {
            if (hops.blocked != null) {
                depth[0]--; // the method body (and its exit) will not run
                return new IOException(hops.blocked.getMessage());
            }
            HttpCall call = hops.current;
            if (call == null || !(body instanceof ByteArrayOutputStream)) {
                return null;
            }
            ByteArrayOutputStream buffered = (ByteArrayOutputStream) body;
            if (call.bodySize < 0) {
                // the buffered body is complete once the response is asked for, and sent in one piece
                call.bodySize = buffered.size();
            }
            if (!call.bodyPending) {
                return null;
            }
            call.bodyPending = false;
            block = redecide(hops, call, ModelCalls.utf8(new Body(buffered.toByteArray(), 0, buffered.size()),
                    requestType((java.net.HttpURLConnection) connection)));
            if (block == null) {
                return null;
            }
            depth[0]--;
            hops.blocked = block;
        }
        // nothing has been written: close the connection the first decision let open
        ((java.net.HttpURLConnection) connection).disconnect();
        return block;
    }

    /** The request's {@code Content-Type} (the sun implementation answers it after connecting, too), or null. */
    private static String requestType(java.net.HttpURLConnection connection) {
        try {
            return connection.getRequestProperty("Content-Type");
        } catch (RuntimeException e) {
            return null; // an implementation that refuses once connected: read as UTF-8
        }
    }

    /**
     * Decides {@code call} again now that its body is known (as text in UTF-8); on allow it replaces it as
     * {@code hops.current}.
     */
    private IOException redecide(Hops hops, HttpCall call, Body body) {
        try {
            ModelRequest mr = ModelRequests.recognise(call.method, call.host, call.path, body.bytes, body.off,
                    body.len);
            if (mr == null) {
                return null;
            }
            CostEstimate est = Pricing.estimate(mr, prices.get());
            Decision d = runtime.engine().decideHttp(runtime.agentId(), call.method, call.scheme, call.host, call.port,
                    call.path, mr.model(), est.usd());
            HttpCall again = call.redecided(d);
            again.path = call.path;
            again.modelRequest = mr;
            again.estimate = est;
            if (d.blocks()) {
                hops.current = null;
                again.finish(System.nanoTime(), null);
                runtime.record(again);
                return HttpDecider.blocked(d);
            }
            hops.current = again;
            return null;
        } catch (RuntimeException | Error e) {
            Faults.report("http.decide", e);
            return null; // the first decision (without the body) stands
        }
    }

    /**
     * A 2xx answer to a non-streamed model request whose body is one JSON document (not a stream), of known length
     * of at most {@link ModelCalls#RESPONSE_CAP} or of unknown length (chunked: read up to the cap), plain or gzip:
     * read here, at the end of the outermost {@code getInputStream()} (also behind {@code getResponseCode()}), to its
     * end, so its usage is on the span, which ends now; the application gets a stream of exactly the bytes read, then
     * the rest if the body was longer than the cap, or the same failure if the read failed ({@link BodyCopy#read}).
     * The caller waits here for the body, which it reads next anyway. Anything else: {@code returned}, untouched.
     */
    @Override
    protected java.io.InputStream responseStream(Object connection, int status, Throwable thrown,
            java.io.InputStream returned) {
        if (thrown != null || returned == null || status < 200 || status >= 300) {
            return returned;
        }
        Hops hops = connections.get(connection);
        if (hops == null) {
            return returned;
        }
        HttpCall call;
        synchronized (hops) {
            call = hops.current;
        }
        if (call == null || call.modelRequest == null || call.modelRequest.stream()) {
            return returned;
        }
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) connection;
        String type;
        long length;
        String encoding;
        int[] depth = inputDepth.get();
        depth[0]++; // the header getters call getInputStream(): not the end of a request
        try {
            type = c.getHeaderField("Content-Type");
            length = c.getContentLengthLong();
            encoding = c.getContentEncoding();
        } finally {
            depth[0]--;
        }
        boolean gzip = BodyCopy.gzip(encoding);
        if (type == null || !ModelCalls.jsonBody(type) || length > ModelCalls.RESPONSE_CAP
                || !(gzip || BodyCopy.identity(encoding))) {
            return returned;
        }
        BodyCopy copy = BodyCopy.read(returned, length);
        byte[] body = copy.decoded(gzip);
        if (body != null) {
            ModelCalls.usage(call, body, body.length, prices.get());
        }
        return copy.replay;
    }

    @Override
    protected boolean inputExit() {
        int[] d = inputDepth.get();
        if (d[0] > 0) {
            d[0]--;
        }
        return d[0] == 0;
    }

    @Override
    protected void done(Object connection, int status, Object body, Throwable thrown, boolean answered) {
        Hops hops = connections.get(connection);
        if (hops == null) {
            return;
        }
        end(hops, status, body, thrown);
        if (answered) {
            synchronized (hops) {
                if (hops.blocked != null || hops.current != null) {
                    return; // a blocked model request stays blocked when the response is asked again
                }
            }
            connections.remove(connection);
        }
    }

    private void end(Hops hops, int status, Object body, Throwable thrown) {
        HttpCall call;
        synchronized (hops) {
            call = hops.current;
            hops.current = null;
        }
        if (call == null) {
            return;
        }
        if (call.bodySize < 0 && body instanceof ByteArrayOutputStream) {
            call.bodySize = ((ByteArrayOutputStream) body).size();
        }
        call.end(System.nanoTime(), status, thrown);
        runtime.record(call);
    }
}
