package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import io.agentid.bootstrap.Faults;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Decides Apache HttpClient 5's async requests ({@code CloseableHttpAsyncClient} from {@code HttpAsyncClients}:
 * {@code InternalHttpAsyncClient}, and {@code InternalH2AsyncClient} for HTTP/2). Implementation notes.
 *
 * <p>{@code InternalAbstractHttpAsyncClient.doExecute} (every {@code execute} overload: {@code SimpleHttpRequest},
 * producer and consumer) runs one <em>exchange</em> ({@code AsyncExecChain.Scope.exchangeId}) through an async exec
 * chain: {@code AsyncRedirectExec} (a new request, and a new scope only when the route changes, per hop),
 * {@code ContentCompressionAsyncExec}, {@code AsyncHttpRequestRetryExec} (a retry re-enters its {@code execute}
 * with the same request and the same callback, after a delay, on the scheduler's thread), {@code AsyncProtocolExec}
 * (always there; authentication resends loop inside it), {@code AsyncConnectExec}, the main exec. Each step
 * answers through an {@code AsyncExecCallback}, on whatever thread the I/O reactor calls it.
 *
 * <p><b>One request</b> is one entry into {@code AsyncHttpRequestRetryExec.execute} with a callback that is not
 * ours, or, in an exchange without the retry element (automatic retries disabled), one entry into
 * {@code AsyncProtocolExec.execute}. It is decided there, before any connection is asked for; allowed, it runs with
 * our callback in place of the one given, which ends its span when the request completes or fails (at the end of the
 * response body, before the application's callbacks run, or the failure that ended the request and its retries)
 * with the final status. A
 * retry re-enters with our callback, so it is not decided again. Each attempt that reaches
 * {@code AsyncProtocolExec} gets the {@code traceparent}. The requests of one exchange (its redirect hops) share a
 * trace id and count up {@code http.request.resend_count}; the exchange's state is kept in its
 * {@code HttpClientContext} under the exchange id (the context may be reused by the next exchange).
 *
 * <p><b>A block</b> is thrown as the {@code IOException} {@code execute} declares: for the first request,
 * {@code doExecute} fails the future with it (the {@code FutureCallback} gets it in {@code failed}); for a redirect
 * hop, {@code AsyncRedirectExec} hands it to the exchange's callback, which does the same. Nothing was sent or
 * connected.
 *
 * <p><b>The backstop.</b> The I/O reactor connects on its own threads, where nothing of the request is on the stack.
 * A connection request ({@code IOSessionRequest}) made while one of the chain clients' exec runtimes
 * ({@code InternalHttpAsyncExecRuntime}, {@code InternalH2AsyncExecRuntime}) is on the stack is for a request
 * decided here: it is remembered (weakly), and the reactor's connect for it is marked decided
 * ({@link io.agentid.bootstrap.SocketHooks#enterDecided}), so the backstop does not decide it again.
 *
 * <p><b>Model calls.</b> {@code doExecute} notes its request producer on the thread, and the exchange's first request
 * (decided inside that call) keeps it; a model request's body is read from the in-memory entity producer it holds,
 * through views of its buffers ({@link Api#modelBody}). The usage of a 2xx JSON answer is read from a copy of the bytes
 * the application's data consumer is handed ({@link Tee}, in front of the consumer the chain returns to our callback).
 * HttpAsyncClient 4: the request's repeatable entity, as for 4 classic, and the answer its default
 * {@code BasicAsyncResponseConsumer} buffered whole, read when {@code responseCompleted} returns.
 */
final class ApacheAsyncGuard extends ApacheAsyncHooks {
    static final String CLIENT = "apache-httpclient-async";
    static final String EXCHANGE = "io.agentid.exchange";
    private static final String RUNTIME = "org.apache.hc.client5.http.impl.async.InternalHttpAsyncExecRuntime";
    private static final String H2_RUNTIME = "org.apache.hc.client5.http.impl.async.InternalH2AsyncExecRuntime";
    private static final ClassValue<Api> APIS = new ClassValue<>() {
        @Override
        protected Api computeValue(Class<?> type) {
            return new Api(type.getClassLoader());
        }
    };

    private final AgentRuntime runtime;
    private final HttpDecider decider;
    private final boolean traceparent;
    private final Map<Object, Boolean> decidedSessions = Collections.synchronizedMap(new WeakHashMap<>());
    private final ModelCalls.Prices prices;
    /** The request producer of the exchange {@code doExecute} is starting on this thread ({@link #NONE}: none). */
    private final ThreadLocal<Object> starting = new ThreadLocal<>();
    private static final Object NONE = new Object();

    ApacheAsyncGuard(AgentRuntime runtime, boolean traceparent, ModelCalls.Prices prices) {
        this.runtime = runtime;
        this.decider = new HttpDecider(runtime, prices);
        this.traceparent = traceparent;
        this.prices = prices;
    }

    /** One exchange's requests, in its context. */
    static final class Exchange {
        final String id;
        final Hops hops = new Hops();
        /** Whether the chain has {@code AsyncHttpRequestRetryExec} (which then decides, above {@code AsyncProtocolExec}). */
        boolean retryElement;
        /** The {@code AsyncRequestProducer} given to {@code doExecute}, or null. */
        Object requestProducer;

        Exchange(String id) {
            this.id = id;
        }
    }

    @Override
    protected Object exec(Object request, Object entityProducer, Object scope, Object callback, boolean retry)
            throws Exception {
        if (request == null || scope == null || callback == null || AgentThread.current()) {
            return null;
        }
        if (retry && Proxy.isProxyClass(callback.getClass())
                && Proxy.getInvocationHandler(callback) instanceof Done) {
            return null; // a retry of the request decided here (its attempt gets the traceparent below)
        }
        Api api = APIS.get(scope.getClass());
        Object context = api.clientContext.get(scope);
        String id = (String) api.exchangeId.get(scope);
        Exchange ex;
        synchronized (context) {
            Object held = api.getAttribute.invoke(context, EXCHANGE);
            if (held instanceof Exchange && ((Exchange) held).id.equals(id)) {
                ex = (Exchange) held;
            } else {
                ex = new Exchange(id);
                Object producer = starting.get();
                if (producer != null && producer != NONE) {
                    ex.requestProducer = producer;
                    starting.set(NONE); // this exchange's, not another's started inside the same call
                }
                api.setAttribute.invoke(context, EXCHANGE, ex);
            }
        }
        Hops hops = ex.hops;
        synchronized (hops) {
            if (retry) {
                ex.retryElement = true;
            } else if (ex.retryElement) {
                addTraceparent(api, hops, request); // an attempt of the request decided above
                return null;
            }
            long size = entityProducer == null ? -1 : (Long) api.contentLength.invoke(entityProducer);
            Object target = api.targetHost.invoke(api.route.get(scope));
            Object requestProducer = ex.requestProducer;
            IOException block = ApacheHttpGuard.decide(decider, hops, CLIENT, (String) api.method.invoke(request),
                    target, (String) api.path.invoke(request), size,
                    () -> api.modelBody(requestProducer, entityProducer));
            if (block != null) {
                return block;
            }
            HttpCall call = hops.current;
            if (call == null) {
                return null; // not decided (a fault, reported); proceeds untraced
            }
            addTraceparent(api, hops, request);
            return Proxy.newProxyInstance(api.callback.getClassLoader(), new Class<?>[] {api.callback},
                    new Done(this, api, hops, call, callback));
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

    /**
     * Ends an allowed request and records it; {@code announced}: its record was announced at its response
     * ({@link AgentRuntime#expectRecord}), so that a shutdown right after the application's future completed waits for it.
     */
    void end(Hops hops, HttpCall call, long endNanos, int status, Throwable thrown, boolean announced) {
        HttpCall ended = null;
        try {
            synchronized (hops) {
                if (hops.current == call) {
                    hops.current = null;
                }
            }
            call.end(endNanos, status, thrown);
            ended = call;
        } finally {
            if (announced) {
                runtime.recordExpected(ended);
            } else if (ended != null) {
                runtime.record(ended);
            }
        }
    }

    @Override
    protected Object executeStart(Object requestProducer) {
        if (AgentThread.current()) {
            return null;
        }
        Object outer = starting.get();
        starting.set(requestProducer == null ? NONE : requestProducer);
        return outer == null ? NONE : outer;
    }

    @Override
    protected void executeEnd(Object token) {
        if (token == NONE) {
            starting.remove();
        } else {
            starting.set(token);
        }
    }

    /** The usage of a model request's 2xx JSON answer, from the bytes the application's consumer was given. */
    void usage(HttpCall call, Tee tee) {
        byte[] body = tee.body();
        if (body != null) {
            ModelCalls.usage(call, body, body.length, prices.get());
        }
    }

    @Override
    protected void sessionRequest(Object sessionRequest) {
        if (AgentThread.current()) {
            return;
        }
        boolean decided = StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> {
            String c = f.getClassName();
            return c.startsWith(RUNTIME) || c.startsWith(H2_RUNTIME);
        }));
        if (decided) {
            decidedSessions.put(sessionRequest, Boolean.TRUE);
        }
    }

    @Override
    protected boolean decidedSession(Object sessionRequest) {
        return sessionRequest != null && decidedSessions.remove(sessionRequest) != null;
    }

    // ---- HttpAsyncClient 4 ----

    /**
     * HttpAsyncClient 4's requests, per exchange handler, until the exchange completes or fails (removed then, so the
     * map holds only exchanges in flight: a weak map full of finished ones spends its puts on resizing).
     */
    private final Map<Object, Hops> exchanges4 = Collections.synchronizedMap(new WeakHashMap<>());
    private static final ClassValue<Api4> APIS_4 = new ClassValue<>() {
        @Override
        protected Api4 computeValue(Class<?> type) {
            return new Api4(type);
        }
    };

    @Override
    protected Object prepare(Object state, Object handler) throws Exception {
        if (handler == null || AgentThread.current()) {
            return null;
        }
        Api4 api = APIS_4.get(handler.getClass());
        Object request = api.currentRequest.invoke(handler);
        Object route = api.route.invoke(handler);
        if (request == null || route == null) {
            return null;
        }
        Hops hops = exchanges4.computeIfAbsent(handler, h -> new Hops());
        IOException blockHop;
        synchronized (hops) {
            if (request == hops.request) {
                // the same request again (an authentication resend): not a new one
                if (hops.blockedMessage != null) {
                    return new IOException(hops.blockedMessage);
                }
                addTraceparent4(api, hops, request);
                return null;
            }
            HttpCall prev = hops.current;
            if (prev != null) { // the redirect that led here
                hops.current = null;
                prev.end(System.nanoTime(), -1, null);
                runtime.record(prev);
            }
            hops.request = request;
            hops.blockedMessage = null;
            boolean hop = hops.count > 0;
            IOException block = ApacheHttpGuard.decide(decider, hops, CLIENT_4,
                    (String) api.method.invoke(request), api.targetHost.invoke(route), api.path(request),
                    api.bodySize(request), () -> ApacheHttpGuard.modelBody4(request));
            if (block != null) {
                hops.blockedMessage = block.getMessage();
                if (!hop) {
                    return block; // thrown from start(): the client fails the exchange with it
                }
                blockHop = block;
            } else {
                addTraceparent4(api, hops, request);
                return null;
            }
        }
        // a redirect hop, on the I/O reactor's thread: fail the exchange with the block (outside our lock)
        api.failed.invoke(handler, blockHop);
        return FAILED;
    }

    private void addTraceparent4(Api4 api, Hops hops, Object request) throws ReflectiveOperationException {
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
    protected void response(Object handler, Object response) throws Exception {
        Hops hops = handler == null || response == null ? null : exchanges4.get(handler);
        if (hops == null) {
            return;
        }
        Api4 api = APIS_4.get(handler.getClass());
        synchronized (hops) {
            HttpCall call = hops.current;
            if (call != null) {
                call.status = (Integer) api.statusCode.invoke(api.statusLine.invoke(response));
                Object v = api.protocolVersion.invoke(response);
                if (v != null) {
                    int major = (Integer) api.major.invoke(v);
                    call.protocolVersion = major >= 2 ? Integer.toString(major) : major + "." + api.minor.invoke(v);
                }
            }
        }
    }

    @Override
    protected void completed(Object state, Object handler) throws Exception {
        Hops hops = handler == null || state == null ? null : exchanges4.get(handler);
        if (hops == null) {
            return;
        }
        Api4 api = APIS_4.get(handler.getClass());
        Object response = api.finalResponse(state);
        if (response != null) {
            modelResponse4(api, hops, state, response); // before the future completes with the response
            if (api.recordsAfterFuture) {
                synchronized (hops) {
                    runtime.expectRecord(); // an application exiting right after its get() waits for this record
                    hops.answered = true; // ended by exchangeDone, once the future is complete
                    hops.answeredNanos = System.nanoTime(); // not later: the application's callback runs first
                }
            } else {
                end4(hops, null);
                exchanges4.remove(handler);
            }
        }
        // else a redirect's request ends when its next hop is decided
    }

    /**
     * The exchange's handler completed the application's future with the final response and returned: its
     * request ends now, so that building its record is not on the application's path (the future's {@code get}
     * returns while this runs). Also when the handler threw (an application callback that throws).
     */
    @Override
    protected void exchangeDone(Object handler) {
        Hops hops = handler == null ? null : exchanges4.get(handler);
        if (hops == null) {
            return;
        }
        boolean answered;
        long at;
        synchronized (hops) {
            answered = hops.answered;
            at = hops.answeredNanos;
        }
        if (answered) {
            exchanges4.remove(handler);
            end4(hops, at, null);
        }
    }

    @Override
    protected void failed(Object handler, Throwable cause) {
        Hops hops = handler == null ? null : exchanges4.remove(handler);
        if (hops != null) {
            end4(hops, cause);
        }
    }

    /**
     * {@code future.cancel} (through {@code FutureWrapper}) or {@code handler.cancel()}: the exchange's current request
     * ends now, with a {@code CancellationException} (what the application's {@code get} throws). HttpAsyncClient
     * discards the connection without telling {@code failed}, or tells it later from the reactor (a
     * {@code ConnectionClosedException}), or never when no connection was leased yet; the entry is removed here, so
     * that later {@code failed} finds nothing. An exchange already done (its last response consumed:
     * {@code isDone()}) is left to {@link #completed}.
     */
    @Override
    protected void cancelled(Object handler) throws Exception {
        if (handler == null || (Boolean) APIS_4.get(handler.getClass()).isDone.invoke(handler)) {
            return;
        }
        Hops hops = exchanges4.remove(handler);
        if (hops != null) {
            end4(hops, new java.util.concurrent.CancellationException("cancelled"));
        }
    }

    /**
     * A model request's 2xx JSON answer, consumed whole into memory by HttpCore's {@code BasicAsyncResponseConsumer}
     * (the default consumer of {@code execute(HttpUriRequest, ...)}) as a {@code ContentBufferEntity}: its usage, read
     * from that buffer, the response given an entity of the same bytes, before the future completes with it. Nothing
     * is waited for (every byte has arrived); any other consumer's answer is left alone.
     */
    private void modelResponse4(Api4 api, Hops hops, Object state, Object response)
            throws ReflectiveOperationException {
        HttpCall call;
        synchronized (hops) {
            call = hops.current;
        }
        if (call == null || call.modelRequest == null || call.modelRequest.stream() || call.status < 200
                || call.status >= 300 || api.responseConsumer == null || api.responseEntity == null) {
            return;
        }
        Object consumer = api.responseConsumer.invoke(state);
        Object entity = api.responseEntity.invoke(response);
        if (consumer == null || entity == null
                || !consumer.getClass().getName().equals("org.apache.http.nio.protocol.BasicAsyncResponseConsumer")
                || !entity.getClass().getName().equals("org.apache.http.nio.entity.ContentBufferEntity")) {
            return;
        }
        byte[] body = ApacheHttpGuard.bufferModelBody4(response);
        if (body != null) {
            ModelCalls.usage(call, body, body.length, prices.get());
        }
    }

    private void end4(Hops hops, Throwable thrown) {
        end4(hops, System.nanoTime(), thrown);
    }

    private void end4(Hops hops, long endNanos, Throwable thrown) {
        HttpCall call;
        boolean announced;
        synchronized (hops) {
            call = hops.current;
            hops.current = null;
            announced = hops.answered;
            hops.answered = false;
        }
        if (call != null) {
            call.end(endNanos, -1, thrown);
        }
        if (announced) {
            runtime.recordExpected(call);
        } else if (call != null) {
            runtime.record(call);
        }
    }

    @Override
    protected void sessionRequest4(Object remoteAddress) {
        if (remoteAddress == null || AgentThread.current()) {
            return;
        }
        boolean decided = StackWalker.getInstance().walk(frames -> frames.anyMatch(
                f -> f.getClassName().equals(HANDLER_4)));
        if (decided) {
            io.agentid.bootstrap.SocketHooks.markDecided(remoteAddress);
        }
    }

    static final String CLIENT_4 = "apache-httpclient-4-async";
    /** The exchange handler of {@code InternalHttpAsyncClient} (not the minimal clients'). */
    static final String HANDLER_4 = "org.apache.http.impl.nio.client.DefaultClientExchangeHandlerImpl";

    /** HttpAsyncClient 4's and HttpCore 4's API the guard uses: the handler's package-private getters, and public interfaces. */
    static final class Api4 extends Loaded {
        /**
         * The handler is {@code DefaultClientExchangeHandlerImpl}, whose {@code responseCompleted()} agentid sees
         * return ({@code exchangeDone}): its requests are recorded after the future completes, not at
         * {@code completed}.
         */
        final boolean recordsAfterFuture;
        final Method currentRequest;
        final Method route;
        final Method finalResponse;
        final Method failed;
        final Method isDone;
        final Method method = method("org.apache.http.client.methods.HttpUriRequest", "getMethod");
        final Method uri = method("org.apache.http.client.methods.HttpUriRequest", "getURI");
        final Method firstHeader = method("org.apache.http.HttpMessage", "getFirstHeader", String.class);
        final Method headerValue = method("org.apache.http.Header", "getValue");
        final Method setHeader = method("org.apache.http.HttpMessage", "setHeader", String.class, String.class);
        final Method entity = method("org.apache.http.HttpEntityEnclosingRequest", "getEntity");
        final Method contentLength = method("org.apache.http.HttpEntity", "getContentLength");
        final Method statusLine = method("org.apache.http.HttpResponse", "getStatusLine");
        final Method statusCode = method("org.apache.http.StatusLine", "getStatusCode");
        final Method protocolVersion = method("org.apache.http.HttpMessage", "getProtocolVersion");
        final Method major = method("org.apache.http.ProtocolVersion", "getMajor");
        final Method minor = method("org.apache.http.ProtocolVersion", "getMinor");
        final Method targetHost = method("org.apache.http.conn.routing.HttpRoute", "getTargetHost");
        final Method responseEntity = optional("org.apache.http.HttpResponse", "getEntity");
        final Method responseConsumer;

        Api4(Class<?> handler) {
            super(handler.getClassLoader());
            recordsAfterFuture = handler.getName().equals(HANDLER_4);
            Class<?> base = handler;
            while (base != null && !base.getName().equals("org.apache.http.impl.nio.client.AbstractClientExchangeHandler")) {
                base = base.getSuperclass();
            }
            if (base == null) {
                throw new IllegalStateException("not an HttpAsyncClient 4 this agent knows: " + handler.getName());
            }
            try {
                currentRequest = base.getDeclaredMethod("getCurrentRequest");
                route = base.getDeclaredMethod("getRoute");
                failed = base.getMethod("failed", Exception.class);
                isDone = base.getMethod("isDone");
                finalResponse = Class.forName("org.apache.http.impl.nio.client.InternalState", false, loader)
                        .getDeclaredMethod("getFinalResponse");
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("not an HttpAsyncClient 4 this agent knows", e);
            }
            responseConsumer = optionalDeclared("org.apache.http.impl.nio.client.InternalState", "getResponseConsumer");
            currentRequest.setAccessible(true);
            route.setAccessible(true);
            finalResponse.setAccessible(true);
            failed.setAccessible(true);
            isDone.setAccessible(true);
        }

        /** Only model calls need it: null when this version lacks it (no usage then). */
        private Method optional(String type, String name) {
            return Accessors.optionalMethod(loader, type, name);
        }

        private Method optionalDeclared(String type, String name) {
            try {
                Method m = Class.forName(type, false, loader).getDeclaredMethod(name);
                m.setAccessible(true);
                return m;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        Object finalResponse(Object state) throws ReflectiveOperationException {
            return finalResponse.invoke(state);
        }

        String path(Object request) throws ReflectiveOperationException {
            java.net.URI u = (java.net.URI) uri.invoke(request);
            if (u == null) {
                return "/";
            }
            String p = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
            return u.getRawQuery() == null ? p : p + "?" + u.getRawQuery();
        }

        long bodySize(Object request) throws ReflectiveOperationException {
            if (!entity.getDeclaringClass().isInstance(request)) {
                return -1;
            }
            Object e = entity.invoke(request);
            return e == null ? -1 : (Long) contentLength.invoke(e);
        }

        private Method method(String type, String name, Class<?>... params) {
            return Accessors.apacheMethod(loader, type, name, params);
        }
    }

    /**
     * The callback an allowed request runs with: notes the response's status and protocol, ends the span when the
     * request completes or fails, and passes everything on to the callback it replaced. Nothing of ours escapes.
     */
    static final class Done implements InvocationHandler {
        private final ApacheAsyncGuard guard;
        private final Api api;
        private final Hops hops;
        private final HttpCall call;
        private final Object delegate;
        /** {@link #OPEN}, {@link #ANNOUNCED} (the response has come, and its record was announced) or {@link #ENDED}. */
        private final java.util.concurrent.atomic.AtomicInteger state = new java.util.concurrent.atomic.AtomicInteger();
        private static final int OPEN = 0;
        /**
         * The response has come ({@code handleResponse}) and its record was announced ({@link AgentRuntime#expectRecord}):
         * the response consumer completes the application's future before the exchange's {@code completed} ends the span.
         */
        private static final int ANNOUNCED = 1;
        private static final int ENDED = 2;
        private volatile int status = -1;
        private volatile Tee tee;
        /** When an answer without a body came ({@code handleResponse}, where the application's future completes). */
        private volatile long bodylessAt;
        private volatile boolean bodyless;

        Done(ApacheAsyncGuard guard, Api api, Hops hops, HttpCall call, Object delegate) {
            this.guard = guard;
            this.api = api;
            this.hops = hops;
            this.call = call;
            this.delegate = delegate;
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getDeclaringClass() == Object.class) {
                return Proxies.objectMethod(proxy, m, args, delegate);
            }
            try {
                switch (m.getName()) {
                    case "handleResponse":
                        status = (Integer) api.code.invoke(args[0]);
                        Object v = api.version.invoke(args[0]);
                        if (v != null) {
                            int major = (Integer) api.major.invoke(v);
                            call.protocolVersion = major >= 2 ? Integer.toString(major)
                                    : major + "." + api.minor.invoke(v);
                        }
                        if (state.compareAndSet(OPEN, ANNOUNCED)) {
                            guard.runtime.expectRecord();
                        }
                        if (args[1] == null) {
                            bodylessAt = System.nanoTime();
                            bodyless = true;
                        } else {
                            Tee model = Tee.of(api, call, status, args[1]);
                            tee = model != null ? model : Tee.timing();
                        }
                        break;
                    case "completed": {
                        int was = state.getAndSet(ENDED);
                        if (was != ENDED) {
                            Tee t = tee;
                            try {
                                if (t != null) {
                                    guard.usage(call, t);
                                }
                            } finally {
                                // the answer's end, not the application's callbacks run since inside the consumer
                                long now = System.nanoTime();
                                long end = t != null ? t.endNanos(now) : bodyless ? bodylessAt : now;
                                guard.end(hops, call, end, status, null, was == ANNOUNCED);
                            }
                        }
                        break;
                    }
                    case "failed": {
                        int was = state.getAndSet(ENDED);
                        if (was != ENDED) {
                            guard.end(hops, call, System.nanoTime(), status, (Throwable) args[0], was == ANNOUNCED);
                        }
                        break;
                    }
                    default:
                        break;
                }
            } catch (Throwable t) {
                Faults.report("apache.async.callback", t);
            }
            Object r;
            try {
                r = m.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
            Tee t = tee;
            if (t != null && r != null && m.getName().equals("handleResponse")) {
                try {
                    return t.around(api, r);
                } catch (Throwable e) {
                    tee = null;
                    Faults.report("apache.async.tee", e);
                }
            }
            return r;
        }
    }

    /**
     * The data consumer every answer with a body is given to, in front of the one the chain returned (the
     * application's, behind HttpClient's decompression if any). It notes when the body ended ({@code streamEnd}, which
     * completes the application's future and runs its {@code FutureCallback}), where the span ends. For a model
     * request's 2xx JSON answer it also copies each buffer handed on, from a view of it
     * (the application's consumer gets the very same buffer, its position untouched, before or after), up to
     * {@link ModelCalls#RESPONSE_CAP}, and passes every call on. Whatever the application's consumer does with the body
     * ({@code SimpleResponseConsumer}, its own), agentid reads the bytes the server sent; it never reads ahead, waits,
     * or changes what the application gets.
     */
    static final class Tee implements InvocationHandler {
        private final boolean gzip;
        private Object delegate;
        private byte[] buf;
        private int n;
        private boolean over;
        private boolean end;
        /** When the body ended ({@code streamEnd} entered, before the application's consumer completes its future). */
        private long endNanos;

        private Tee(boolean gzip, long length) {
            this.gzip = gzip;
            this.buf = new byte[length >= 0 ? (int) length : 8192];
        }

        /** One that copies nothing: notes only when the body ended. */
        private Tee() {
            this.gzip = false;
            this.over = true;
        }

        /** For an answer with a body that is not read for its usage: when its body ended, for the span's end. */
        static Tee timing() {
            return new Tee();
        }

        /** For a model request's answer worth reading: 2xx, one JSON document, identity or gzip, within the cap. */
        static Tee of(Api api, HttpCall call, int status, Object entity) throws ReflectiveOperationException {
            if (entity == null || call.modelRequest == null || call.modelRequest.stream() || status < 200
                    || status >= 300) {
                return null;
            }
            String type = (String) api.contentType.invoke(entity);
            String encoding = (String) api.contentEncoding.invoke(entity);
            long length = (Long) api.contentLength.invoke(entity);
            boolean gzip = BodyCopy.gzip(encoding);
            if (type == null || !ModelCalls.jsonBody(type) || length > ModelCalls.RESPONSE_CAP
                    || !(gzip || BodyCopy.identity(encoding))) {
                return null;
            }
            return new Tee(gzip, length);
        }

        Object around(Api api, Object consumer) {
            delegate = consumer;
            return Proxy.newProxyInstance(api.dataConsumer.getClassLoader(), new Class<?>[] {api.dataConsumer}, this);
        }

        private synchronized void copy(java.nio.ByteBuffer src) {
            if (over || src == null) {
                return;
            }
            java.nio.ByteBuffer view = src.duplicate();
            int k = view.remaining();
            if (n + k > ModelCalls.RESPONSE_CAP) {
                over = true;
                buf = null;
                return;
            }
            if (n + k > buf.length) {
                buf = java.util.Arrays.copyOf(buf, Math.min(ModelCalls.RESPONSE_CAP, Math.max(n + k, buf.length * 2)));
            }
            view.get(buf, n, k);
            n += k;
        }

        private synchronized void end() {
            end = true;
            endNanos = System.nanoTime();
        }

        /** When the body ended, or {@code orElse} if it has not. */
        synchronized long endNanos(long orElse) {
            return end ? endNanos : orElse;
        }

        /** The whole body (gunzipped), or null when it did not end, or was larger than the cap. */
        synchronized byte[] body() {
            if (!end || over) {
                return null;
            }
            return gzip ? BodyCopy.gunzip(buf, n) : java.util.Arrays.copyOf(buf, n);
        }

        @Override
        public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
            if (m.getDeclaringClass() == Object.class) {
                return Proxies.objectMethod(proxy, m, args, delegate);
            }
            try {
                if (m.getName().equals("consume") && args != null && args.length == 1
                        && args[0] instanceof java.nio.ByteBuffer) {
                    copy((java.nio.ByteBuffer) args[0]);
                } else if (m.getName().equals("streamEnd")) {
                    end();
                }
            } catch (Throwable t) {
                Faults.report("apache.async.tee", t);
            }
            try {
                return m.invoke(delegate, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        }
    }

    /** HttpClient 5's and HttpCore 5's public API the guard uses, looked up in the loader that defines them. */
    private abstract static class Loaded {
        final ClassLoader loader;

        Loaded(ClassLoader loader) {
            this.loader = loader;
        }
    }

    static final String BASIC_REQUEST_PRODUCER = "org.apache.hc.core5.http.nio.support.BasicRequestProducer";
    static final String SIMPLE_REQUEST_PRODUCER = "org.apache.hc.client5.http.async.methods.SimpleRequestProducer";
    static final String BYTES_PRODUCER = "org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer";
    static final String STRING_PRODUCER = "org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer";

    static final class Api extends Loaded {
        final Class<?> callback = type("org.apache.hc.client5.http.async.AsyncExecCallback");
        final Field exchangeId = field("org.apache.hc.client5.http.async.AsyncExecChain$Scope", "exchangeId");
        final Field route = field("org.apache.hc.client5.http.async.AsyncExecChain$Scope", "route");
        final Field clientContext = field("org.apache.hc.client5.http.async.AsyncExecChain$Scope", "clientContext");
        final Method targetHost = method("org.apache.hc.client5.http.HttpRoute", "getTargetHost");
        final Method getAttribute = method("org.apache.hc.core5.http.protocol.HttpContext", "getAttribute",
                String.class);
        final Method setAttribute = method("org.apache.hc.core5.http.protocol.HttpContext", "setAttribute",
                String.class, Object.class);
        final Method method = method("org.apache.hc.core5.http.HttpRequest", "getMethod");
        final Method path = method("org.apache.hc.core5.http.HttpRequest", "getPath");
        final Method firstHeader = method("org.apache.hc.core5.http.MessageHeaders", "getFirstHeader", String.class);
        final Method headerValue = method("org.apache.hc.core5.http.NameValuePair", "getValue");
        final Method setHeader = method("org.apache.hc.core5.http.HttpMessage", "setHeader", String.class,
                Object.class);
        final Method contentLength = method("org.apache.hc.core5.http.EntityDetails", "getContentLength");
        final Method code = method("org.apache.hc.core5.http.HttpResponse", "getCode");
        final Method version = method("org.apache.hc.core5.http.HttpMessage", "getVersion");
        final Method major = method("org.apache.hc.core5.http.ProtocolVersion", "getMajor");
        final Method minor = method("org.apache.hc.core5.http.ProtocolVersion", "getMinor");
        final Method contentType = method("org.apache.hc.core5.http.EntityDetails", "getContentType");
        final Method contentEncoding = method("org.apache.hc.core5.http.EntityDetails", "getContentEncoding");
        final Method repeatable = method("org.apache.hc.core5.http.nio.AsyncEntityProducer", "isRepeatable");
        final Class<?> dataConsumer = type("org.apache.hc.core5.http.nio.AsyncDataConsumer");
        // what only a model request's body needs: private fields of HttpCore's in-memory producers, read, never
        // changed; null where this version lacks them (the request is then decided on its path)
        final Field dataProducer = privateField(BASIC_REQUEST_PRODUCER, "dataProducer");
        final Field bytes = privateField(BYTES_PRODUCER, "bytebuf");
        final Field chars = privateField(STRING_PRODUCER, "content");

        Api(ClassLoader loader) {
            super(loader);
        }

        /**
         * The bytes a model request's entity will send, when HttpCore holds them in memory and they can be read without
         * producing anything: the request producer is HttpCore's {@code BasicRequestProducer} (or HttpClient's
         * {@code SimpleRequestProducer}), its entity producer exactly {@code BasicAsyncEntityProducer} (bytes; what
         * {@code AsyncEntityProducers.create(String|byte[], ...)} and a {@code SimpleHttpRequest}'s byte body make) or
         * {@code StringAsyncEntityProducer} (a {@code SimpleHttpRequest}'s text, sent chunked in the charset of its
         * content type), repeatable, not content-encoded, at most {@link ModelCalls#REQUEST_CAP} bytes, and the chain's
         * entity producer (the client's wrapper of it) has the same length. Read from views of their buffers, so the
         * producer's own positions are untouched. Anything else (a stream, a file, the application's own producer):
         * null. What is returned is the body's text in UTF-8, which the model-request parser reads: the producer's
         * chars encoded so, and bytes whose content type names another charset decoded from it first (the bytes sent
         * are the producer's, untouched).
         */
        HttpGuard.Body modelBody(Object requestProducer, Object chainProducer) {
            try {
                if (requestProducer == null || chainProducer == null || dataProducer == null) {
                    return null;
                }
                String rp = requestProducer.getClass().getName();
                if (!rp.equals(BASIC_REQUEST_PRODUCER) && !rp.equals(SIMPLE_REQUEST_PRODUCER)) {
                    return null;
                }
                Object p = dataProducer.get(requestProducer);
                if (p == null || !(Boolean) repeatable.invoke(p)
                        || !BodyCopy.identity((String) contentEncoding.invoke(p))) {
                    return null;
                }
                long length = (Long) contentLength.invoke(p);
                if (length != (Long) contentLength.invoke(chainProducer)) {
                    return null;
                }
                String type = p.getClass().getName();
                if (type.equals(BYTES_PRODUCER) && bytes != null) {
                    java.nio.ByteBuffer b = ((java.nio.ByteBuffer) bytes.get(p)).duplicate();
                    b.position(0);
                    if (b.remaining() > ModelCalls.REQUEST_CAP || b.remaining() != length) {
                        return null;
                    }
                    byte[] out = ModelCalls.utf8(b, (String) contentType.invoke(p));
                    return out.length > ModelCalls.REQUEST_CAP ? null : new HttpGuard.Body(out, 0, out.length);
                }
                if (type.equals(STRING_PRODUCER) && chars != null) {
                    java.nio.CharBuffer c = ((java.nio.CharBuffer) chars.get(p)).duplicate();
                    c.rewind();
                    if (c.remaining() > ModelCalls.REQUEST_CAP) {
                        return null;
                    }
                    // the text in UTF-8 for the parser, whatever charset the producer will send it in
                    java.nio.ByteBuffer b = java.nio.charset.StandardCharsets.UTF_8.newEncoder().encode(c);
                    if (b.remaining() > ModelCalls.REQUEST_CAP) {
                        return null;
                    }
                    byte[] out = new byte[b.remaining()];
                    b.get(out);
                    return new HttpGuard.Body(out, 0, out.length);
                }
                return null;
            } catch (ReflectiveOperationException | RuntimeException | java.nio.charset.CharacterCodingException e) {
                return null; // not known: decided on the path
            }
        }

        private Field privateField(String type, String name) {
            try {
                Field f = Class.forName(type, false, loader).getDeclaredField(name);
                f.setAccessible(true);
                return f;
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }

        private Class<?> type(String name) {
            return Accessors.apacheType(loader, name);
        }

        private Field field(String type, String name) {
            return Accessors.apacheField(loader, type, name);
        }

        private Method method(String type, String name, Class<?>... params) {
            return Accessors.apacheMethod(loader, type, name, params);
        }
    }
}
