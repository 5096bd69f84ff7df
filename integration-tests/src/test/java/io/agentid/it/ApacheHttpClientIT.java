package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.ApacheHttp4App;
import io.agentid.it.apps.ApacheHttpApp;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Apache HttpClient 5 and 4 classic ({@link ApacheHttpApp}, {@link ApacheHttp4App}: the same steps) in forked JVMs with agentid.jar and http-guardrails.yaml ({@code localhost} and
 * DELETE denied), against a real server on loopback that counts what it receives: a denied request or redirect
 * hop must never arrive (and is not retried); an allowed one must, with a {@code traceparent} naming its span;
 * every request is exactly one span at a real OTLP receiver, with no secret in the exported bytes.
 */
class ApacheHttpClientIT {
    private static final String LOCALHOST = "agentid: blocked by rule 'no-localhost': localhost is not for agents";
    private static final String DELETES = "agentid: blocked by rule 'no-deletes': agents may not delete";

    /** Steps whose first request goes out, and the paths it and its hops reach. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "ap_get", List.of("/ap-get"),
            "ap_post", List.of("/ap-post"),
            "ap_redirect_allowed", List.of("/r/ap-redirect-allowed", "/ap-landing-allowed"),
            "ap_https", List.of("/ap-https"),
            "ap_noretry_get", List.of("/ap-noretry-get"),
            "ap_nested", List.of("/ap-nested-outer", "/ap-nested-inner"),
            "ap_secret", List.of("/ap-secret"),
            "ap_own_traceparent", List.of("/ap-own-tp"));
    /** Steps denied outright, with the path they would have reached. */
    private static final Map<String, String> DENIED = Map.of(
            "ap_denied", "/ap-denied",
            "ap_post_denied", "/ap-post-denied",
            "ap_https_denied", "/ap-https-denied",
            "ap_host_header", "/ap-host-header",
            "ap_proxy_denied", "/ap-proxy-denied",
            "ap_target_denied", "/ap-target-denied",
            "ap_noretry_denied", "/ap-noretry-denied");

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

