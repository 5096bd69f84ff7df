package io.agentid.interceptors.http;

import io.agentid.bootstrap.OkHttpHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

/**
 * Decides OkHttp's requests (OkHttp 4 and 5, {@code execute} and {@code enqueue}). Implementation notes.
 *
 * <p>OkHttp runs every call through one interceptor chain, {@code RealInterceptorChain}: the application's
 * interceptors, {@code RetryAndFollowUpInterceptor} (which loops over retries and follow-ups: redirects,
 * authentication), {@code BridgeInterceptor}, the cache, {@code ConnectInterceptor}, the network interceptors,
 * {@code CallServerInterceptor}. Each step is a {@code proceed(request)} on the chain at some index.
 *
 * <p><b>One request.</b> The step into {@code BridgeInterceptor} runs once per attempt of a request, after the
 * application's interceptors changed it and after a redirect was resolved, and before any connection: it is
 * decided there, and blocked by throwing the {@code IOException} {@code proceed} declares (which
 * {@code RetryAndFollowUpInterceptor} does not retry, as nothing failed on a connection; if it did, the same
 * request is blocked again). A new request object (a follow-up) is a new request; the same object again is a
 * retry of the same request, neither decided nor traced again. The hops of one call share one trace id.
 *
 * <p><b>Span end.</b> When {@code BridgeInterceptor} returns the response (its headers have arrived; the body is
 * read later by the application). An attempt that failed stays open: it ends when it is retried and answered,
 * when the next request of the call starts, or when the whole call (the step at index 0) ends. A 2xx answer to a
 * model request whose body is read ahead ends when that read does: on the response's way out of
 * {@code RealCall.getResponseWithInterceptorChain}, after OkHttp's check for a cancel ({@link #chainDone}).
 *
 * <p>Destination: the request's {@code HttpUrl}, which is what OkHttp connects to (through a proxy, too); a
 * {@code Host} header does not change it, and network interceptors may not change host or port. OkHttp's
 * classes belong to the application's loader, so they are reached by reflection on their public API, looked up
 * once per class.
 *
 * <p><b>Model calls.</b> For a request whose path is a model call's, a replayable body (known length, not one-shot
 * or duplex) is written into an okio {@code Buffer} and priced before the decision, from its text in the charset its
 * media type names ({@link RequestApi#modelBody}); a 2xx JSON answer of at most 1 MiB (known length, or chunked) is
 * copied with {@code peekBody} for its usage ({@link ResponseApi#peekModelBody}). The copy is made once
 * {@code getResponseWithInterceptorChain} has run the chain and checked for a cancel, not when
 * {@code BridgeInterceptor} returns: inside the chain, a call timeout that fired while the body was read would cancel
 * the call, and OkHttp would then throw from {@code execute()} ({@code InterruptedIOException: timeout}, caused by
 * {@code IOException: Canceled}) rather than hand the application a response whose body's read fails. Where that
 * method is not seen (a chain run otherwise), the copy is made at the step.
 */
final class OkHttpGuard extends OkHttpHooks {
    static final String CLIENT = "okhttp";
    private static final String BRIDGE = "okhttp3.internal.http.BridgeInterceptor";
    private static final ClassValue<RequestApi> REQUESTS = new ClassValue<>() {
        @Override
        protected RequestApi computeValue(Class<?> type) {
            return new RequestApi(type);
        }
    };
    private static final ClassValue<ResponseApi> RESPONSES = new ClassValue<>() {
        @Override
        protected ResponseApi computeValue(Class<?> type) {
            return new ResponseApi(type);
        }
    };

    private final AgentRuntime runtime;
    private final HttpDecider decider;
    private final boolean traceparent;
    private final ModelCalls.Prices prices;
    /** The whole calls running on this thread, innermost first (OkHttp runs a call's chain on one thread). */
    private final ThreadLocal<WholeCall> calls = new ThreadLocal<>();
    /** The {@code getResponseWithInterceptorChain} running on this thread, innermost first. */
    private final ThreadLocal<Chain> chains = new ThreadLocal<>();

