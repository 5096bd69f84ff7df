package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.ApacheAsync4App;
import io.agentid.it.apps.ApacheAsyncHttpApp;
import io.agentid.it.support.CountingHttpServer;
import io.agentid.it.support.CountingHttpServer.Received;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Apache HttpClient 5 async ({@link ApacheAsyncHttpApp}) in forked JVMs with agentid.jar and http-guardrails.yaml
 * ({@code localhost} and DELETE denied), against a real server on loopback that counts what it receives: a denied
 * request or redirect hop must never arrive, its future must fail with agentid's plain {@code IOException} and its
 * {@code FutureCallback} be told the same; an allowed one must arrive with a {@code traceparent} naming its span;
 * every request is exactly one span at a real OTLP receiver (the backstop does not decide its connection again),
 * with no secret in the exported bytes.
 */
class ApacheAsyncHttpClientIT {
    private static final String CLIENT = "apache-httpclient-async";
    private static final String LOCALHOST = "agentid: blocked by rule 'no-localhost': localhost is not for agents";
    private static final String DELETES = "agentid: blocked by rule 'no-deletes': agents may not delete";

    /** Steps whose first request goes out, and the paths it and its hops reach. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "aa_get", List.of("/aa-get"),
            "aa_post", List.of("/aa-post"),
            "aa_default", List.of("/aa-default"),
            "aa_redirect_allowed", List.of("/r/aa-redirect-allowed", "/aa-landing-allowed"),
            "aa_https", List.of("/aa-https"),
            "aa_noretry_get", List.of("/aa-noretry-get"),
            "aa_producer", List.of("/aa-producer"),
            "aa_secret", List.of("/aa-secret"),
            "aa_own_traceparent", List.of("/aa-own-tp"));
    /** Steps denied outright, with the path they would have reached. */
    private static final Map<String, String> DENIED = Map.of(
            "aa_denied", "/aa-denied",
            "aa_post_denied", "/aa-post-denied",
            "aa_https_denied", "/aa-https-denied",
            "aa_host_header", "/aa-host-header",
            "aa_proxy_denied", "/aa-proxy-denied",
            "aa_noretry_denied", "/aa-noretry-denied",
            "aa_producer_denied", "/aa-producer-denied");
    /** Steps whose first request is allowed (a redirect) and whose hop is denied: first path, hop's path. */
    private static final Map<String, List<String>> HOP_DENIED = Map.of(
            "aa_redirect_denied", List.of("/r/aa-redirect-denied", "/aa-landing-denied"),
            "aa_noretry_redirect_denied", List.of("/r/aa-noretry-redirect-denied", "/aa-noretry-landing-denied"));

    @TempDir
    static Path tmp;
    private static CountingHttpServer server;

