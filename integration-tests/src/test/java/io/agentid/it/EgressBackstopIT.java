package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.SocketApp;
import io.agentid.it.support.CountingHttpServer;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.h2.tools.Server;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The egress backstop in a forked JVM: raw {@code Socket}, {@code SocketChannel}, OkHttp (its interceptor off) and
 * Netty NIO connections to destinations outside an egress allowlist (by port, by name, by address) are refused
 * before they reach a real TCP server that counts what it accepts; allowed ones connect; every decided connection is one
 * {@code CONNECT host:port} span. Under the same allowlist, which leaves out the H2 server's and the OTLP sink's
 * ports, JDBC to H2 over TCP still works (a driver's connection is the JDBC rules' business) and so does
 * agentid's own export; the JDK HTTP clients' requests are one span each (their connects are not decided again).
 */
class EgressBackstopIT {
    private static final String OUTSIDE = "agentid: blocked by rule 'egress-allowlist': egress outside the allowlist";
    private static final String LOCALHOST = "agentid: blocked by rule 'no-localhost': localhost is not for agents";
    private static final String SECOND = "agentid: blocked by rule 'no-second-loopback': 127.0.0.2 is not for agents";

    @TempDir
    static Path tmp;
    private static Counting allowed;
    private static Counting denied;
    private static CountingHttpServer http;
    private static Server h2;

    /** A TCP server on every address that counts the connections it accepts. */
    static final class Counting implements AutoCloseable {
        final ServerSocket server;
        final AtomicInteger accepted = new AtomicInteger();

