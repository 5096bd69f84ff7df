package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheHttpHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import java.io.IOException;
import java.lang.reflect.Method;

/**
 * Decides Apache HttpClient 5 and 4 classic's requests. Implementation notes (for 5; 4 has the same shape:
 * {@code RedirectExec}, {@code RetryExec}, {@code ProtocolExec}, {@code MainClientExec}, and the request
 * wrapper, which {@code RetryExec} reuses and {@code RedirectExec} makes anew per hop, stands for the scope).
 *
 * <p>{@code InternalHttpClient.doExecute} (which every {@code execute} overload of the classic client reaches)
 * runs the call on the caller's thread through an exec chain: {@code RedirectExec} (a new
 * {@code ExecChain.Scope}, with its own route, per redirect hop), {@code ContentCompressionExec},
 * {@code HttpRequestRetryExec} (retries the same scope), {@code ProtocolExec} (mandatory; authentication
 * resends loop inside it), {@code ConnectExec}, {@code MainClientExec}. Only {@code ProtocolExec} is always
 * there (redirects and retries can be disabled).
 *
 * <p><b>One request</b> is one {@code Scope}: decided at the outermost of {@code HttpRequestRetryExec} and
 * {@code ProtocolExec} that sees it, so a block is never retried, and traced from there (one span covers the
 * retries of that request). Each attempt that reaches {@code ProtocolExec} gets the {@code traceparent} (a retry
 * is a fresh copy of the request). The hops of one call share one trace id (the call is bound to the thread).
 *
 * <p>Destination: the scope's route target ({@code HttpRoute.getTargetHost()}), which is where the client
 * connects, through a proxy or not, whatever the request's {@code Host} header or authority says.
 *
 * <p><b>Model calls.</b> A repeatable entity of known length is written into a buffer and priced before the decision,
 * from its text in the charset its content type names ({@link Api#modelBody}); a 2xx JSON answer of at most 1 MiB (known length, or chunked: read up to the cap) is
 * read ahead at the innermost element
 * ({@code ProtocolExec}) and the response given an entity of the same bytes ({@link Api#bufferModelBody}).
 */
final class ApacheHttpGuard extends ApacheHttpHooks {
    static final String CLIENT = "apache-httpclient";
    static final String CLIENT_4 = "apache-httpclient-4";
    private static final ClassValue<Api> APIS = new ClassValue<>() {
        @Override
        protected Api computeValue(Class<?> type) {
            return Api.of(type);
        }
    };

    private final AgentRuntime runtime;
    private final HttpDecider decider;
    private final boolean traceparent;
    private final ModelCalls.Prices prices;
    private final ThreadLocal<Hops> calls = new ThreadLocal<>();

    ApacheHttpGuard(AgentRuntime runtime, boolean traceparent, ModelCalls.Prices prices) {
        this.runtime = runtime;
        this.decider = new HttpDecider(runtime, prices);
        this.traceparent = traceparent;
        this.prices = prices;
    }

    /** A call's scope: its requests, and the call it interrupted on this thread (a client used inside another's). */
    private static final class Frame {
        final Hops hops = new Hops();
        final Hops outer;

        Frame(Hops outer) {
            this.outer = outer;
        }
    }

    @Override
    protected Object beginCall() {
        if (AgentThread.current()) {
            return null;
        }
        Frame frame = new Frame(calls.get());
        calls.set(frame.hops);
        return frame;
    }

    @Override
    protected void endCall(Object scope, Throwable thrown) {
        Frame frame = (Frame) scope;
        if (frame.outer == null) {
            calls.remove();
        } else {
            calls.set(frame.outer);
        }
        end(frame.hops, -1, thrown);
    }

    @Override
    protected Object hop(Object key, Object route, Object request, boolean retry) throws Exception {
        if (key == null || request == null || AgentThread.current()) {
            return null;
        }
        Hops hops = calls.get();
        if (hops == null) {
            hops = new Hops(); // an exec chain run without InternalHttpClient: each request on its own
        }
        Api api = APIS.get(request.getClass());
        synchronized (hops) {
            if (key == hops.request && (hops.current != null || hops.blockedMessage != null)) {
                if (hops.blockedMessage != null) {
                    return new IOException(hops.blockedMessage);
                }
                addTraceparent(api, hops, request); // an attempt of the request decided above
                return new Attempt(hops);
            }
            HttpCall prev = hops.current;
            if (prev != null) {
                hops.current = null;
                prev.end(System.nanoTime(), -1, null);
                runtime.record(prev);
            }
            hops.request = key;
            hops.blockedMessage = null;
            IOException block = decide(decider, hops, api.client, api.method(request), api.targetHost(key, route),
                    api.path(request), api.bodySize(request), () -> api.modelBodyOrNull(request));
            if (block != null) {
                hops.blockedMessage = block.getMessage();
                return block;
            }
            addTraceparent(api, hops, request);
            return hops;
        }
    }

