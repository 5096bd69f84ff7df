package io.agentid.interceptors.socket;

import io.agentid.bootstrap.Faults;
import io.agentid.bootstrap.JdbcHooks;
import io.agentid.bootstrap.SocketHooks;
import io.agentid.policy.Decision;
import io.agentid.policy.Hosts;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;

/**
 * The egress backstop: decides each TCP connect below the clients. Implementation notes.
 *
 * <p><b>What is decided.</b> A connect to an {@link InetSocketAddress} is a raw connection to
 * {@code decideHttp}: method, scheme and path null, cost NaN, so only destination rules (host, CIDR, port,
 * agent) can match it. It is decided on the name the caller gave ({@code getHostString()}: the name or the
 * literal, never a lookup) and, when the address is resolved and its literal differs, on the IP literal too,
 * so a host rule catches {@code new Socket("evil.example.com", 443)} and a CIDR rule catches the address it
 * resolved to. If either is denied, the connect is denied (the deny is recorded; otherwise the name's allow).
 *
 * <p><b>What is not decided.</b> Connects on agentid's own threads ({@link AgentThread}); connects inside code
 * whose request the HTTP interceptor already decided ({@link SocketHooks#enterDecided}, a thread-local depth);
 * connects while a JDBC call or {@code Driver.connect} runs on this thread ({@link JdbcHooks#inCall()}: a
 * driver's connection to its database is the JDBC rules' business); a connect nested in one already decided
 * (the same depth); a connect to an address object an interceptor marked as its decided request's
 * ({@link SocketHooks#markDecided}: HttpAsyncClient 4's reactor connects); addresses that are not
 * {@code InetSocketAddress} (Unix domain sockets).
 */
final class SocketGuard extends SocketHooks {
    private final AgentRuntime runtime;
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);

    /** Package prefixes of the clients whose own interceptor decides their requests (their connects are theirs). */
    private final String[] decidedClients;

    SocketGuard(AgentRuntime runtime) {
        this.runtime = runtime;
        java.util.List<String> p = new java.util.ArrayList<>();
        if (Boolean.parseBoolean(runtime.setting("interceptor.okhttp.enabled", "true"))) {
            p.add("okhttp3.");
        }
        if (Boolean.parseBoolean(runtime.setting("interceptor.apache-httpclient.enabled", "true"))) {
            p.add("org.apache.hc.client5.");
            // HttpClient 4 classic's exec chain (its connects run under MainClientExec), not all of
            // org.apache.http.impl: HttpCore NIO's reactor (org.apache.http.impl.nio.reactor), which HttpAsyncClient 4
            // connects through and which no interceptor decides, stays the backstop's
            p.add("org.apache.http.impl.execchain.");
        }
        this.decidedClients = p.toArray(new String[0]);
    }

    /**
     * Whether this connect is made by OkHttp or Apache HttpClient, whose interceptors decided the request it is
     * for. Their connects can run on threads of their own (OkHttp 5's fast fallback), so the stack, not a
     * thread-local, tells. A connect costs far more than this walk.
     */
    private boolean byDecidedClient() {
        if (decidedClients.length == 0) {
            return false;
        }
        return StackWalker.getInstance().walk(frames -> frames.anyMatch(f -> {
            String c = f.getClassName();
            for (String prefix : decidedClients) {
                if (c.startsWith(prefix)) {
                    return true;
                }
            }
            return false;
        }));
    }

    @Override
    protected Object connect(Object remote) {
        if (!(remote instanceof InetSocketAddress) || AgentThread.current()) {
            return null;
        }
        int[] d = depth.get();
        if (d[0] > 0 || JdbcHooks.inCall() || takeMarked(remote) || byDecidedClient()) {
            return null;
        }
        InetSocketAddress a = (InetSocketAddress) remote;
        long start = System.nanoTime();
        try {
            String host = Hosts.normalise(a.getHostString());
            InetAddress ip = a.isUnresolved() ? null : a.getAddress();
            String peer = ip == null ? null : Hosts.normalise(ip.getHostAddress());
            int port = a.getPort();
            String agent = runtime.agentId();
            Decision decision = runtime.engine().decideHttp(agent, null, null, host, port, null, null, Double.NaN);
            if (!decision.isDeny() && peer != null && !peer.equals(host)) {
                Decision byAddress = runtime.engine().decideHttp(agent, null, null, peer, port, null, null,
                        Double.NaN);
                if (byAddress.isDeny()) {
                    decision = byAddress;
                }
            }
            SocketCall call = new SocketCall(start, decision, decision.blocks(), host, port, peer);
            if (decision.blocks()) {
                call.finish(System.nanoTime(), null);
                runtime.record(call);
                return new IOException("agentid: blocked by rule '" + decision.ruleId() + "': " + decision.reason());
            }
            d[0]++;
            return call;
        } catch (RuntimeException | Error e) {
            Faults.report("socket.decide", e);
            if (runtime.blockOnInternalError()) {
                return new IOException("agentid: blocked by rule 'internal-error': the agent could not decide this"
                        + " connection (" + e.getClass().getSimpleName() + "); on_internal_error is block");
            }
            return null;
        }
    }

    /** Addresses marked decided ({@link SocketHooks#markDecided}), by identity, weakly: few, and short-lived. */
    private final java.util.List<java.lang.ref.WeakReference<Object>> marked = new java.util.ArrayList<>();

    @Override
    protected void decidedAddress(Object address) {
        synchronized (marked) {
            marked.removeIf(r -> r.get() == null);
            marked.add(new java.lang.ref.WeakReference<>(address));
        }
    }

    private boolean takeMarked(Object remote) {
        synchronized (marked) {
            for (java.util.Iterator<java.lang.ref.WeakReference<Object>> i = marked.iterator(); i.hasNext(); ) {
                if (i.next().get() == remote) {
                    i.remove();
                    return true;
                }
            }
        }
        return false;
    }

    @Override
    protected void connectDone(Object scope, Throwable thrown) {
        int[] d = depth.get();
        if (d[0] > 0) {
            d[0]--;
        }
        SocketCall call = (SocketCall) scope;
        call.finish(System.nanoTime(), thrown);
        runtime.record(call);
    }

    @Override
    protected Object decidedEnter() {
        int[] d = depth.get();
        d[0]++;
        return d;
    }

    @Override
    protected void decidedExit(Object token) {
        int[] d = (int[]) token;
        if (d[0] > 0) {
            d[0]--;
        }
    }
}
