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

    protected abstract Object exec(Object request, Object entityProducer, Object scope, Object callback,
            boolean retry) throws Exception;

    protected abstract void sessionRequest(Object sessionRequest);

    protected abstract boolean decidedSession(Object sessionRequest);
}