    OkHttpGuard(AgentRuntime runtime, boolean traceparent, ModelCalls.Prices prices) {
        this.runtime = runtime;
        this.decider = new HttpDecider(runtime, prices);
        this.traceparent = traceparent;
        this.prices = prices;
    }

    /** The scope of a whole call: the chain's step at index 0; {@code outer}, the call it runs inside of. */
    private static final class WholeCall {
        final Object call;
        final Hops hops = new Hops();
        final WholeCall outer;

        WholeCall(Object call, WholeCall outer) {
            this.call = call;
            this.outer = outer;
        }
    }

    /**
     * A call's {@code getResponseWithInterceptorChain} on this thread: its requests ({@code hops}, once its chain's
     * first step has run) and the model answer whose read ahead waits for the chain to be done ({@code pending}, with
     * the status it was answered with); {@code outer}, the one it runs inside of.
     */
    private static final class Chain {
        final Object call;
        final Chain outer;
        Hops hops;
        HttpCall pending;
        int pendingCode;

        Chain(Object call, Chain outer) {
            this.call = call;
            this.outer = outer;
        }
    }

    /** The {@code getResponseWithInterceptorChain} on this thread whose call's requests are {@code hops}, or null. */
    private Chain chainOf(Hops hops) {
        for (Chain c = chains.get(); c != null; c = c.outer) {
            if (c.hops == hops) {
                return c;
            }
        }
        return null;
    }

    @Override
    protected Object chainStart(Object call) {
        if (call == null || AgentThread.current()) {
            return null;
        }
        Chain chain = new Chain(call, chains.get());
        chains.set(chain);
        return chain;
    }

    /**
     * The chain has returned {@code response} (or thrown) and OkHttp has checked for a cancel and ended the call's
     * exchanges: a model answer left for here is read ahead now ({@link #readAhead}), from the response the
     * application gets, and its span ends. A call timeout that fires during the read then makes the read fail as the
     * application's own would (OkHttp's {@code InterruptedIOException: timeout}), and that is what the application's
     * read of the body gets, as without the agent. If the chain threw after the answer came (a cancel, an application
     * interceptor's failure), the span ends as the answer's, unread.
     */
    @Override
    protected Object chainDone(Object scope, Object response, Throwable thrown) {
        Chain chain = (Chain) scope;
        if (chain.outer == null) {
            chains.remove();
        } else {
            chains.set(chain.outer);
        }
        HttpCall call = chain.pending;
        chain.pending = null;
        if (call == null) {
            return null;
        }
        Object replaced = null;
        try {
            if (response != null && thrown == null) {
                replaced = readAhead(call, response);
            }
        } finally {
            call.end(System.nanoTime(), chain.pendingCode, null);
            runtime.record(call);
        }
        return replaced;
    }

    /** Ends a model answer left for the chain's end that will not be read there (the call went on past it). */
    private void endPending(Chain chain) {
        HttpCall call = chain.pending;
        if (call != null) {
            chain.pending = null;
            call.end(System.nanoTime(), chain.pendingCode, null);
            runtime.record(call);
        }
    }

    /**
     * Reads a model answer's body ahead for {@code call}'s usage ({@link ResponseApi#peekModelBody}). Returns the
     * response to give in place of {@code response} (one whose body replays what came, then the read's failure), or
     * null to leave it.
     */
    private Object readAhead(HttpCall call, Object response) {
        ResponseApi api = RESPONSES.get(response.getClass());
        Object peeked = api.peekModelBody(response);
        if (peeked instanceof byte[]) {
            byte[] body = (byte[]) peeked;
            ModelCalls.usage(call, body, body.length, prices.get());
        } else if (peeked instanceof IOException) {
            return api.failingAfterBuffered(response, (IOException) peeked);
        }
        return null;
    }

