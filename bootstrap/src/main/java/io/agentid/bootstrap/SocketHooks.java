package io.agentid.bootstrap;

import java.io.IOException;

/**
 * The egress backstop's hooks, for the JDK's TCP connect points ({@code sun.nio.ch.NioSocketImpl}, behind
 * {@code java.net.Socket}; {@code sun.nio.ch.SocketChannelImpl}, behind {@code SocketChannel} and the transports
 * built on it). Static entry points forward to the delegate the agent installs.
 *
 * <p>Contract as in {@link JdbcHooks}: a delegate signals a deliberate block by <em>returning</em> the
 * {@link IOException}, which {@link #enterConnect} throws; anything the delegate throws is a fault of ours,
 * reported to {@link Faults}, and the connection proceeds.
 */
public abstract class SocketHooks {
    private static volatile SocketHooks delegate;

    protected SocketHooks() {}

    public static void install(SocketHooks hooks) {
        delegate = hooks;
    }

    /** Before a TCP connect to {@code remote} (a {@code SocketAddress}). Returns a scope for {@link #exitConnect}, or null. */
    public static Object enterConnect(Object remote) throws IOException {
        SocketHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object scope;
        try {
            scope = d.connect(remote);
        } catch (Throwable t) {
            Faults.report("socket.enter", t);
            return null;
        }
        if (scope instanceof IOException) {
            throw (IOException) scope;
        }
        return scope;
    }

    public static void exitConnect(Object scope, Throwable thrown) {
        SocketHooks d = delegate;
        if (d == null || scope == null) {
            return;
        }
        try {
            d.connectDone(scope, thrown);
        } catch (Throwable t) {
            Faults.report("socket.exit", t);
        }
    }

    /**
     * Code whose connections an interceptor has already decided ({@code HttpURLConnection.plainConnect0}, the
     * JDK client's {@code PlainHttpConnection.connectAsync}): connects inside it are not decided again.
     * Returns a token for {@link #exitDecided}.
     */
    public static Object enterDecided() {
        SocketHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.decidedEnter();
        } catch (Throwable t) {
            Faults.report("socket.decided", t);
            return null;
        }
    }

    public static void exitDecided(Object token) {
        SocketHooks d = delegate;
        if (d == null || token == null) {
            return;
        }
        try {
            d.decidedExit(token);
        } catch (Throwable t) {
            Faults.report("socket.decided", t);
        }
    }

    /**
     * {@code address} (the very {@code SocketAddress} object) is where a connection for a request an interceptor
     * decided will be made, on another thread (an I/O reactor's): the connect to it is not decided again.
     */
    public static void markDecided(Object address) {
        SocketHooks d = delegate;
        if (d == null || address == null) {
            return;
        }
        try {
            d.decidedAddress(address);
        } catch (Throwable t) {
            Faults.report("socket.decided", t);
        }
    }

    protected abstract Object connect(Object remote) throws Exception;

    protected abstract void decidedAddress(Object address);

    protected abstract void connectDone(Object scope, Throwable thrown);

    protected abstract Object decidedEnter();

    protected abstract void decidedExit(Object token);
}
