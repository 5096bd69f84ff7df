package io.agentid.interceptors.socket;

import io.agentid.policy.Decision;
import io.agentid.runtime.CallRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;

/** One TCP connect the backstop decided: a span {@code CONNECT host:port} of kind {@code http}. */
final class SocketCall extends CallRecord {
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<String> PEER_ADDRESS = AttributeKey.stringKey("network.peer.address");
    static final AttributeKey<String> TRANSPORT = AttributeKey.stringKey("network.transport");
    static final AttributeKey<String> CLIENT = AttributeKey.stringKey("agentid.http.client");
    static final String CLIENT_SOCKET = "socket";

    /** Canonical ({@code Hosts.normalise}): the name the caller gave, or the address literal. */
    final String host;
    final int port;
    /** The IP literal connected to (canonical), or null when the address was unresolved. */
    final String peer;

    SocketCall(long start, Decision decision, boolean blocked, String host, int port, String peer) {
        super(start, decision, blocked);
        this.host = host;
        this.port = port;
        this.peer = peer;
    }

    @Override
    protected String kind() {
        return "http";
    }

    @Override
    protected String spanName() {
        return "CONNECT " + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    protected void addAttributes(AttributesBuilder a) {
        a.put(SERVER_ADDRESS, host);
        a.put(SERVER_PORT, (long) port);
        if (peer != null) {
            a.put(PEER_ADDRESS, peer);
        }
        a.put(TRANSPORT, "tcp");
        a.put(CLIENT, CLIENT_SOCKET);
    }
}