    @Override
    protected Object proceed(Object call, List<?> interceptors, int index, Object request) throws Exception {
        if (call == null || request == null || AgentThread.current()) {
            return null;
        }
        if (index == 0) {
            WholeCall whole = new WholeCall(call, calls.get());
            calls.set(whole);
            Chain chain = chains.get();
            if (chain != null && chain.call == call && chain.hops == null) {
                chain.hops = whole.hops;
            }
            return whole;
        }
        if (index >= interceptors.size() || !interceptors.get(index).getClass().getName().equals(BRIDGE)) {
            return null;
        }
        Hops hops = null;
        for (WholeCall w = calls.get(); w != null && hops == null; w = w.outer) {
            if (w.call == call) {
                hops = w.hops;
            }
        }
        if (hops == null) {
            hops = new Hops(); // a chain run without its call's first step: each request on its own
        }
        Chain chain = chainOf(hops);
        if (chain != null && chain.pending != null) {
            endPending(chain); // an application interceptor asks again after a model answer: that answer is over
        }
        synchronized (hops) {
            if (request == hops.request) {
                if (hops.blockedMessage != null) {
                    return new IOException(hops.blockedMessage);
                }
                if (hops.current != null) {
                    hops.failure = null;
                    return hops; // a retry of the request on the wire: same decision, same span
                }
            }
            HttpCall prev = hops.current;
            if (prev != null) {
                hops.current = null;
                prev.end(System.nanoTime(), -1, hops.failure);
                runtime.record(prev);
            }
            hops.failure = null;
            hops.blockedMessage = null;
            hops.request = request;
            RequestApi api = REQUESTS.get(request.getClass());
            IOException block = decider.decide(hops, CLIENT, api.method(request), api.uri(request),
                    api.bodySize(request), () -> api.modelBody(request));
            if (block != null) {
                hops.blockedMessage = block.getMessage();
                return block;
            }
            return hops;
        }
    }

    @Override
    protected Object requestToSend(Object scope, Object request) throws Exception {
        if (!traceparent || !(scope instanceof Hops)) {
            return request;
        }
        Hops hops = (Hops) scope;
        RequestApi api = REQUESTS.get(request.getClass());
        synchronized (hops) {
            if (hops.current == null) {
                return request;
            }
            String existing = api.header(request, "traceparent");
            if (existing != null && !existing.equals(hops.ownTraceparent)) {
                return request; // the application propagates its own context
            }
            // a follow-up is built from the response's request, which carries the previous hop's header
            hops.ownTraceparent = HttpDecider.traceparent(hops.current);
            return api.withHeader(request, "traceparent", hops.ownTraceparent);
        }
    }

    @Override
    protected Object proceeded(Object scope, Object response, Throwable thrown) {
        if (scope instanceof WholeCall) {
            WholeCall whole = (WholeCall) scope;
            if (whole.outer == null) {
                calls.remove();
            } else {
                calls.set(whole.outer);
            }
            HttpCall call;
            Throwable failure;
            synchronized (whole.hops) {
                call = whole.hops.current;
                failure = whole.hops.failure;
                whole.hops.current = null;
            }
            if (call != null) {
                call.end(System.nanoTime(), -1, failure != null ? failure : thrown);
                runtime.record(call);
            }
            return null;
        }
        Hops hops = (Hops) scope;
        HttpCall call;
        synchronized (hops) {
            if (response == null) {
                hops.failure = thrown; // the client may retry it
                return null;
            }
            call = hops.current;
            hops.current = null;
        }
        if (call == null) {
            return null;
        }
        ResponseApi api = RESPONSES.get(response.getClass());
        call.protocolVersion = api.protocolVersion(response);
        int code = api.code(response);
        Object replaced = null;
        if (call.modelRequest != null && code >= 200 && code < 300 && !call.modelRequest.stream()) {
            Chain chain = chainOf(hops);
            if (chain != null) {
                endPending(chain);
                chain.pending = call; // read ahead once the chain is done with ({@link #chainDone})
                chain.pendingCode = code;
                return null;
            }
            replaced = readAhead(call, response);
        }
        call.end(System.nanoTime(), code, null);
        runtime.record(call);
        return replaced;
    }

    /** The public API of {@code okhttp3.Request} that the guard uses (the same in OkHttp 4 and 5). */
    private static final class RequestApi {
        final Method url;
        final Method uri;
        final Method method;
        final Method body;
        final Method contentLength;
        final Method header;
        final Method newBuilder;
        final Method builderHeader;
        final Method build;
        /** {@code RequestBody.isOneShot()}, {@code isDuplex()}, {@code writeTo(BufferedSink)}; {@code okio.Buffer}. */
        final Method isOneShot;
        final Method isDuplex;
        final Method writeTo;
        final java.lang.reflect.Constructor<?> newBuffer;
        final Method readByteArray;
        /** {@code RequestBody.contentType()}: the {@code MediaType} whose charset the body is in. */
        final Method contentType;