        Counting() throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress("0.0.0.0", 0));
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.incrementAndGet();
                    } catch (IOException e) {
                        return;
                    }
                }
            }, "counting-" + server.getLocalPort());
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }

    @BeforeAll
    static void start() throws Exception {
        allowed = new Counting();
        denied = new Counting();
        http = new CountingHttpServer(tmp);
        h2 = Server.createTcpServer("-tcpPort", "0", "-ifNotExists").start();
    }

    @AfterAll
    static void stop() throws Exception {
        allowed.close();
        denied.close();
        http.close();
        h2.stop();
    }

    static List<Jvms.Jvm> jvms() {
        return Jvms.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void refusesRawConnectionsOutsideTheAllowlist(Jvms.Jvm jvm) throws Exception {
        Path policy = Files.writeString(tmp.resolve("egress-" + jvm.label() + ".yaml"), String.join("\n",
                "version: 1",
                "default: allow",
                "rules:",
                "  - id: egress-allowlist",
                "    match: { kind: http, port_not: [" + allowed.port() + ", " + http.httpPort() + "] }",
                "    decision: deny",
                "    reason: egress outside the allowlist",
                "  - id: no-localhost",
                "    match: { kind: http, host: [localhost] }",
                "    decision: deny",
                "    reason: localhost is not for agents",
                "  - id: no-second-loopback",
                "    match: { kind: http, host: [\"127.0.0.2/32\"] }",
                "    decision: deny",
                "    reason: 127.0.0.2 is not for agents",
                ""));
        int allowedBefore = allowed.accepted.get();
        int deniedBefore = denied.accepted.get();
        Map<String, Integer> httpBefore = http.counts();
        try (OtlpSink sink = new OtlpSink()) {
            // OkHttp's own interceptor is off here: it stands for an HTTP stack agentid has no interceptor for
            Forked.Result r = Forked.of(jvm, SocketApp.class)
                    .agent("policy=" + policy + ",agent.id=socket-agent,interceptor.okhttp.enabled=false")
                    .exportTo(sink)
                    .args(String.valueOf(allowed.port()), String.valueOf(denied.port()),
                            String.valueOf(http.httpPort()), String.valueOf(h2.getPort()))
                    .run()
                    .assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");

            assertThat(r.value("step.socket_allowed")).as(r.toString()).isEqualTo("ok true");
            assertThat(r.value("step.channel_allowed")).as(r.toString()).isEqualTo("ok true");
            Map<String, String> blocked = Map.of(
                    "socket_denied_port", OUTSIDE,
                    "socket_denied_name", LOCALHOST,
                    "socket_denied_cidr", SECOND,
                    "socket_denied_resolved_ip", SECOND,
                    "channel_denied", OUTSIDE,
                    "channel_nonblocking_denied", LOCALHOST,
                    "channel_adaptor_denied", OUTSIDE);
            for (Map.Entry<String, String> e : blocked.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("blocked java.io.IOException " + e.getValue());
            }
            // another HTTP stack: OkHttp's connect is refused with the same message
            assertThat(r.value("step.okhttp_denied")).as(r.toString()).endsWith(OUTSIDE);
            // and Netty's NIO transport: its connect future fails with our IOException, the allowed one connects
            assertThat(r.value("step.netty_allowed")).as(r.toString()).isEqualTo("ok true");
            assertThat(r.value("step.netty_denied")).as(r.toString()).isEqualTo("blocked java.io.IOException " + OUTSIDE);
            // a JDK WebSocket's opening handshake to a denied port fails with the same message
            assertThat(r.value("step.websocket_denied")).as(r.toString()).isEqualTo("blocked java.io.IOException " + OUTSIDE);
            // a JDBC driver's connection to its database is governed by JDBC rules, not egress rules
            assertThat(r.value("step.jdbc_h2_tcp")).as(r.toString()).isEqualTo("ok 42");
            assertThat(r.value("step.url_allowed")).as(r.toString()).startsWith("ok 200 ok /socket-url");
            assertThat(r.value("step.jdk_allowed")).as(r.toString()).startsWith("ok 200 ok /socket-jdk");

            // what reached the servers: only the three allowed raw connections; nothing on the denied port
            assertThat(allowed.accepted.get() - allowedBefore).as(r.toString()).isEqualTo(3);
            assertThat(denied.accepted.get() - deniedBefore).as(r.toString()).isZero();
            assertThat(http.counts().getOrDefault("/socket-url", 0) - httpBefore.getOrDefault("/socket-url", 0))
                    .isEqualTo(1);

            // spans: one per decided connection, one per HTTP request (no CONNECT span for those), none for
            // the database or the export; and the export itself reached the sink although its port is denied
            List<SpanRecord> connects = sink.spans(s -> s.name().startsWith("CONNECT "));
            // three allowed (Socket, SocketChannel, Netty), seven blocked above, OkHttp's and Netty's blocked ones
            assertThat(connects).as(r + "\n" + sink.spans()).hasSize(3 + blocked.size() + 2);
            assertThat(connects).allSatisfy(s -> {
                assertThat(s.attr("agentid.kind")).isEqualTo("http");
                assertThat(s.attr("agentid.http.client")).isEqualTo("socket");
                assertThat(s.attr("agentid.agent.id")).isEqualTo("socket-agent");
                assertThat(s.attr("server.port")).isIn(String.valueOf(allowed.port()), String.valueOf(denied.port()));
            });
            assertThat(sink.spans(s -> s.name().equals("CONNECT 127.0.0.1:" + allowed.port())))
                    .hasSize(3).allSatisfy(s -> {
                        assertThat(s.attr("agentid.decision")).isEqualTo("allow");
                        assertThat(s.attr("network.peer.address")).isEqualTo("127.0.0.1");
                    });
            // Socket and non-blocking SocketChannel to localhost
            assertThat(sink.spans(s -> s.name().equals("CONNECT localhost:" + allowed.port()))).hasSize(2)
                    .allSatisfy(s -> {
                        assertThat(s.attr("agentid.decision")).isEqualTo("deny");
                        assertThat(s.attr("agentid.rule.id")).isEqualTo("no-localhost");
                        assertThat(s.attr("server.address")).isEqualTo("localhost");
                        assertThat(s.statusCode()).isEqualTo("STATUS_CODE_ERROR");
                        assertThat(s.events()).containsExactly("agentid.blocked");
                    });
            SpanRecord byAddress = only(sink.spans(s -> s.name().equals("CONNECT agent-name.test:" + allowed.port())));
            assertThat(byAddress.attr("agentid.rule.id")).isEqualTo("no-second-loopback");
            assertThat(byAddress.attr("network.peer.address")).isEqualTo("127.0.0.2");

            // the two JDK clients' requests, allowed, and the WebSocket's opening handshake, decided (and denied) by
            // the JDK HttpClient's interceptor as an http request: not decided again as a connection
            List<SpanRecord> requests = sink.spans(s -> s.attr("url.full") != null);
            assertThat(requests).as(sink.spans().toString()).hasSize(3);
            assertThat(requests).filteredOn(s -> "allow".equals(s.attr("agentid.decision"))).hasSize(2);
            SpanRecord handshake = only(sink.spans(s -> s.attr("url.full") != null && s.attr("url.full").endsWith("/ws")));
            assertThat(handshake.attr("url.full")).isEqualTo("http://127.0.0.1:" + denied.port() + "/ws");
            assertThat(handshake.attr("agentid.decision")).isEqualTo("deny");
            assertThat(handshake.attr("agentid.rule.id")).isEqualTo("egress-allowlist");
            assertThat(sink.spans(s -> s.name().equals("CONNECT 127.0.0.1:" + denied.port()))).as(sink.spans().toString())
                    .hasSize(5); // socket_denied_port, channel_denied, channel_adaptor_denied, okhttp_denied, netty_denied
            assertThat(sink.spans(s -> "sql".equals(s.attr("agentid.kind")))).isNotEmpty();
            assertThat(sink.spans(s -> "http".equals(s.attr("agentid.kind")))).noneSatisfy(s -> assertThat(s.attr("server.port"))
                    .isIn(String.valueOf(h2.getPort()), sink.endpoint().substring(sink.endpoint().lastIndexOf(':') + 1)));
        }
    }

    @org.junit.jupiter.api.Test
    void backstopCanBeTurnedOff() throws Exception {
        Path policy = Files.writeString(tmp.resolve("egress-off.yaml"), String.join("\n",
                "version: 1",
                "rules:",
                "  - id: egress-allowlist",
                "    match: { kind: http, port_not: [" + allowed.port() + "] }",
                "    decision: deny",
                "    reason: egress outside the allowlist",
                ""));
        int deniedBefore = denied.accepted.get();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(Jvms.first(), SocketApp.class)
                    .agent("policy=" + policy + ",agent.id=socket-agent")
                    .jvmArg("-Dagentid.interceptor.socket.enabled=false")
                    .exportTo(sink)
                    .args(String.valueOf(allowed.port()), String.valueOf(denied.port()),
                            String.valueOf(http.httpPort()), String.valueOf(h2.getPort()))
                    .run()
                    .assertSucceeded();
            assertThat(r.stderr()).contains("interceptor `socket` disabled by -Dagentid.interceptor.socket.enabled");
            assertThat(r.value("step.socket_denied_port")).as(r.toString()).isEqualTo("ok true");
            assertThat(r.value("step.channel_denied")).as(r.toString()).isEqualTo("ok true");
            assertThat(denied.accepted.get() - deniedBefore).isGreaterThanOrEqualTo(2);
            assertThat(sink.spans(s -> s.name().startsWith("CONNECT "))).isEmpty();
        }
    }

    private static SpanRecord only(List<SpanRecord> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }
}
