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
 * when the next request of the call starts, or when the whole call (the step at index 0) ends.
 *
 * <p>Destination: the request's {@code HttpUrl}, which is what OkHttp connects to (through a proxy, too); a
 * {@code Host} header does not change it, and network interceptors may not change host or port. OkHttp's
 * classes belong to the application's loader, so they are reached by reflection on their public API, looked up
 * once per class.
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
    /** The whole calls running on this thread, innermost first (OkHttp runs a call's chain on one thread). */
    private final ThreadLocal<WholeCall> calls = new ThreadLocal<>();

    OkHttpGuard(AgentRuntime runtime, boolean traceparent) {
        this.runtime = runtime;
        this.decider = new HttpDecider(runtime);
        this.traceparent = traceparent;
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

    @Override
    protected Object proceed(Object call, List<?> interceptors, int index, Object request) throws Exception {
        if (call == null || request == null || AgentThread.current()) {
            return null;
        }
        if (index == 0) {
            WholeCall whole = new WholeCall(call, calls.get());
            calls.set(whole);
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
                    api.bodySize(request));
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
    protected void proceeded(Object scope, Object response, Throwable thrown) {
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
            return;
        }
        Hops hops = (Hops) scope;
        HttpCall call;
        synchronized (hops) {
            if (response == null) {
                hops.failure = thrown; // the client may retry it
                return;
            }
            call = hops.current;
            hops.current = null;
        }
        if (call == null) {
            return;
        }
        ResponseApi api = RESPONSES.get(response.getClass());
        call.protocolVersion = api.protocolVersion(response);
        call.end(System.nanoTime(), api.code(response), null);
        runtime.record(call);
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

        ResponseApi(Class<?> response) {
            try {
                code = response.getMethod("code");
                protocol = response.getMethod("protocol");
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("not an OkHttp response this agent knows: " + response, e);
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