    /** Every JVM × HttpClient 5 and 4. */
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Jvms.Jvm jvm : Jvms.all()) {
            out.add(Arguments.of(jvm, "5"));
            out.add(Arguments.of(jvm, "4"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, HttpClient {1}")
    @MethodSource("cases")
    void guardsHttpClientClassic(Jvms.Jvm jvm, String version) throws Exception {
        String client = version.equals("5") ? "apache-httpclient" : "apache-httpclient-4";
        Map<String, Integer> before = server.counts();
        int seenBefore = server.received().size();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = fork(jvm, version, sink, null);
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");

            for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r).startsWith("ok 200 ok ");
                for (String path : e.getValue()) {
                    assertThat(delta(before, path)).as(path + "\n" + r).isEqualTo(1);
                }
            }
            assertThat(r.value("step.ap_post")).isEqualTo("ok 200 ok /ap-post 11");

            // denied requests never left the process, and were not retried (the default strategy waits 1 s first)
            for (Map.Entry<String, String> e : DENIED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("blocked java.io.IOException " + LOCALHOST);
                assertThat(delta(before, e.getValue())).as(e.getValue() + "\n" + r).isZero();
                assertThat(Long.parseLong(r.value("ms." + e.getKey()))).as(e.getKey() + " took").isLessThan(1000);
            }
            assertThat(r.value("step.ap_delete_denied")).as(r.toString())
                    .isEqualTo("blocked java.io.IOException " + DELETES);
            assertThat(delta(before, "/ap-delete")).isZero();
            assertThat(r.value("step.ap_redirect_denied")).as(r.toString())
                    .isEqualTo("blocked java.io.IOException " + LOCALHOST);
            assertThat(delta(before, "/r/ap-redirect-denied")).isEqualTo(1);
            assertThat(delta(before, "/ap-landing-denied")).isZero();

            int onTheWire = 0;
            for (List<String> paths : ALLOWED.values()) {
                onTheWire += paths.size();
            }
            int expected = onTheWire + DENIED.size() + 1 + 2;
            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(r + "\n" + spans).hasSize(expected);
            assertThat(spans).allSatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(s.attr("agentid.kind")).isEqualTo("http");
                assertThat(s.attr("agentid.agent.id")).isEqualTo("ap-agent");
                assertThat(s.attr("agentid.http.client")).isEqualTo(client);
                assertThat(s.attr("url.full")).startsWith(s.attr("url.scheme") + "://");
            });

            SpanRecord post = only(sink.spans(s -> s.attr("url.full").endsWith("/ap-post")));
            assertThat(post.name()).isEqualTo("POST");
            assertThat(post.attr("url.full")).isEqualTo("http://127.0.0.1:" + server.httpPort() + "/ap-post");
            assertThat(post.attr("server.address")).isEqualTo("127.0.0.1");
            assertThat(post.attr("server.port")).isEqualTo(String.valueOf(server.httpPort()));
            assertThat(post.attr("http.request.body.size")).isEqualTo("11");
            assertThat(post.attr("http.response.status_code")).isEqualTo("200");
            assertThat(post.attr("agentid.decision")).isEqualTo("allow");
            SpanRecord tls = only(sink.spans(s -> s.attr("url.full").endsWith("/ap-https")));
            assertThat(tls.attr("url.scheme")).isEqualTo("https");
            assertThat(tls.attr("server.port")).isEqualTo(String.valueOf(server.httpsPort()));

            SpanRecord denied = only(sink.spans(s -> s.attr("url.full").endsWith("/ap-denied")));
            assertThat(denied.attr("agentid.decision")).isEqualTo("deny");
            assertThat(denied.attr("agentid.rule.id")).isEqualTo("no-localhost");
            assertThat(denied.attr("server.address")).isEqualTo("localhost");
            assertThat(denied.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(denied.events()).containsExactly("agentid.blocked");
            // through a proxy, the destination decided is the target, not the proxy
            assertThat(only(sink.spans(s -> s.attr("url.full").endsWith("/ap-proxy-denied"))).attr("server.address"))
                    .isEqualTo("localhost");

            SpanRecord first = only(sink.spans(s -> s.attr("url.full").contains("/r/ap-redirect-denied?")));
            SpanRecord hop = only(sink.spans(s -> s.attr("url.full").endsWith("/ap-landing-denied")));
            assertThat(first.attr("agentid.decision")).isEqualTo("allow");
            assertThat(first.attr("http.response.status_code")).isEqualTo("302");
            assertThat(hop.attr("agentid.decision")).isEqualTo("deny");
            assertThat(hop.attr("http.request.resend_count")).isEqualTo("1");
            assertThat(hop.traceId()).isEqualTo(first.traceId());
            // a call made inside another's: two calls, each its own trace, neither cut short by the other
            SpanRecord outer = only(sink.spans(s -> s.attr("url.full").endsWith("/ap-nested-outer")));
            SpanRecord inner = only(sink.spans(s -> s.attr("url.full").endsWith("/ap-nested-inner")));
            assertThat(outer.attr("http.response.status_code")).isEqualTo("200");
            assertThat(inner.attr("http.response.status_code")).isEqualTo("200");
            assertThat(outer.traceId()).isNotEqualTo(inner.traceId());
            SpanRecord landing = only(sink.spans(s -> s.attr("url.full").endsWith("/ap-landing-allowed")));
            assertThat(landing.attr("http.response.status_code")).isEqualTo("200");

            assertThat(only(sink.spans(s -> s.attr("url.full").contains("/ap-secret"))).attr("url.full"))
                    .isEqualTo("http://127.0.0.1:" + server.httpPort()
                            + "/ap-secret?api_key=REDACTED&q=1&X-Amz-Signature=REDACTED");
            String exported = new String(sink.rawBytes(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("secret-ap-key", "secret-ap-sig", "auth-secret-value", "cookie-secret-value",
                    "xkey-secret-value")) {
                assertThat(exported).as(secret).doesNotContain(secret);
            }
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/ap-secret")).toList())
                    .header("Authorization")).isEqualTo("Bearer auth-secret-value");

            assertThat(arrived).isNotEmpty().allSatisfy(req -> assertThat(req.header("traceparent"))
                    .as(req.path()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/ap-own-tp")).toList()).header("traceparent"))
                    .as("the application's own context is left alone").isEqualTo(ApacheHttpApp.OWN_TRACEPARENT);
            for (String path : List.of("/ap-get", "/ap-post", "/ap-https", "/ap-noretry-get", "/r/ap-redirect-allowed",
                    "/ap-landing-allowed", "/r/ap-redirect-denied", "/ap-nested-outer", "/ap-nested-inner")) {
                String[] tp = only(arrived.stream().filter(q -> q.path().equals(path)).toList())
                        .header("traceparent").split("-");
                SpanRecord span = only(sink.spans(s -> s.attr("url.full").endsWith(path)
                        || s.attr("url.full").contains(path + "?")));
                assertThat(span.traceId()).as(path).isEqualTo(tp[1]);
                assertThat(span.spanId()).as(path).isEqualTo(tp[2]);
            }
        }
    }

    /** {@code http.traceparent=false}: requests are still decided and traced, but carry no header of ours. */
    @Test
    void traceparentCanBeTurnedOff() throws Exception {
        int seenBefore = server.received().size();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = fork(Jvms.first(), "4", sink, "-Dagentid.http.traceparent=false");
            assertThat(r.value("step.ap_get")).as(r.toString()).startsWith("ok 200");
            assertThat(r.value("step.ap_denied")).isEqualTo("blocked java.io.IOException " + LOCALHOST);
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(arrived).isNotEmpty().allSatisfy(q -> assertThat(q.header("traceparent")).as(q.path())
                    .isEqualTo(q.path().endsWith("-own-tp") ? ApacheHttpApp.OWN_TRACEPARENT : null));
            assertThat(sink.spans(s -> "apache-httpclient-4".equals(s.attr("agentid.http.client")))).isNotEmpty();
        }
    }

    private static Forked.Result fork(Jvms.Jvm jvm, String version, OtlpSink sink, String jvmArg) throws Exception {
        Forked f = Forked.of(jvm, version.equals("5") ? ApacheHttpApp.class : ApacheHttp4App.class)
                .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=ap-agent")
                .jvmArg("-Djavax.net.ssl.trustStore=" + server.trustStore())
                .jvmArg("-Djavax.net.ssl.trustStorePassword=" + CountingHttpServer.STORE_PASSWORD)
                .jvmArg("-Djavax.net.ssl.trustStoreType=PKCS12")
                .exportTo(sink)
                .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()));
        if (jvmArg != null) {
            f.jvmArg(jvmArg);
        }
        return f.run().assertSucceeded();
    }

    private static int delta(Map<String, Integer> before, String path) {
        return server.count(path) - before.getOrDefault(path, 0);
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