        RequestApi(Class<?> request) {
            try {
                url = request.getMethod("url");
                uri = url.getReturnType().getMethod("uri");
                method = request.getMethod("method");
                body = request.getMethod("body");
                contentLength = body.getReturnType().getMethod("contentLength");
                header = request.getMethod("header", String.class);
                newBuilder = request.getMethod("newBuilder");
                builderHeader = newBuilder.getReturnType().getMethod("header", String.class, String.class);
                build = newBuilder.getReturnType().getMethod("build");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("not an OkHttp request this agent knows: " + request, e);
            }
            Method oneShot = null;
            Method duplex = null;
            Method write = null;
            java.lang.reflect.Constructor<?> buffer = null;
            Method read = null;
            Method type = null;
            try {
                Class<?> requestBody = body.getReturnType();
                type = requestBody.getMethod("contentType");
                ClassLoader loader = requestBody.getClassLoader();
                Class<?> sink = Class.forName("okio.BufferedSink", false, loader);
                Class<?> okioBuffer = Class.forName("okio.Buffer", false, loader);
                oneShot = requestBody.getMethod("isOneShot");
                duplex = requestBody.getMethod("isDuplex");
                write = requestBody.getMethod("writeTo", sink);
                buffer = okioBuffer.getConstructor();
                read = okioBuffer.getMethod("readByteArray");
            } catch (ReflectiveOperationException | LinkageError e) {
                // an OkHttp without them (3.x): model requests are decided on their path only
                write = null;
            }
            contentType = type;
            isOneShot = oneShot;
            isDuplex = duplex;
            writeTo = write;
            newBuffer = buffer;
            readByteArray = read;
            Accessors.unchecked(url, uri, method, body, contentLength, header, newBuilder, builderHeader, build,
                    contentType, isOneShot, isDuplex, writeTo, newBuffer, readByteArray);
        }

        /**
         * The bytes a model request's body will send, when they can be had without consuming anything: a body of
         * known length of at most {@link ModelCalls#REQUEST_CAP} that is neither one-shot nor duplex, which OkHttp's
         * contract lets be written more than once ({@code RequestBody.create} of a string, bytes, a file, and
         * Retrofit's/the SDKs' JSON bodies), written here into an okio {@code Buffer} in the application's loader.
         * Else (streamed, one-shot, duplex, unknown length, too large, or writing failed) null. What is returned is
         * the body's text in UTF-8, which the model-request parser reads: the bytes as written, decoded first from
         * the charset the body's {@code contentType()} (else the request's {@code Content-Type}) names, if another
         * ({@code RequestBody.create(String, MediaType)} encodes in that charset); the bytes sent are untouched.
         */
        HttpGuard.Body modelBody(Object request) {
            if (writeTo == null) {
                return null;
            }
            try {
                Object b = body.invoke(request);
                if (b == null || (Boolean) isOneShot.invoke(b) || (Boolean) isDuplex.invoke(b)) {
                    return null;
                }
                long length = (Long) contentLength.invoke(b);
                if (length < 0 || length > ModelCalls.REQUEST_CAP) {
                    return null;
                }
                Object buffer = newBuffer.newInstance();
                writeTo.invoke(b, buffer);
                byte[] bytes = (byte[]) readByteArray.invoke(buffer);
                if (bytes.length != length) {
                    return null;
                }
                Object mediaType = contentType.invoke(b);
                String type = mediaType != null ? mediaType.toString() : header(request, "Content-Type");
                HttpGuard.Body text = ModelCalls.utf8(new HttpGuard.Body(bytes, 0, bytes.length), type);
                return text.len > ModelCalls.REQUEST_CAP ? null : text;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // contentLength() or writeTo() threw (an IOException of the body's own): not known
            }
        }