    @BeforeAll
    static void startServer() throws Exception {
        server = new CountingHttpServer(tmp);
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.close();
        }
    }

    static List<Jvms.Jvm> jvms() {
        return Jvms.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void guardsHttpClient5Async(Jvms.Jvm jvm) throws Exception {
        Map<String, Integer> before = server.counts();
        int seenBefore = server.received().size();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(jvm, ApacheAsyncHttpApp.class)
                    .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=aa-agent")
                    .jvmArg("-Djavax.net.ssl.trustStore=" + server.trustStore())
                    .jvmArg("-Djavax.net.ssl.trustStorePassword=" + CountingHttpServer.STORE_PASSWORD)
                    .jvmArg("-Djavax.net.ssl.trustStoreType=PKCS12")
                    .exportTo(sink)
                    .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()))
                    .run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");

            for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r).startsWith("ok 200 ok ");
                assertThat(r.value("cb." + e.getKey())).as(e.getKey()).isEqualTo("completed 200");
                for (String path : e.getValue()) {
                    assertThat(delta(before, path)).as(path + "\n" + r).isEqualTo(1);
                }
            }
            assertThat(r.value("step.aa_post")).isEqualTo("ok 200 ok /aa-post 11");
            assertThat(r.value("step.aa_producer")).isEqualTo("ok 200 ok /aa-producer 13");
            assertThat(r.value("step.aa_parallel")).as(r.toString()).isEqualTo("ok 200 200 200 200");

            // denied: never left the process, not retried; the future fails with agentid's IOException, and the
            // FutureCallback is told the same
            for (Map.Entry<String, String> e : DENIED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("blocked java.io.IOException " + LOCALHOST);
                assertThat(r.value("cb." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("failed java.io.IOException " + LOCALHOST);
                assertThat(delta(before, e.getValue())).as(e.getValue() + "\n" + r).isZero();
                assertThat(Long.parseLong(r.value("ms." + e.getKey()))).as(e.getKey() + " took").isLessThan(1000);
            }
            assertThat(r.value("step.aa_delete_denied")).as(r.toString())
                    .isEqualTo("blocked java.io.IOException " + DELETES);
            assertThat(r.value("cb.aa_delete_denied")).isEqualTo("failed java.io.IOException " + DELETES);
            assertThat(delta(before, "/aa-delete")).isZero();
            for (Map.Entry<String, List<String>> e : HOP_DENIED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("blocked java.io.IOException " + LOCALHOST);
                assertThat(r.value("cb." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("failed java.io.IOException " + LOCALHOST);
                assertThat(delta(before, e.getValue().get(0))).as(e.getValue().get(0)).isEqualTo(1);
                assertThat(delta(before, e.getValue().get(1))).as(e.getValue().get(1)).isZero();
            }
            for (int i = 0; i < ApacheAsyncHttpApp.PARALLEL; i++) {
                assertThat(delta(before, "/aa-parallel-" + i)).isEqualTo(1);
            }
            // a retry is an attempt of the same request: sent twice, decided and traced once
            assertThat(r.value("step.aa_retried")).as(r.toString()).isEqualTo("ok 503");
            assertThat(r.value("cb.aa_retried")).isEqualTo("completed 503");
            assertThat(delta(before, "/s503/aa-retried")).isEqualTo(2);

            // one span per request, none from the backstop for the chain clients' connections
            int onTheWire = 0;
            for (List<String> paths : ALLOWED.values()) {
                onTheWire += paths.size();
            }
            int expected = onTheWire + 1 + ApacheAsyncHttpApp.PARALLEL + DENIED.size() + 1 + 2 * HOP_DENIED.size();
            List<SpanRecord> spans = sink.spans(s -> CLIENT.equals(s.attr("agentid.http.client")));
            List<SpanRecord> others = sink.spans(s -> !CLIENT.equals(s.attr("agentid.http.client")));
            assertThat(spans).as(r + "\n" + sink.spans()).hasSize(expected);
            assertThat(spans).allSatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(s.attr("agentid.kind")).isEqualTo("http");
                assertThat(s.attr("agentid.agent.id")).isEqualTo("aa-agent");
                assertThat(s.attr("url.full")).startsWith(s.attr("url.scheme") + "://");
            });

            SpanRecord get = only(sink.spans(s -> url(s).endsWith("/aa-get")));
            assertThat(get.name()).isEqualTo("GET");
            assertThat(get.attr("url.full")).isEqualTo("http://127.0.0.1:" + server.httpPort() + "/aa-get");
            assertThat(get.attr("server.address")).isEqualTo("127.0.0.1");
            assertThat(get.attr("server.port")).isEqualTo(String.valueOf(server.httpPort()));
            assertThat(get.attr("http.response.status_code")).isEqualTo("200");
            assertThat(get.attr("network.protocol.version")).isEqualTo("1.1");
            assertThat(get.attr("agentid.decision")).isEqualTo("allow");
            SpanRecord post = only(sink.spans(s -> url(s).endsWith("/aa-post")));
            assertThat(post.name()).isEqualTo("POST");
            assertThat(post.attr("http.request.method")).isEqualTo("POST");
            assertThat(post.attr("http.request.body.size")).isEqualTo("11");
            assertThat(post.attr("http.response.status_code")).isEqualTo("200");
            SpanRecord producer = only(sink.spans(s -> url(s).endsWith("/aa-producer")));
            assertThat(producer.attr("http.request.body.size")).isEqualTo("13");
            assertThat(producer.attr("http.response.status_code")).isEqualTo("200");
            SpanRecord tls = only(sink.spans(s -> url(s).endsWith("/aa-https")));
            assertThat(tls.attr("url.scheme")).isEqualTo("https");
            assertThat(tls.attr("server.port")).isEqualTo(String.valueOf(server.httpsPort()));
            assertThat(tls.attr("http.response.status_code")).isEqualTo("200");

            SpanRecord denied = only(sink.spans(s -> url(s).endsWith("/aa-denied")));
            assertThat(denied.attr("agentid.decision")).isEqualTo("deny");
            assertThat(denied.attr("agentid.rule.id")).isEqualTo("no-localhost");
            assertThat(denied.attr("server.address")).isEqualTo("localhost");
            assertThat(denied.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(denied.events()).containsExactly("agentid.blocked");
            assertThat(only(sink.spans(s -> url(s).endsWith("/aa-producer-denied")))
                    .attr("http.request.body.size")).isEqualTo("14");
            // a Host header does not launder the destination; through a proxy, the target is what is decided
            assertThat(only(sink.spans(s -> url(s).endsWith("/aa-host-header"))).attr("server.address"))
                    .isEqualTo("localhost");
            assertThat(only(sink.spans(s -> url(s).endsWith("/aa-proxy-denied"))).attr("server.address"))
                    .isEqualTo("localhost");

            for (List<String> paths : HOP_DENIED.values()) {
                SpanRecord first = only(sink.spans(s -> url(s).contains(paths.get(0) + "?")));
                SpanRecord hop = only(sink.spans(s -> url(s).endsWith(paths.get(1))));
                assertThat(first.attr("agentid.decision")).isEqualTo("allow");
                assertThat(first.attr("http.response.status_code")).isEqualTo("302");
                assertThat(hop.attr("agentid.decision")).isEqualTo("deny");
                assertThat(hop.attr("http.request.resend_count")).isEqualTo("1");
                assertThat(hop.traceId()).isEqualTo(first.traceId());
            }
            SpanRecord firstAllowed = only(sink.spans(s -> url(s).contains("/r/aa-redirect-allowed?")));
            SpanRecord landing = only(sink.spans(s -> url(s).endsWith("/aa-landing-allowed")));
            assertThat(firstAllowed.attr("http.response.status_code")).isEqualTo("302");
            assertThat(landing.attr("http.response.status_code")).isEqualTo("200");
            assertThat(landing.attr("http.request.resend_count")).isEqualTo("1");
            assertThat(landing.traceId()).isEqualTo(firstAllowed.traceId());

            assertThat(only(sink.spans(s -> url(s).contains("/aa-secret"))).attr("url.full"))
                    .isEqualTo("http://127.0.0.1:" + server.httpPort()
                            + "/aa-secret?api_key=REDACTED&q=1&X-Amz-Signature=REDACTED");
            String exported = new String(sink.rawBytes(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("secret-aa-key", "secret-aa-sig", "auth-secret-value", "cookie-secret-value",
                    "xkey-secret-value")) {
                assertThat(exported).as(secret).doesNotContain(secret);
            }
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/aa-secret")).toList())
                    .header("Authorization")).isEqualTo("Bearer auth-secret-value");

            assertThat(arrived).isNotEmpty().allSatisfy(req -> assertThat(req.header("traceparent"))
                    .as(req.path()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/aa-own-tp")).toList())
                    .header("traceparent")).as("the application's own context is left alone")
                    .isEqualTo(ApacheAsyncHttpApp.OWN_TRACEPARENT);
            List<String> traced = new ArrayList<>(List.of("/aa-get", "/aa-post", "/aa-default", "/aa-https",
                    "/aa-noretry-get", "/aa-producer", "/r/aa-redirect-allowed", "/aa-landing-allowed",
                    "/r/aa-redirect-denied", "/r/aa-noretry-redirect-denied"));
            for (int i = 0; i < ApacheAsyncHttpApp.PARALLEL; i++) {
                traced.add("/aa-parallel-" + i);
            }
            for (String path : traced) {
                String[] tp = only(arrived.stream().filter(q -> q.path().equals(path)).toList())
                        .header("traceparent").split("-");
                SpanRecord span = only(spans.stream().filter(s -> s.attr("url.full").endsWith(path)
                        || s.attr("url.full").contains(path + "?")).toList());
                assertThat(span.traceId()).as(path).isEqualTo(tp[1]);
                assertThat(span.spanId()).as(path).isEqualTo(tp[2]);
                assertThat(span.attr("http.response.status_code")).as(path).isNotNull();
            }

            SpanRecord retried = only(sink.spans(s -> url(s).endsWith("/s503/aa-retried")));
            assertThat(retried.attr("http.response.status_code")).isEqualTo("503");
            assertThat(retried.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            List<Received> attempts = arrived.stream().filter(q -> q.path().equals("/s503/aa-retried")).toList();
            assertThat(attempts).hasSize(2).allSatisfy(q -> assertThat(q.header("traceparent"))
                    .isEqualTo("00-" + retried.traceId() + "-" + retried.spanId() + "-01"));

            // the minimal client has no exec chain: not intercepted; the backstop decides its connection, on the
            // I/O reactor's thread, and it never reaches the server
            assertThat(r.value("step.aa_minimal_denied")).as(r.toString()).startsWith("blocked ")
                    .contains(LOCALHOST);
            assertThat(delta(before, "/aa-minimal-denied")).isZero();
            assertThat(others).as(others.toString()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.attr("agentid.http.client")).isEqualTo("socket");
                assertThat(s.attr("server.address")).isEqualTo("localhost");
                assertThat(s.attr("agentid.decision")).isEqualTo("deny");
            });
        }
    }

    /**
     * HttpAsyncClient 4 ({@link ApacheAsync4App}): the same guarantees as for 5 (decided at
     * {@code MainClientExec.prepareRequest}, per request of the exchange, before its connection is asked for); the
     * backstop does not decide their connections again (HttpCore NIO's reactor connects are marked).
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void guardsHttpAsyncClient4(Jvms.Jvm jvm) throws Exception {
        String client = "apache-httpclient-4-async";
        Map<String, Integer> before = server.counts();
        int seenBefore = server.received().size();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(jvm, ApacheAsync4App.class)
                    .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=a4-agent")
                    .jvmArg("-Djavax.net.ssl.trustStore=" + server.trustStore())
                    .jvmArg("-Djavax.net.ssl.trustStorePassword=" + CountingHttpServer.STORE_PASSWORD)
                    .jvmArg("-Djavax.net.ssl.trustStoreType=PKCS12")
                    .exportTo(sink)
                    .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()))
                    .run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            Map<String, List<String>> allowed = Map.of(
                    "a4_get", List.of("/a4-get"),
                    "a4_post", List.of("/a4-post"),
                    "a4_redirect_allowed", List.of("/r/a4-redirect-allowed", "/a4-landing-allowed"),
                    "a4_https", List.of("/a4-https"),
                    "a4_secret", List.of("/a4-secret"),
                    "a4_own_traceparent", List.of("/a4-own-tp"));
            List<String> denied = List.of("a4_denied", "a4_post_denied", "a4_https_denied", "a4_host_header",
                    "a4_proxy_denied");
            for (Map.Entry<String, List<String>> e : allowed.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r).startsWith("ok 200 ok ");
                assertThat(r.value("cb." + e.getKey())).as(e.getKey()).isEqualTo("completed 200");
                for (String path : e.getValue()) {
                    assertThat(delta(before, path)).as(path + "\n" + r).isEqualTo(1);
                }
            }
            assertThat(r.value("step.a4_post")).isEqualTo("ok 200 ok /a4-post 11");
            assertThat(r.value("step.a4_parallel")).as(r.toString()).isEqualTo("ok 200 200 200 200");
            for (String step : denied) {
                assertThat(r.value("step." + step)).as(step + "\n" + r).isEqualTo("blocked java.io.IOException " + LOCALHOST);
                assertThat(r.value("cb." + step)).as(step + "\n" + r).isEqualTo("failed java.io.IOException " + LOCALHOST);
                assertThat(Long.parseLong(r.value("ms." + step))).as(step + " took").isLessThan(1000);
            }
            for (String path : List.of("/a4-denied", "/a4-post-denied", "/a4-https-denied", "/a4-host-header",
                    "/a4-proxy-denied", "/a4-delete", "/a4-landing-denied")) {
                assertThat(delta(before, path)).as(path).isZero();
            }
            assertThat(r.value("step.a4_delete_denied")).isEqualTo("blocked java.io.IOException " + DELETES);
            assertThat(r.value("cb.a4_delete_denied")).isEqualTo("failed java.io.IOException " + DELETES);
            assertThat(r.value("step.a4_redirect_denied")).as(r.toString())
                    .isEqualTo("blocked java.io.IOException " + LOCALHOST);
            assertThat(r.value("cb.a4_redirect_denied")).isEqualTo("failed java.io.IOException " + LOCALHOST);
            assertThat(delta(before, "/r/a4-redirect-denied")).isEqualTo(1);

            int onTheWire = 0;
            for (List<String> paths : allowed.values()) {
                onTheWire += paths.size();
            }
            int expected = onTheWire + ApacheAsync4App.PARALLEL + denied.size() + 1 + 2;
            List<SpanRecord> spans = sink.spans(s -> client.equals(s.attr("agentid.http.client")));
            assertThat(spans).as(r + "\n" + sink.spans()).hasSize(expected);
            assertThat(spans).allSatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(s.attr("agentid.agent.id")).isEqualTo("a4-agent");
                assertThat(s.attr("url.full")).startsWith(s.attr("url.scheme") + "://");
            });
            SpanRecord post = only(sink.spans(s -> url(s).endsWith("/a4-post")));
            assertThat(post.name()).isEqualTo("POST");
            assertThat(post.attr("url.full")).isEqualTo("http://127.0.0.1:" + server.httpPort() + "/a4-post");
            assertThat(post.attr("server.address")).isEqualTo("127.0.0.1");
            assertThat(post.attr("server.port")).isEqualTo(String.valueOf(server.httpPort()));
            assertThat(post.attr("http.request.body.size")).isEqualTo("11");
            assertThat(post.attr("http.response.status_code")).isEqualTo("200");
            assertThat(post.attr("network.protocol.version")).isEqualTo("1.1");
            SpanRecord tls = only(sink.spans(s -> url(s).endsWith("/a4-https")));
            assertThat(tls.attr("url.scheme")).isEqualTo("https");
            assertThat(tls.attr("http.response.status_code")).isEqualTo("200");
            SpanRecord deny = only(sink.spans(s -> url(s).endsWith("/a4-denied")));
            assertThat(deny.attr("agentid.decision")).isEqualTo("deny");
            assertThat(deny.attr("server.address")).isEqualTo("localhost");
            assertThat(deny.events()).containsExactly("agentid.blocked");
            assertThat(only(sink.spans(s -> url(s).endsWith("/a4-proxy-denied"))).attr("server.address"))
                    .isEqualTo("localhost");
            SpanRecord first = only(sink.spans(s -> url(s).contains("/r/a4-redirect-denied?")));
            SpanRecord hop = only(sink.spans(s -> url(s).endsWith("/a4-landing-denied")));
            assertThat(first.attr("agentid.decision")).isEqualTo("allow");
            assertThat(first.attr("http.response.status_code")).isEqualTo("302");
            assertThat(hop.attr("agentid.decision")).isEqualTo("deny");
            assertThat(hop.attr("http.request.resend_count")).isEqualTo("1");
            assertThat(hop.traceId()).isEqualTo(first.traceId());
            SpanRecord landing = only(sink.spans(s -> url(s).endsWith("/a4-landing-allowed")));
            assertThat(landing.attr("http.response.status_code")).isEqualTo("200");
            assertThat(only(sink.spans(s -> url(s).contains("/r/a4-redirect-allowed?")))
                    .attr("http.response.status_code")).isEqualTo("302");

            assertThat(only(sink.spans(s -> url(s).contains("/a4-secret"))).attr("url.full"))
                    .isEqualTo("http://127.0.0.1:" + server.httpPort()
                            + "/a4-secret?api_key=REDACTED&q=1&X-Amz-Signature=REDACTED");
            String exported = new String(sink.rawBytes(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("secret-a4-key", "secret-a4-sig", "auth-secret-value", "cookie-secret-value",
                    "xkey-secret-value")) {
                assertThat(exported).as(secret).doesNotContain(secret);
            }
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(arrived).isNotEmpty().allSatisfy(req -> assertThat(req.header("traceparent"))
                    .as(req.path()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/a4-own-tp")).toList())
                    .header("traceparent")).isEqualTo(ApacheAsync4App.OWN_TRACEPARENT);
            List<String> traced = new ArrayList<>(List.of("/a4-get", "/a4-post", "/a4-https",
                    "/r/a4-redirect-allowed", "/a4-landing-allowed", "/r/a4-redirect-denied"));
            for (int i = 0; i < ApacheAsync4App.PARALLEL; i++) {
                traced.add("/a4-parallel-" + i);
                assertThat(delta(before, "/a4-parallel-" + i)).isEqualTo(1);
            }
            for (String path : traced) {
                String[] tp = only(arrived.stream().filter(q -> q.path().equals(path)).toList())
                        .header("traceparent").split("-");
                SpanRecord span = only(spans.stream().filter(s -> url(s).endsWith(path)
                        || url(s).contains(path + "?")).toList());
                assertThat(span.traceId()).as(path).isEqualTo(tp[1]);
                assertThat(span.spanId()).as(path).isEqualTo(tp[2]);
                assertThat(span.attr("http.response.status_code")).as(path).isNotNull();
            }

            // the backstop did not decide the connections of these requests again; it did decide the minimal
            // client's (HttpCore NIO's reactor, on its own thread), which never reached the server
            assertThat(r.value("step.a4_minimal_denied")).isNotEqualTo("sent");
            assertThat(delta(before, "/a4-minimal-denied")).isZero();
            List<SpanRecord> others = sink.spans(s -> !client.equals(s.attr("agentid.http.client")));
            assertThat(others).as(others.toString()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.attr("agentid.http.client")).isEqualTo("socket");
                assertThat(s.attr("server.address")).isEqualTo("localhost");
                assertThat(s.attr("agentid.decision")).isEqualTo("deny");
            });
        }
    }

    static List<Arguments> cancelCases() {
        return Jvms.withEach("5", "4");
    }

    /**
     * {@code future.cancel(true)} on {@code createDefault()}'s request while the server holds its answer back (released
     * only after the JVM exited, which it does with the client open, so nothing but the cancel can end the request):
     * the application sees the same as without the agent ({@code get} throws {@code CancellationException}, the
     * {@code FutureCallback} is told {@code cancelled}), no fault of agentid's, and the request is one span, ended by
     * the cancel with an {@code error.type}.
     */
    @ParameterizedTest(name = "{0}, HttpClient {1}")
    @MethodSource("cancelCases")
    void cancelledInFlight(Jvms.Jvm jvm, String version) throws Exception {
        Class<?> app = version.equals("5") ? ApacheAsyncHttpApp.class : ApacheAsync4App.class;
        String step = version.equals("5") ? "aa_cancel" : "a4_cancel";
        String client = version.equals("5") ? CLIENT : "apache-httpclient-4-async";
        String path = "/hold/" + step.replace('_', '-');
        String[] args = {String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()), "cancel"};
        Map<String, Integer> before = server.counts();
        Forked.Result plain;
        try {
            plain = Forked.of(jvm, app).args(args).run().assertSucceeded();
        } finally {
            server.releaseHeld();
        }
        // HttpAsyncClient 4's cancel returns false: its handler cancels the future first, so the wrapper's own
        // cancel finds it done
        assertThat(plain.value("cancel." + step)).as(plain.toString()).isEqualTo((version.equals("5") ? "true" : "false")
                + " cancelled=true done=true get=java.util.concurrent.CancellationException");
        assertThat(plain.value("cb." + step)).isEqualTo("cancelled");
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r;
            try {
                r = Forked.of(jvm, app)
                        .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=aa-agent")
                        .exportTo(sink).args(args).run().assertSucceeded();
            } finally {
                server.releaseHeld();
            }
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            assertThat(r.value("cancel." + step)).as(r.toString()).isEqualTo(plain.value("cancel." + step));
            assertThat(r.value("cb." + step)).isEqualTo(plain.value("cb." + step));
            assertThat(r.stderr()).as(r.toString()).doesNotContain("internal fault").doesNotContain("Exception").doesNotContain("had not ended");
            assertThat(delta(before, path)).as("in flight when cancelled, once per run").isEqualTo(2);

            SpanRecord span = only(sink.spans(s -> client.equals(s.attr("agentid.http.client"))));
            assertThat(span.attr("url.full")).isEqualTo("http://127.0.0.1:" + server.httpPort() + path);
            assertThat(span.attr("agentid.decision")).isEqualTo("allow");
            // 5 reports the cancel to the exec callback as failed(InterruptedIOException), at once, on the
            // cancelling thread (hard cancellation, the default); 4 reports nothing of its own, so agentid ends
            // the span at cancel() with a CancellationException
            assertThat(span.attr("error.type")).as(span.toString()).isEqualTo(version.equals("5")
                    ? "java.io.InterruptedIOException" : "java.util.concurrent.CancellationException");
            assertThat(span.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(span.attr("http.response.status_code")).isNull();
            server.assertSentWithoutThenWith(path, span);
        }
    }

    /**
     * Both clients complete the application's future before they are done with the exchange (5: the response consumer
     * completes it, then the exchange's callback is told; 4: the handler completes it, then returns), and agentid
     * records the request after that, off the application's path. An application that exits right after its
     * {@code get()}, its client not closed, while its {@code FutureCallback} still runs ({@code CALLBACK_MILLIS}),
     * still has the request's span exported (the shutdown waits for it), and the span ends when the answer did, not
     * after the callback.
     */
    @ParameterizedTest(name = "{0}, HttpClient {1}")
    @MethodSource("cancelCases")
    void recordedWhenTheApplicationExitsAtOnce(Jvms.Jvm jvm, String version) throws Exception {
        boolean five = version.equals("5");
        Class<?> app = five ? ApacheAsyncHttpApp.class : ApacheAsync4App.class;
        String step = five ? "aa_exit" : "a4_exit";
        long callbackMillis = five ? ApacheAsyncHttpApp.CALLBACK_MILLIS : ApacheAsync4App.CALLBACK_MILLIS;
        String[] args = {String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()), "exit-at-once"};
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(jvm, app)
                    .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=exit-agent")
                    .exportTo(sink).args(args).run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            assertThat(r.value("step." + step)).as(r.toString()).isEqualTo("200");
            assertThat(r.stderr()).as(r.toString()).doesNotContain("internal fault").doesNotContain("had not ended");

            SpanRecord span = only(sink.spans(s -> url(s).endsWith("/" + step.replace('_', '-') + "-at-once")));
            assertThat(span.attr("agentid.http.client")).isEqualTo(five ? CLIENT : "apache-httpclient-4-async");
            assertThat(span.attr("http.response.status_code")).isEqualTo("200");
            assertThat(span.attr("error.type")).isNull();
            assertThat((span.endNanos() - span.startNanos()) / 1_000_000).as("ms, the callback's time not in it")
                    .isLessThan(callbackMillis);
        }
    }

    /**
     * HttpAsyncClient 4, a pool of one connection ({@link ApacheAsync4App}, {@code cancel-lease}): a request waiting for
     * a lease (the one connection is held by {@code /hold/a4-lease-first}) is cancelled before it gets one. It was
     * decided at {@code prepareRequest}, before its lease was asked for, so it has a span; {@code cancel()} ends it.
     * The application sees the same as without the agent; the cancelled request never reaches the server; the first
     * one, released, is answered and is one ordinary span; the pool's connection then serves the next request.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void cancelledBeforeLease4(Jvms.Jvm jvm) throws Exception {
        String client = "apache-httpclient-4-async";
        String[] args = {String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()), "cancel-lease"};
        Map<String, Integer> before = server.counts();
        Forked.Result plain;
        try {
            plain = Forked.of(jvm, ApacheAsync4App.class).args(args).run().assertSucceeded();
        } finally {
            server.releaseHeld();
        }
        assertThat(plain.value("done")).as(plain.toString()).isEqualTo("true");
        assertThat(plain.value("cancel.a4_lease")).as(plain.toString())
                .isEqualTo("false cancelled=true done=true get=java.util.concurrent.CancellationException");
        assertThat(plain.value("cb.a4_lease")).isEqualTo("cancelled");
        assertThat(plain.value("step.a4_lease_first")).isEqualTo("ok 200 ok /hold/a4-lease-first 0");
        assertThat(plain.value("cb.a4_lease_first")).isEqualTo("completed 200");
        assertThat(plain.value("step.a4_lease_after")).isEqualTo("ok 200 ok /a4-lease-after 0");
        assertThat(plain.value("cb.a4_lease_later")).isEqualTo("cancelled");
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r;
            try {
                r = Forked.of(jvm, ApacheAsync4App.class)
                        .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=a4-agent")
                        .exportTo(sink).args(args).run().assertSucceeded();
            } finally {
                server.releaseHeld();
            }
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            for (String key : List.of("cancel.a4_lease", "cb.a4_lease", "step.a4_lease_first", "cb.a4_lease_first",
                    "step.a4_lease_after", "cb.a4_lease_after", "cb.a4_lease_later")) {
                assertThat(r.value(key)).as(key + "\n" + r).isEqualTo(plain.value(key));
            }
            assertThat(r.stderr()).as(r.toString()).doesNotContain("internal fault").doesNotContain("Exception").doesNotContain("had not ended");
            assertThat(delta(before, "/a4-lease-cancelled")).as("never sent, with or without the agent").isZero();
            assertThat(delta(before, "/hold/a4-lease-first")).isEqualTo(2);
            assertThat(delta(before, "/a4-lease-after")).isEqualTo(2);

            List<SpanRecord> spans = sink.spans(s -> client.equals(s.attr("agentid.http.client")));
            assertThat(spans).as(sink.spans().toString()).hasSize(3);
            SpanRecord cancelled = only(sink.spans(s -> url(s).endsWith("/a4-lease-cancelled")));
            assertThat(cancelled.attr("agentid.decision")).isEqualTo("allow");
            assertThat(cancelled.attr("error.type")).as(cancelled.toString())
                    .isEqualTo("java.util.concurrent.CancellationException");
            assertThat(cancelled.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(cancelled.attr("http.response.status_code")).isNull();
            for (String path : List.of("/hold/a4-lease-first", "/a4-lease-after")) {
                SpanRecord span = only(sink.spans(s -> url(s).endsWith(path)));
                assertThat(span.attr("agentid.decision")).as(path).isEqualTo("allow");
                assertThat(span.attr("http.response.status_code")).as(path).isEqualTo("200");
                assertThat(span.attr("error.type")).as(path).isNull();
                assertThat(span.statusCode()).as(path).isNotEqualTo("STATUS_CODE_ERROR");
                server.assertSentWithoutThenWith(path, span);
            }
            // the cancelled request's span ended at the cancel, before the held one was released and answered
            SpanRecord first = only(sink.spans(s -> url(s).endsWith("/hold/a4-lease-first")));
            assertThat(cancelled.endNanos()).isLessThan(first.endNanos());
        }
    }

    /**
     * HttpClient 5 async with hard cancellation off ({@link ApacheAsyncHttpApp}, {@code cancel-soft}): the future of a
     * request the server holds is cancelled, then, a second later, the request is released and answered; a request
     * on the same one-connection pool follows. The application sees the same as without the agent (the future is
     * cancelled at once; the exchange itself runs on to its answer, which nobody gets); the held request is one span,
     * which ends when its exchange does (with the answer's {@code 200}), not at the cancel.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void cancelledWithoutHardCancellation5(Jvms.Jvm jvm) throws Exception {
        String path = "/hold/aa-soft-cancel";
        String[] args = {String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()), "cancel-soft"};
        Map<String, Integer> before = server.counts();
        Forked.Result plain;
        try {
            plain = Forked.of(jvm, ApacheAsyncHttpApp.class).args(args).run().assertSucceeded();
        } finally {
            server.releaseHeld();
        }
        assertThat(plain.value("done")).as(plain.toString()).isEqualTo("true");
        assertThat(plain.value("cancel.aa_soft")).as(plain.toString())
                .isEqualTo("true cancelled=true done=true get=java.util.concurrent.CancellationException");
        assertThat(plain.value("cb.aa_soft")).isEqualTo("cancelled");
        assertThat(plain.value("step.aa_soft_after")).isEqualTo("ok 200 ok /aa-soft-after 0");
        // the exchange's answer, after the cancel, is not handed to the FutureCallback
        assertThat(plain.value("cb.aa_soft_later")).isEqualTo("cancelled");
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r;
            try {
                r = Forked.of(jvm, ApacheAsyncHttpApp.class)
                        .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=aa-agent")
                        .exportTo(sink).args(args).run().assertSucceeded();
            } finally {
                server.releaseHeld();
            }
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            for (String key : List.of("cancel.aa_soft", "cb.aa_soft", "step.aa_soft_after", "cb.aa_soft_after",
                    "cb.aa_soft_later")) {
                assertThat(r.value(key)).as(key + "\n" + r).isEqualTo(plain.value(key));
            }
            assertThat(r.stderr()).as(r.toString()).doesNotContain("internal fault").doesNotContain("Exception").doesNotContain("had not ended");
            assertThat(delta(before, path)).isEqualTo(2);
            assertThat(delta(before, "/aa-soft-after")).isEqualTo(2);

            List<SpanRecord> spans = sink.spans(s -> CLIENT.equals(s.attr("agentid.http.client")));
            assertThat(spans).as(sink.spans().toString()).hasSize(2);
            SpanRecord span = only(sink.spans(s -> url(s).endsWith(path)));
            assertThat(span.attr("agentid.decision")).isEqualTo("allow");
            assertThat(span.attr("http.response.status_code")).as(span.toString()).isEqualTo("200");
            assertThat(span.attr("error.type")).as(span.toString()).isNull();
            server.assertSentWithoutThenWith(path, span);
            // ended when the exchange did, after the release, not at the cancel (same host, same clock)
            long cancelAt = Long.parseLong(r.value("at.aa_soft_cancel")) * 1_000_000L;
            long releaseAt = Long.parseLong(r.value("at.aa_soft_release")) * 1_000_000L;
            assertThat(releaseAt - cancelAt).isGreaterThanOrEqualTo(ApacheAsyncHttpApp.SOFT_GAP_MS * 1_000_000L);
            // half the gap either way: a span ended at the cancel is ~1 s earlier; this clock (the span's, from
            // nanoTime) and the app's currentTimeMillis may differ by a few ms
            assertThat(span.endNanos()).as("ended at %d, cancelled at %d, released at %d", span.endNanos(),
                    cancelAt, releaseAt).isGreaterThan(cancelAt + ApacheAsyncHttpApp.SOFT_GAP_MS * 500_000L);
            SpanRecord after = only(sink.spans(s -> url(s).endsWith("/aa-soft-after")));
            assertThat(after.attr("http.response.status_code")).isEqualTo("200");
            assertThat(span.endNanos()).isLessThanOrEqualTo(after.endNanos());
        }
    }

    private static String url(SpanRecord s) {
        String u = s.attr("url.full");
        return u == null ? "" : u;
    }

    private static int delta(Map<String, Integer> before, String path) {
        return server.count(path) - before.getOrDefault(path, 0);
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