    /**
     * Decides one request of HttpClient (5 or 4, classic or async) to {@code target} (the route's target
     * {@code HttpHost}), for request target {@code path} (a path with its query, or an absolute URI, whose own
     * authority does not count): on allow it is {@code hops.current}, on a block it is recorded and returned.
     */
    /** An {@code HttpHost}'s {@code getSchemeName}, {@code getHostName}, {@code getPort} (4 and 5), looked up once. */
    private static final ClassValue<Method[]> HOSTS = new ClassValue<>() {
        @Override
        protected Method[] computeValue(Class<?> type) {
            try {
                return new Method[] {Accessors.unchecked(type.getMethod("getSchemeName")),
                        Accessors.unchecked(type.getMethod("getHostName")), Accessors.unchecked(type.getMethod("getPort"))};
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("not an HttpHost this agent knows: " + type, e);
            }
        }
    };

    static IOException decide(HttpDecider decider, Hops hops, String client, String method, Object target,
            String path, long bodySize, HttpDecider.BodySource body) throws ReflectiveOperationException {
        Method[] h = HOSTS.get(target.getClass());
        String scheme = HttpDecider.lower((String) h[0].invoke(target));
        String host = (String) h[1].invoke(target);
        int port = (Integer) h[2].invoke(target);
        int shownPort = port;
        if (port < 0 || port == HttpDecider.defaultPort(scheme)) {
            port = HttpDecider.defaultPort(scheme);
            shownPort = -1;
        }
        String rawPath = path;
        String rawQuery = null;
        if (path != null && !path.startsWith("/")) {
            // absolute form: only the path and query count, the target is the route's
            java.net.URI uri = java.net.URI.create(path);
            rawPath = uri.getRawPath();
            rawQuery = uri.getRawQuery();
        } else if (path != null) {
            int q = path.indexOf('?');
            if (q >= 0) {
                rawPath = path.substring(0, q);
                rawQuery = path.substring(q + 1);
            }
        }
        String shownHost = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        String full = HttpUrls.redact(scheme, null, shownHost, shownPort, rawPath, rawQuery);
        return decider.decide(hops, client, method, scheme, host, port, rawPath, full, bodySize, body);
    }

    /**
     * For HttpAsyncClient 4 (whose requests and responses are HttpClient 4's): the body of a model request's entity, as
     * {@link Api#modelBody} reads it for the classic client, or null.
     */
    static HttpGuard.Body modelBody4(Object request) {
        try {
            return APIS.get(request.getClass()).modelBodyOrNull(request);
        } catch (RuntimeException e) {
            return null; // not an HttpClient 4 this agent knows: decided on the path
        }
    }

    /** For HttpAsyncClient 4: a model response's JSON entity read and given back, as {@link Api#bufferModelBody}. */
    static byte[] bufferModelBody4(Object response) throws ReflectiveOperationException {
        return APIS.get(response.getClass()).bufferModelBody(response);
    }

    private void addTraceparent(Api api, Hops hops, Object request) throws ReflectiveOperationException {
        if (!traceparent || hops.current == null) {
            return;
        }
        String existing = api.header(request, "traceparent");
        String own = HttpDecider.traceparent(hops.current);
        if (own.equals(existing)) {
            return; // set when an element above saw this request (its attempts pass here again)
        }
        if (existing != null && !existing.equals(hops.ownTraceparent)) {
            return; // the application propagates its own context
        }
        hops.ownTraceparent = own;
        api.setHeader(request, "traceparent", own);
    }

    /** An attempt of a request decided by an element above ({@code ProtocolExec} under the retrying one). */
    private static final class Attempt {
        final Hops hops;

        Attempt(Hops hops) {
            this.hops = hops;
        }
    }

    @Override
    protected void hopDone(Object scope, Object response, Throwable thrown) throws Exception {
        if (scope instanceof Attempt) {
            // the innermost exit: in 5.6 content decompression sits between ProtocolExec and the retrying element
            modelResponse(((Attempt) scope).hops, response);
            return;
        }
        if (!(scope instanceof Hops)) {
            return;
        }
        Hops hops = (Hops) scope;
        int status = modelResponse(hops, response);
        end(hops, status, thrown);
    }