        /**
         * The request's URL as a {@link URI}. {@code HttpUrl.uri()} re-encodes every part first (~10 µs a request);
         * {@code HttpUrl.toString()} is already canonical and almost always a valid URI as it is, so it is tried
         * first, and {@code uri()} only for what {@code java.net.URI} refuses ({@code |}, {@code ^} in a path).
         */
        URI uri(Object request) throws ReflectiveOperationException {
            Object u = url.invoke(request);
            try {
                return new URI(u.toString());
            } catch (URISyntaxException e) {
                return (URI) uri.invoke(u);
            }
        }

        String method(Object request) throws ReflectiveOperationException {
            return (String) method.invoke(request);
        }

        long bodySize(Object request) throws ReflectiveOperationException {
            Object b = body.invoke(request);
            if (b == null) {
                return -1;
            }
            try {
                return (Long) contentLength.invoke(b);
            } catch (InvocationTargetException e) {
                return -1; // contentLength() may throw IOException: not known
            }
        }

        String header(Object request, String name) throws ReflectiveOperationException {
            return (String) header.invoke(request, name);
        }

        Object withHeader(Object request, String name, String value) throws ReflectiveOperationException {
            return build.invoke(builderHeader.invoke(newBuilder.invoke(request), name, value));
        }
    }

    /** The public API of {@code okhttp3.Response} that the guard uses. */
    private static final class ResponseApi {
        final Method code;
        final Method protocol;
        final Method header;
        final Method body;
        final Method contentLength;
        final Method networkResponse;
        final Method peekBody;
        final Method bytes;
        // what a failed read ahead needs to give the application its failure; null where this version lacks them
        final Method source;
        final Method contentType;
        final Method buffer;
        final Method bufferRead;
        final Class<?> okioSource;
        final Method okioBuffer;
        final Method createBody;
        final Method newBuilder;
        final Method builderBody;
        final Method build;

        ResponseApi(Class<?> response) {
            try {
                code = response.getMethod("code");
                protocol = response.getMethod("protocol");
                header = response.getMethod("header", String.class);
                body = response.getMethod("body");
                contentLength = body.getReturnType().getMethod("contentLength");
                networkResponse = response.getMethod("networkResponse");
                peekBody = response.getMethod("peekBody", long.class);
                bytes = peekBody.getReturnType().getMethod("bytes");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("not an OkHttp response this agent knows: " + response, e);
            }
            Method[] m = new Method[9];
            Class<?> src = null;
            try {
                Class<?> responseBody = body.getReturnType();
                m[0] = responseBody.getMethod("source");
                m[1] = responseBody.getMethod("contentType");
                Class<?> bufferedSource = m[0].getReturnType();
                m[2] = bufferedSource.getMethod("getBuffer");
                ClassLoader loader = bufferedSource.getClassLoader();
                src = Class.forName("okio.Source", false, loader);
                m[3] = m[2].getReturnType().getMethod("read", m[2].getReturnType(), long.class);
                m[4] = Class.forName("okio.Okio", false, loader).getMethod("buffer", src);
                m[5] = responseBody.getMethod("create", bufferedSource, m[1].getReturnType(), long.class);
                m[6] = response.getMethod("newBuilder");
                m[7] = m[6].getReturnType().getMethod("body", responseBody);
                m[8] = m[6].getReturnType().getMethod("build");
            } catch (ReflectiveOperationException | LinkageError e) {
                m = new Method[9];
                src = null;
            }
            source = m[0];
            contentType = m[1];
            buffer = m[2];
            bufferRead = m[3];
            okioSource = src;
            okioBuffer = m[4];
            createBody = m[5];
            newBuilder = m[6];
            builderBody = m[7];
            build = m[8];
            Accessors.unchecked(code, protocol, header, body, contentLength, networkResponse, peekBody, bytes);
            Accessors.unchecked(m);
        }

