package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheHttpHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

/**
 * Decides Apache HttpClient 5 classic's requests. Implementation notes.
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
    private static final ClassValue<Api> APIS = new ClassValue<>() {
        @Override
        protected Api computeValue(Class<?> scopeType) {
            return new Api(scopeType);
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

    @Override
    protected Object beginCall() {
        if (AgentThread.current() || calls.get() != null) {
            return null; // agentid's own, or a client called from inside another's call: the outer one owns it
        }
        Hops hops = new Hops();
        calls.set(hops);
        return hops;
    }

    @Override
    protected void endCall(Object scope, Throwable thrown) {
        calls.remove();
        end((Hops) scope, -1, thrown);
    }

    @Override
    protected Object hop(Object request, Object execScope, boolean retry) throws Exception {
        if (request == null || execScope == null || AgentThread.current()) {
            return null;
        }
        Hops hops = calls.get();
        if (hops == null) {
            hops = new Hops(); // an exec chain run without InternalHttpClient: each request on its own
        }
        Api api = APIS.get(execScope.getClass());
        synchronized (hops) {
            if (execScope == hops.request && (hops.current != null || hops.blockedMessage != null)) {
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
            hops.request = execScope;
            hops.blockedMessage = null;
            Object target = api.targetHost.invoke(api.route.get(execScope));
            String scheme = HttpDecider.lower((String) api.schemeName.invoke(target));
            String host = (String) api.hostName.invoke(target);
            int port = (Integer) api.port.invoke(target);
            int shownPort = port;
            if (port < 0 || port == HttpDecider.defaultPort(scheme)) {
                port = HttpDecider.defaultPort(scheme);
                shownPort = -1;
            }
            String path = (String) api.path.invoke(request);
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
            IOException block = decider.decide(hops, CLIENT, (String) api.method.invoke(request), scheme, host, port,
                    rawPath, full, api.bodySize(request));
            if (block != null) {
                hops.blockedMessage = block.getMessage();
                return block;
            }
            addTraceparent(api, hops, request);
            return hops;
        }
    }

    private void addTraceparent(Api api, Hops hops, Object request) throws ReflectiveOperationException {
        if (!traceparent || hops.current == null) {
            return;
        }
        Object h = api.firstHeader.invoke(request, "traceparent");
        String existing = h == null ? null : (String) api.headerValue.invoke(h);
        if (existing != null && !existing.equals(hops.ownTraceparent)) {
            return; // the application propagates its own context
        }
        hops.ownTraceparent = HttpDecider.traceparent(hops.current);
        api.setHeader.invoke(request, "traceparent", hops.ownTraceparent);
    }

    @Override
    protected void hopDone(Object scope, Object response, Throwable thrown) throws Exception {
        if (!(scope instanceof Hops)) {
            return;
        }
        int status = -1;
        if (response != null) {
            status = (Integer) APIS_BY_RESPONSE.get(response.getClass()).invoke(response);
        }
        end((Hops) scope, status, thrown);
    }

    private static final ClassValue<Method> APIS_BY_RESPONSE = new ClassValue<>() {
        @Override
        protected Method computeValue(Class<?> type) {
            try {
                return Class.forName("org.apache.hc.core5.http.HttpResponse", false, type.getClassLoader())
                        .getMethod("getCode");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("not an HttpClient 5 response this agent knows: " + type, e);
            }
        }
    };

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

    /** The public API of HttpClient 5 and HttpCore 5 the guard uses, from the loader that defines them. */
    private static final class Api {
        final Field route;
        final Method targetHost;
        final Method schemeName;
        final Method hostName;
        final Method port;
        final Method method;
        final Method path;
        final Method firstHeader;
        final Method headerValue;
        final Method setHeader;
        final Class<?> entityContainer;
        final Method entity;
        final Method contentLength;

        Api(Class<?> scopeType) {
            try {
                ClassLoader loader = scopeType.getClassLoader();
                route = scopeType.getField("route");
                targetHost = route.getType().getMethod("getTargetHost");
                schemeName = targetHost.getReturnType().getMethod("getSchemeName");
                hostName = targetHost.getReturnType().getMethod("getHostName");
                port = targetHost.getReturnType().getMethod("getPort");
                Class<?> request = Class.forName("org.apache.hc.core5.http.HttpRequest", false, loader);
                method = request.getMethod("getMethod");
                path = request.getMethod("getPath");
                firstHeader = Class.forName("org.apache.hc.core5.http.MessageHeaders", false, loader)
                        .getMethod("getFirstHeader", String.class);
                headerValue = Class.forName("org.apache.hc.core5.http.NameValuePair", false, loader)
                        .getMethod("getValue");
                setHeader = Class.forName("org.apache.hc.core5.http.HttpMessage", false, loader)
                        .getMethod("setHeader", String.class, Object.class);
                entityContainer = Class.forName("org.apache.hc.core5.http.HttpEntityContainer", false, loader);
                entity = entityContainer.getMethod("getEntity");
                contentLength = Class.forName("org.apache.hc.core5.http.EntityDetails", false, loader)
                        .getMethod("getContentLength");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("not an HttpClient 5 this agent knows: " + scopeType, e);
            }
        }

        long bodySize(Object request) throws ReflectiveOperationException {
            if (!entityContainer.isInstance(request)) {
                return -1;
            }
            Object e = entity.invoke(request);
            return e == null ? -1 : (Long) contentLength.invoke(e);
        }
    }
}
