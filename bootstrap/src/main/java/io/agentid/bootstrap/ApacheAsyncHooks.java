package io.agentid.bootstrap;

import java.io.IOException;

/**
 * The hooks Apache HttpClient 5's async client's advice calls ({@code AsyncHttpRequestRetryExec.execute},
 * {@code AsyncProtocolExec.execute}; for the backstop, {@code IOSessionRequest}'s constructor and
 * {@code SingleCoreIOReactor.processConnectionRequest}). HttpClient's classes belong to the application's
 * class loader, so every parameter is typed {@code Object}. Contract as in {@link JdbcHooks}: a delegate signals
 * a block by <em>returning</em> the {@link IOException}; anything it throws is a fault of ours, reported to
 * {@link Faults}, and the call proceeds.
 */
public abstract class ApacheAsyncHooks {
    private static volatile ApacheAsyncHooks delegate;

    protected ApacheAsyncHooks() {}

    public static void install(ApacheAsyncHooks hooks) {
        delegate = hooks;
    }

    /**
     * An exec chain handler ({@code retry}: {@code AsyncHttpRequestRetryExec}, else {@code AsyncProtocolExec}) is
     * about to run {@code request} of {@code scope} ({@code AsyncExecChain.Scope}), answering {@code callback}
     * ({@code AsyncExecCallback}). Returns the callback to run it with instead (one that ends the request's span),
     * or null to leave it. Throws the block.
     */
    public static Object execEnter(Object request, Object entityProducer, Object scope, Object callback,
            boolean retry) throws IOException {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object r;
        try {
            r = d.exec(request, entityProducer, scope, callback, retry);
        } catch (Throwable t) {
            Faults.report("apache.async.exec", t);
            return null;
        }
        if (r instanceof IOException) {
            throw (IOException) r;
        }
        return r;
    }

    /**
     * HttpClient 5 async: {@code InternalAbstractHttpAsyncClient.doExecute(target, requestProducer, ...)} is about to
     * start an exchange; its first request reaches {@link #execEnter} on this thread, inside this call. Returns a
     * token for {@link #executeExit}.
     */
    public static Object executeEnter(Object requestProducer) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.executeStart(requestProducer);
        } catch (Throwable t) {
            Faults.report("apache.async.execute", t);
            return null;
        }
    }

    public static void executeExit(Object token) {
        ApacheAsyncHooks d = delegate;
        if (d == null || token == null) {
            return;
        }
        try {
            d.executeEnd(token);
        } catch (Throwable t) {
            Faults.report("apache.async.execute", t);
        }
    }

    /** An {@code IOSessionRequest} (a connection the I/O reactor is to open) was made. */
    public static void sessionRequested(Object sessionRequest) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.sessionRequest(sessionRequest);
        } catch (Throwable t) {
            Faults.report("apache.async.session", t);
        }
    }

    /**
     * The I/O reactor is about to connect for {@code sessionRequest}. Returns a token for {@link #reactorConnectExit}:
     * when the connection is for a request the interceptor decided, the backstop leaves the connect alone.
     */
    public static Object reactorConnectEnter(Object sessionRequest) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.decidedSession(sessionRequest) ? SocketHooks.enterDecided() : null;
        } catch (Throwable t) {
            Faults.report("apache.async.connect", t);
            return null;
        }
    }

    public static void reactorConnectExit(Object token) {
        if (token != null) {
            SocketHooks.exitDecided(token);
        }
    }

    /** What {@link #prepare4} returns when it failed the exchange itself: the request is not to be prepared. */
    public static final Object FAILED = new Object();

    /**
     * HttpAsyncClient 4: {@code MainClientExec.prepareRequest(state, handler)}, for each request of an exchange (the
     * first, each redirect hop) before its connection is asked for. Throws the block of the first request; a
     * redirect hop's block the delegate hands to the exchange's {@code failed} itself (thrown on the I/O reactor's
     * thread it would not reach the future), and this returns true: skip preparing it.
     */
    public static boolean prepare4(Object state, Object handler) throws IOException {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return false;
        }
        Object r;
        try {
            r = d.prepare(state, handler);
        } catch (Throwable t) {
            Faults.report("apache.async4.prepare", t);
            return false;
        }
        if (r instanceof IOException) {
            throw (IOException) r;
        }
        return r == FAILED;
    }

    /** HttpAsyncClient 4: the response head of the exchange's current request arrived. */
    public static void response4(Object handler, Object response) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.response(handler, response);
        } catch (Throwable t) {
            Faults.report("apache.async4.response", t);
        }
    }

    /** HttpAsyncClient 4: a response was consumed ({@code MainClientExec.responseCompleted} returned). */
    public static void completed4(Object state, Object handler) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.completed(state, handler);
        } catch (Throwable t) {
            Faults.report("apache.async4.completed", t);
        }
    }

    /**
     * HttpAsyncClient 4: {@code DefaultClientExchangeHandlerImpl.responseCompleted()} returned or threw: after a final
     * response, the application's future has been completed (and its callback run) by then.
     */
    public static void exchangeDone4(Object handler) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.exchangeDone(handler);
        } catch (Throwable t) {
            Faults.report("apache.async4.done", t);
        }
    }

    /** HttpAsyncClient 4: the exchange is being cancelled ({@code AbstractClientExchangeHandler.cancel}). */
    public static void cancelled4(Object handler) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.cancelled(handler);
        } catch (Throwable t) {
            Faults.report("apache.async4.cancelled", t);
        }
    }

    /** HttpAsyncClient 4: the exchange failed ({@code AbstractClientExchangeHandler.failed}). */
    public static void failed4(Object handler, Throwable cause) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.failed(handler, cause);
        } catch (Throwable t) {
            Faults.report("apache.async4.failed", t);
        }
    }

    /** HttpCore NIO 4: a {@code SessionRequestImpl} for {@code remoteAddress} was made. */
    public static void sessionRequested4(Object remoteAddress) {
        ApacheAsyncHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.sessionRequest4(remoteAddress);
        } catch (Throwable t) {
            Faults.report("apache.async4.session", t);
        }
    }

    /** Returns null, the block to throw, or {@link #FAILED}. */
    protected abstract Object prepare(Object state, Object handler) throws Exception;

    protected abstract void response(Object handler, Object response) throws Exception;

    protected abstract void completed(Object state, Object handler) throws Exception;

    protected abstract void failed(Object handler, Throwable cause) throws Exception;

    protected abstract void exchangeDone(Object handler) throws Exception;

    protected abstract void cancelled(Object handler) throws Exception;

    protected abstract void sessionRequest4(Object remoteAddress);

    protected abstract Object exec(Object request, Object entityProducer, Object scope, Object callback,
            boolean retry) throws Exception;

    protected abstract void sessionRequest(Object sessionRequest);

    /** Returns the token {@link #executeExit} hands back to {@link #executeEnd}, or null. */
    protected abstract Object executeStart(Object requestProducer);

    protected abstract void executeEnd(Object token);

    protected abstract boolean decidedSession(Object sessionRequest);
}