    /**
     * A 2xx answer to a model request: its usage, from the JSON body read ahead where it can be without disturbing
     * the application ({@link Api#bufferModelBody}), once per request. Returns the status.
     */
    private int modelResponse(Hops hops, Object response) throws ReflectiveOperationException {
        if (response == null) {
            return -1;
        }
        Api api = APIS.get(response.getClass());
        int status = api.status(response);
        HttpCall call;
        synchronized (hops) {
            call = hops.current;
        }
        if (call != null && call.modelRequest != null && !call.modelRequest.stream() && !call.responseRead
                && status >= 200 && status < 300) {
            byte[] body = api.bufferModelBody(response);
            if (body != null) {
                call.responseRead = true;
                ModelCalls.usage(call, body, body.length, prices.get());
            }
        }
        return status;
    }

    private void end(Hops hops, int status, Throwable thrown) {
        HttpCall call;
        synchronized (hops) {
            call = hops.current;
            hops.current = null;
        }
        if (call != null) {
            call.end(System.nanoTime(), status, thrown);
            runtime.record(call);
        }
    }

    /**
     * The public API of HttpClient and HttpCore (5, or 4) the guard uses, looked up by interface in the loader
     * that defines the request's (or response's) class: their implementation classes need not be public.
     */
    private abstract static class Api {
        final String client;
        final ClassLoader loader;

        Api(String client, ClassLoader loader) {
            this.client = client;
            this.loader = loader;
        }

        static Api of(Class<?> type) {
            ClassLoader l = type.getClassLoader();
            try {
                if (Class.forName("org.apache.hc.core5.http.HttpMessage", false, l).isAssignableFrom(type)) {
                    return new Api5(l);
                }
            } catch (ClassNotFoundException e) {
                // not HttpClient 5
            }
            return new Api4(l);
        }

        Method method(String type, String name, Class<?>... params) {
            return Accessors.apacheMethod(loader, type, name, params);
        }

        /** For what only model calls need: null when this version lacks it (they are then priced on the path). */
        Method optional(String type, String name, String... params) {
            try {
                return Accessors.optionalMethod(loader, type, name, classes(params));
            } catch (ClassNotFoundException | LinkageError e) {
                return null;
            }
        }

        java.lang.reflect.Constructor<?> optionalConstructor(String type, String... params) {
            try {
                return Accessors.unchecked(Class.forName(type, false, loader).getConstructor(classes(params)));
            } catch (ReflectiveOperationException | LinkageError e) {
                return null;
            }
        }

        private Class<?>[] classes(String... names) throws ClassNotFoundException {
            Class<?>[] out = new Class<?>[names.length];
            for (int i = 0; i < names.length; i++) {
                switch (names[i]) {
                    case "long":
                        out[i] = long.class;
                        break;
                    case "boolean":
                        out[i] = boolean.class;
                        break;
                    default:
                        out[i] = Class.forName(names[i], false, loader);
                }
            }
            return out;
        }

        HttpGuard.Body modelBodyOrNull(Object request) {
            try {
                return modelBody(request);
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null; // writeTo threw (the entity's own IOException): not known, decided on the path
            }
        }

        /**
         * The bytes a model request's entity will send, when they can be had without consuming it: a repeatable
         * entity ({@code StringEntity}, {@code ByteArrayEntity}, {@code FileEntity}, ...) of known length of at most
         * {@link ModelCalls#REQUEST_CAP}, not content-encoded, written into a buffer; else null. Returned as text in
         * UTF-8 for the parser ({@link #write}).
         */
        abstract HttpGuard.Body modelBody(Object request) throws ReflectiveOperationException;

        /**
         * For a model response whose entity is one JSON document of known length of at most
         * {@link ModelCalls#RESPONSE_CAP}, or of unknown length (chunked: read up to the cap): reads the entity (to
         * its end, which releases the connection as {@code EntityUtils.consume} would), gives the response a new
         * entity over the same bytes (then the rest of a longer one, or the read's failure) with the same headers,
         * and returns the body (null if it did not end within the cap) (decoded, if the server gzipped it and the client decodes above this point)
         * for its usage. Otherwise leaves the response alone and returns null.
         */
        abstract byte[] bufferModelBody(Object response) throws ReflectiveOperationException;

