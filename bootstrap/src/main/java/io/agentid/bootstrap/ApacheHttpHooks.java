package io.agentid.bootstrap;

import java.io.IOException;

/**
 * The hooks Apache HttpClient classic's advice calls (5: {@code InternalHttpClient.doExecute},
 * {@code HttpRequestRetryExec.execute}, {@code ProtocolExec.execute}; 4: {@code InternalHttpClient.doExecute},
 * {@code RetryExec.execute}, {@code ProtocolExec.execute}). HttpClient's classes belong to the
 * application's class loader, so every parameter is typed {@code Object}. Contract as in {@link JdbcHooks}: a
 * delegate signals a block by <em>returning</em> the {@link IOException}; anything it throws is a fault of ours,
 * reported to {@link Faults}, and the call proceeds.
 */
public abstract class ApacheHttpHooks {
    private static volatile ApacheHttpHooks delegate;

    protected ApacheHttpHooks() {}

    public static void install(ApacheHttpHooks hooks) {
        delegate = hooks;
    }

    /** {@code doExecute} was entered: a call begins on this thread. Returns a scope for {@link #callExit}. */
    public static Object callEnter() {
        ApacheHttpHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.beginCall();
        } catch (Throwable t) {
            Faults.report("apache.call.enter", t);
            return null;
        }
    }

    public static void callExit(Object scope, Throwable thrown) {
        ApacheHttpHooks d = delegate;
        if (d == null || scope == null) {
            return;
        }
        try {
            d.endCall(scope, thrown);
        } catch (Throwable t) {
            Faults.report("apache.call.exit", t);
        }
    }

    /**
     * An exec chain element ({@code retry}: the retrying one, else {@code ProtocolExec}) is about to run
     * {@code request}. {@code key} is what stays the same across the retries of one request and changes with
     * each redirect hop (5: the {@code ExecChain.Scope}, which holds the route; 4: the request wrapper);
     * {@code route} is the route (4), or null (5). Returns a scope for {@link #hopExit}, or null. Throws the block.
     */
    public static Object hopEnter(Object key, Object route, Object request, boolean retry) throws IOException {
        ApacheHttpHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object r;
        try {
            r = d.hop(key, route, request, retry);
        } catch (Throwable t) {
            Faults.report("apache.hop.enter", t);
            return null;
        }
        if (r instanceof IOException) {
            throw (IOException) r;
        }
        return r;
    }

    public static void hopExit(Object scope, Object response, Throwable thrown) {
        ApacheHttpHooks d = delegate;
        if (d == null || scope == null) {
            return;
        }
        try {
            d.hopDone(scope, response, thrown);
        } catch (Throwable t) {
            Faults.report("apache.hop.exit", t);
        }
    }

    protected abstract Object beginCall();

    protected abstract void endCall(Object scope, Throwable thrown);

    protected abstract Object hop(Object key, Object route, Object request, boolean retry) throws Exception;

    protected abstract void hopDone(Object scope, Object response, Throwable thrown) throws Exception;
}
