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
 */
final class ApacheHttpGuard extends ApacheHttpHooks {
    static final String CLIENT = "apache-httpclient";
    private static final Object NESTED = new Object();
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
    private final ThreadLocal<Hops> calls = new ThreadLocal<>();

    ApacheHttpGuard(AgentRuntime runtime, boolean traceparent) {
        this.runtime = runtime;
        this.decider = new HttpDecider(runtime);
        this.traceparent = traceparent;
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
                return NESTED;
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
                    api.path(request), api.bodySize(request));
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
    static IOException decide(HttpDecider decider, Hops hops, String client, String method, Object target,
            String path, long bodySize) throws ReflectiveOperationException {
        Class<?> t = target.getClass();
        String scheme = HttpDecider.lower((String) t.getMethod("getSchemeName").invoke(target));
        String host = (String) t.getMethod("getHostName").invoke(target);
        int port = (Integer) t.getMethod("getPort").invoke(target);
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
        return decider.decide(hops, client, method, scheme, host, port, rawPath, full, bodySize);
    }

    private void addTraceparent(Api api, Hops hops, Object request) throws ReflectiveOperationException {
        if (!traceparent || hops.current == null) {
            return;
        }
        String existing = api.header(request, "traceparent");
        if (existing != null && !existing.equals(hops.ownTraceparent)) {
            return; // the application propagates its own context
        }
        hops.ownTraceparent = HttpDecider.traceparent(hops.current);
        api.setHeader(request, "traceparent", hops.ownTraceparent);
    }

    @Override
    protected void hopDone(Object scope, Object response, Throwable thrown) throws Exception {
        if (!(scope instanceof Hops)) {
            return;
        }
        int status = response == null ? -1 : APIS.get(response.getClass()).status(response);
        end((Hops) scope, status, thrown);
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
            try {
                return Class.forName(type, false, loader).getMethod(name, params);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("not an Apache HttpClient this agent knows: no " + type + "." + name, e);
            }
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

        Api5(ClassLoader loader) {
            super(CLIENT, loader);
        }

        @Override
        Object targetHost(Object scope, Object route) throws ReflectiveOperationException {
            return targetHost.invoke(scope.getClass().getField("route").get(scope));
        }

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

        Api4(ClassLoader loader) {
            super(CLIENT_4, loader);
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