        /**
         * Reads a request entity into a body, if it is one {@link #modelBody} may read, as text in UTF-8, which the
         * model-request parser reads: the bytes as written, decoded first from the charset {@code contentType} (the
         * entity's, else the request's {@code Content-Type}) names, if another ({@code StringEntity} encodes in the
         * charset of its content type). The entity, and what it sends, are untouched.
         */
        static HttpGuard.Body write(Method writeTo, Object entity, long length, String contentType)
                throws ReflectiveOperationException {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) length);
            writeTo.invoke(entity, out);
            if (out.size() != length) {
                return null;
            }
            HttpGuard.Body text = ModelCalls.utf8(new HttpGuard.Body(out.toByteArray(), 0, out.size()), contentType);
            return text.len > ModelCalls.REQUEST_CAP ? null : text;
        }


        abstract Object targetHost(Object key, Object route) throws ReflectiveOperationException;

        abstract String method(Object request) throws ReflectiveOperationException;

        /** The request target: a path with its query, or an absolute URI. */
        abstract String path(Object request) throws ReflectiveOperationException;

        abstract long bodySize(Object request) throws ReflectiveOperationException;

        abstract String header(Object request, String name) throws ReflectiveOperationException;

        abstract void setHeader(Object request, String name, String value) throws ReflectiveOperationException;

        abstract int status(Object response) throws ReflectiveOperationException;
    }

    /** HttpClient 5: the key is the {@code ExecChain.Scope}, which holds the route. */
    private static final class Api5 extends Api {
        private final Method method = method("org.apache.hc.core5.http.HttpRequest", "getMethod");
        private final Method path = method("org.apache.hc.core5.http.HttpRequest", "getPath");
        private final Method firstHeader = method("org.apache.hc.core5.http.MessageHeaders", "getFirstHeader",
                String.class);
        private final Method headerValue = method("org.apache.hc.core5.http.NameValuePair", "getValue");
        private final Method setHeader = method("org.apache.hc.core5.http.HttpMessage", "setHeader", String.class,
                Object.class);
        private final Method entity = method("org.apache.hc.core5.http.HttpEntityContainer", "getEntity");
        private final Method contentLength = method("org.apache.hc.core5.http.EntityDetails", "getContentLength");
        private final Method code = method("org.apache.hc.core5.http.HttpResponse", "getCode");
        private final Method targetHost = method("org.apache.hc.client5.http.HttpRoute", "getTargetHost");
        private final Method isRepeatable = optional("org.apache.hc.core5.http.HttpEntity", "isRepeatable");
        private final Method writeTo = optional("org.apache.hc.core5.http.HttpEntity", "writeTo",
                "java.io.OutputStream");
        private final Method getContent = optional("org.apache.hc.core5.http.HttpEntity", "getContent");
        private final Method contentType = optional("org.apache.hc.core5.http.EntityDetails", "getContentType");
        private final Method contentEncoding = optional("org.apache.hc.core5.http.EntityDetails",
                "getContentEncoding");
        private final Method setEntity = optional("org.apache.hc.core5.http.HttpEntityContainer", "setEntity",
                "org.apache.hc.core5.http.HttpEntity");
        private final Method parseContentType = optional("org.apache.hc.core5.http.ContentType", "parse",
                "java.lang.CharSequence");
        private final java.lang.reflect.Constructor<?> streamEntity = optionalConstructor(
                "org.apache.hc.core5.http.io.entity.InputStreamEntity", "java.io.InputStream", "long",
                "org.apache.hc.core5.http.ContentType", "java.lang.String");

        Api5(ClassLoader loader) {
            super(CLIENT, loader);
        }

        @Override
        HttpGuard.Body modelBody(Object request) throws ReflectiveOperationException {
            if (writeTo == null || !entity.getDeclaringClass().isInstance(request)) {
                return null;
            }
            Object e = entity.invoke(request);
            if (e == null) {
                return null;
            }
            long length = (Long) contentLength.invoke(e);
            if (length < 0 || length > ModelCalls.REQUEST_CAP || !(Boolean) isRepeatable.invoke(e)
                    || !BodyCopy.identity((String) contentEncoding.invoke(e))) {
                return null;
            }
            String type = (String) contentType.invoke(e);
            return write(writeTo, e, length, type != null ? type : header(request, "Content-Type"));
        }

        @Override
        byte[] bufferModelBody(Object response) throws ReflectiveOperationException {
            if (streamEntity == null || parseContentType == null || !entity.getDeclaringClass().isInstance(response)) {
                return null;
            }
            Object e = entity.invoke(response);
            if (e == null) {
                return null;
            }
            String type = (String) contentType.invoke(e);
            long length = (Long) contentLength.invoke(e);
            String encoding = (String) contentEncoding.invoke(e);
            boolean gzip = BodyCopy.gzip(encoding);
            if (type == null || !ModelCalls.jsonBody(type) || length > ModelCalls.RESPONSE_CAP
                    || !(BodyCopy.identity(encoding) || gzip)) {
                return null;
            }
            Object ct = parseContentType.invoke(null, type);
            java.io.InputStream in = (java.io.InputStream) getContent.invoke(e);
            BodyCopy b = BodyCopy.read(in, length);
            setEntity.invoke(response, streamEntity.newInstance(b.replay, length, ct, encoding));
            return b.decoded(gzip);
        }

        @Override
        Object targetHost(Object scope, Object route) throws ReflectiveOperationException {
            java.lang.reflect.Field f = scopeRoute;
            if (f == null || f.getDeclaringClass() != scope.getClass()) {
                scopeRoute = f = Accessors.unchecked(scope.getClass().getField("route")); // ExecChain.Scope's public final field
            }
            return targetHost.invoke(f.get(scope));
        }

        /** {@code ExecChain.Scope.route}, looked up once (racy but idempotent). */
        private volatile java.lang.reflect.Field scopeRoute;

        @Override
        String method(Object request) throws ReflectiveOperationException {
            return (String) method.invoke(request);
        }

        @Override
        String path(Object request) throws ReflectiveOperationException {
            return (String) path.invoke(request);
        }

        @Override
        long bodySize(Object request) throws ReflectiveOperationException {
            if (!entity.getDeclaringClass().isInstance(request)) {
                return -1;
            }
            Object e = entity.invoke(request);
            return e == null ? -1 : (Long) contentLength.invoke(e);
        }

        @Override
        String header(Object request, String name) throws ReflectiveOperationException {
            Object h = firstHeader.invoke(request, name);
            return h == null ? null : (String) headerValue.invoke(h);
        }

        @Override
        void setHeader(Object request, String name, String value) throws ReflectiveOperationException {
            setHeader.invoke(request, name, value);
        }

        @Override
        int status(Object response) throws ReflectiveOperationException {
            return (Integer) code.invoke(response);
        }
    }

    /** HttpClient 4: the key is the {@code HttpRequestWrapper} (a retry reuses it; a redirect wraps anew). */
    private static final class Api4 extends Api {
        private final Method method = method("org.apache.http.client.methods.HttpUriRequest", "getMethod");
        private final Method uri = method("org.apache.http.client.methods.HttpUriRequest", "getURI");
        private final Method firstHeader = method("org.apache.http.HttpMessage", "getFirstHeader", String.class);
        private final Method headerValue = method("org.apache.http.Header", "getValue");
        private final Method setHeader = method("org.apache.http.HttpMessage", "setHeader", String.class,
                String.class);
        private final Method entity = method("org.apache.http.HttpEntityEnclosingRequest", "getEntity");
        private final Method contentLength = method("org.apache.http.HttpEntity", "getContentLength");
        private final Method statusLine = method("org.apache.http.HttpResponse", "getStatusLine");
        private final Method statusCode = method("org.apache.http.StatusLine", "getStatusCode");
        private final Method targetHost = method("org.apache.http.conn.routing.HttpRoute", "getTargetHost");
        private final Method isRepeatable = optional("org.apache.http.HttpEntity", "isRepeatable");
        private final Method writeTo = optional("org.apache.http.HttpEntity", "writeTo", "java.io.OutputStream");
        private final Method getContent = optional("org.apache.http.HttpEntity", "getContent");
        private final Method contentType = optional("org.apache.http.HttpEntity", "getContentType");
        private final Method contentEncoding = optional("org.apache.http.HttpEntity", "getContentEncoding");
        private final Method responseEntity = optional("org.apache.http.HttpResponse", "getEntity");
        private final Method setEntity = optional("org.apache.http.HttpResponse", "setEntity",
                "org.apache.http.HttpEntity");
        private final java.lang.reflect.Constructor<?> streamEntity = optionalConstructor(
                "org.apache.http.entity.InputStreamEntity", "java.io.InputStream", "long");
        private final Method setContentType = optional("org.apache.http.entity.AbstractHttpEntity", "setContentType",
                "org.apache.http.Header");
        private final Method isChunked = optional("org.apache.http.HttpEntity", "isChunked");
        private final Method setChunked = isChunked == null ? null
                : optional("org.apache.http.entity.AbstractHttpEntity", "setChunked", "boolean");
        private final Method setContentEncoding = optional("org.apache.http.entity.AbstractHttpEntity",
                "setContentEncoding", "org.apache.http.Header");

        Api4(ClassLoader loader) {
            super(CLIENT_4, loader);
        }

        private String value(Object header) throws ReflectiveOperationException {
            return header == null ? null : (String) headerValue.invoke(header);
        }

        @Override
        HttpGuard.Body modelBody(Object request) throws ReflectiveOperationException {
            if (writeTo == null || !entity.getDeclaringClass().isInstance(request)) {
                return null;
            }
            Object e = entity.invoke(request);
            if (e == null) {
                return null;
            }
            long length = (Long) contentLength.invoke(e);
            if (length < 0 || length > ModelCalls.REQUEST_CAP || !(Boolean) isRepeatable.invoke(e)
                    || !BodyCopy.identity(value(contentEncoding.invoke(e)))) {
                return null;
            }
            String type = value(contentType.invoke(e));
            return write(writeTo, e, length, type != null ? type : header(request, "Content-Type"));
        }

        /**
         * HttpClient 4 decodes gzip inside {@code ProtocolExec} ({@code ResponseContentEncoding}), so a compressed
         * answer reaches this point as a decoding entity of unknown length and no encoding: it is read like a chunked
         * answer, decoded, up to the cap. A gzipped entity (content compression disabled; HttpAsyncClient 4, which does
         * not decode) is read as sent, given back with its encoding, and gunzipped for the usage.
         */
        @Override
        byte[] bufferModelBody(Object response) throws ReflectiveOperationException {
            if (streamEntity == null || setContentType == null || responseEntity == null
                    || !responseEntity.getDeclaringClass().isInstance(response)) {
                return null;
            }
            Object e = responseEntity.invoke(response);
            if (e == null) {
                return null;
            }
            Object typeHeader = contentType.invoke(e);
            String type = value(typeHeader);
            long length = (Long) contentLength.invoke(e);
            Object encodingHeader = contentEncoding.invoke(e);
            String encoding = value(encodingHeader);
            boolean gzip = BodyCopy.gzip(encoding);
            if (type == null || !ModelCalls.jsonBody(type) || length > ModelCalls.RESPONSE_CAP
                    || !(BodyCopy.identity(encoding) || gzip && setContentEncoding != null)) {
                return null;
            }
            java.io.InputStream in = (java.io.InputStream) getContent.invoke(e);
            BodyCopy b = BodyCopy.read(in, length);
            Object replacement = streamEntity.newInstance(b.replay, length);
            setContentType.invoke(replacement, typeHeader);
            if (setChunked != null) {
                setChunked.invoke(replacement, isChunked.invoke(e));
            }
            if (gzip) {
                setContentEncoding.invoke(replacement, encodingHeader);
            }
            setEntity.invoke(response, replacement);
            return b.decoded(gzip);
        }

        @Override
        Object targetHost(Object key, Object route) throws ReflectiveOperationException {
            return targetHost.invoke(route);
        }

        @Override
        String method(Object request) throws ReflectiveOperationException {
            return (String) method.invoke(request);
        }

        @Override
        String path(Object request) throws ReflectiveOperationException {
            java.net.URI u = (java.net.URI) uri.invoke(request);
            if (u == null) {
                return "/";
            }
            String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
        }

        @Override
        long bodySize(Object request) throws ReflectiveOperationException {
            if (!entity.getDeclaringClass().isInstance(request)) {
                return -1;
            }
            Object e = entity.invoke(request);
            return e == null ? -1 : (Long) contentLength.invoke(e);
        }

        @Override
        String header(Object request, String name) throws ReflectiveOperationException {
            Object h = firstHeader.invoke(request, name);
            return h == null ? null : (String) headerValue.invoke(h);
        }

        @Override
        void setHeader(Object request, String name, String value) throws ReflectiveOperationException {
            setHeader.invoke(request, name, value);
        }

        @Override
        int status(Object response) throws ReflectiveOperationException {
            return (Integer) statusCode.invoke(statusLine.invoke(response));
        }
    }
}