        /**
         * After a read ahead that failed with {@code failure} (a read timeout, the connection broken off): a copy of
         * {@code response} whose body gives the application the bytes that came (they wait in the body source's
         * buffer) and then {@code failure} itself, on every read past them, as the application's own read would have
         * failed; closing it closes the original body. Without it the application's read would fail differently:
         * OkHttp has released the failed exchange and its connection, so the next read of the socket finds it
         * closed ({@code SocketException: Socket closed} after a read timeout). Null when this OkHttp lacks what is
         * needed (the response is then left as it is).
         */
        Object failingAfterBuffered(Object response, IOException failure) {
            if (build == null) {
                return null;
            }
            try {
                Object original = body.invoke(response);
                Object originalSource = source.invoke(original);
                Object buffered = buffer.invoke(originalSource);
                Object replay = java.lang.reflect.Proxy.newProxyInstance(okioSource.getClassLoader(),
                        new Class<?>[] {okioSource}, (proxy, method, args) -> {
                            try {
                                switch (method.getName()) {
                                    case "read":
                                        if ((Long) args[1] == 0) {
                                            return 0L;
                                        }
                                        long n = (Long) bufferRead.invoke(buffered, args[0], args[1]);
                                        if (n > 0) {
                                            return n;
                                        }
                                        throw failure;
                                    case "timeout":
                                    case "close":
                                        return method.invoke(originalSource);
                                    default:
                                        return Proxies.objectMethod(proxy, method, args, originalSource);
                                }
                            } catch (InvocationTargetException e) {
                                throw e.getCause(); // the original source's own (close: an IOException)
                            }
                        });
                Object replacement = createBody.invoke(null, okioBuffer.invoke(null, replay),
                        contentType.invoke(original), contentLength.invoke(original));
                return build.invoke(builderBody.invoke(newBuilder.invoke(response), replacement));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        /**
         * A copy of a model response's body for its usage, read without consuming it ({@code Response.peekBody}: the
         * bytes stay in the source's buffer, and the application reads all of them), or null. Only a JSON body
         * (not {@code text/event-stream}, not NDJSON; the caller has ruled out {@code stream: true} requests) whose
         * length on the wire is at most {@link ModelCalls#RESPONSE_CAP} or unknown (chunked). The peek reads at
         * most the cap + 1 decoded bytes and waits for the body's end, which the application is about to read
         * anyway; a body that did not end within the cap gives no copy (its prefix stays buffered for the
         * application, the rest on the wire). A body OkHttp decompresses (it asked for gzip itself) has no length
         * of its own: the network response's {@code Content-Length}, if any, bounds it, and the decoded copy must
         * fit the cap too. If the body fails to arrive, the bytes that did stay buffered and the failure is
         * returned, for {@link #failingAfterBuffered}.
         *
         * @return the copy ({@code byte[]}), the {@code IOException} the peek failed with, or null
         */
        Object peekModelBody(Object response) {
            try {
                String type = (String) header.invoke(response, "Content-Type");
                if (type == null || !ModelCalls.jsonBody(type)) {
                    return null;
                }
                Object b = body.invoke(response);
                if (b == null) {
                    return null;
                }
                long length = (Long) contentLength.invoke(b);
                if (length < 0) {
                    Object network = networkResponse.invoke(response);
                    String wire = network == null ? null : (String) header.invoke(network, "Content-Length");
                    length = wire == null ? -1 : Long.parseLong(wire.trim());
                }
                if (length > ModelCalls.RESPONSE_CAP) {
                    return null;
                }
                // known length, or unknown (chunked): at most the cap + 1 decoded bytes; fewer means it ended
                byte[] copy = (byte[]) bytes.invoke(peekBody.invoke(response, (long) ModelCalls.RESPONSE_CAP + 1));
                return copy.length <= ModelCalls.RESPONSE_CAP ? copy : null;
            } catch (InvocationTargetException e) {
                // the body failed to arrive: the application sees that when it reads it
                return e.getCause() instanceof IOException ? e.getCause() : null;
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }

        int code(Object response) {
            try {
                return (Integer) code.invoke(response);
            } catch (ReflectiveOperationException e) {
                return -1;
            }
        }

        /** {@code http/1.1} → {@code 1.1}, {@code h2} (and {@code h2_prior_knowledge}) → {@code 2}. */
        String protocolVersion(Object response) {
            try {
                String p = String.valueOf(protocol.invoke(response));
                if (p.startsWith("http/")) {
                    return p.substring(5);
                }
                return p.startsWith("h2") ? "2" : p.startsWith("h3") || p.equals("quic") ? "3" : null;
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }
}
