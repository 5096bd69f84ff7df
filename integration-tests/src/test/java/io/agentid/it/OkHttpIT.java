package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.OkHttpApp;
import io.agentid.it.support.CountingHttpServer;
import io.agentid.it.support.CountingHttpServer.Received;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
 * OkHttp 3, 4 and 5 in forked JVMs (each on its own class path: {@code target/okhttp3}, {@code target/okhttp4},
 * {@code target/okhttp5}) with agentid.jar and http-guardrails.yaml ({@code localhost} and DELETE denied), against a
 * real server on loopback that counts what it receives: a denied request or redirect hop must never arrive; an allowed one must, with a
 * {@code traceparent} naming its span; every request on the wire is exactly one span at a real OTLP receiver,
 * with no secret in the exported bytes.
 */
class OkHttpIT {
    private static final String LOCALHOST = "agentid: blocked by rule 'no-localhost': localhost is not for agents";
    private static final String DELETES = "agentid: blocked by rule 'no-deletes': agents may not delete";

    /** Steps whose first request goes out, and the paths it and its hops reach. */
    private static final Map<String, List<String>> ALLOWED = Map.of(
            "ok_get", List.of("/ok-get"),
            "ok_post", List.of("/ok-post"),
            "ok_async_get", List.of("/ok-async-get"),
            "ok_redirect_allowed", List.of("/r/ok-redirect-allowed", "/ok-landing-allowed"),
            "ok_https", List.of("/ok-https"),
            "ok_secret", List.of("/ok-secret"),
            "ok_own_traceparent", List.of("/ok-own-tp"));
    /** Steps denied outright, with the path they would have reached. */
    private static final Map<String, String> DENIED = Map.of(
            "ok_denied", "/ok-denied",
            "ok_async_denied", "/ok-async-denied",
            "ok_post_denied", "/ok-post-denied",
            "ok_https_denied", "/ok-https-denied",
            "ok_host_header", "/ok-host-header",
            "ok_proxy_denied", "/ok-proxy-denied",
            "ok_rewritten_denied", "/ok-rewritten-denied");
    /** Steps whose first request is allowed and redirected to a denied host: first path reached, second never. */
    private static final Map<String, List<String>> REDIRECT_DENIED = Map.of(
            "ok_redirect_denied", List.of("/r/ok-redirect-denied", "/ok-landing-denied"),
            "ok_async_redirect_denied", List.of("/r/ok-async-redirect-denied", "/ok-async-landing-denied"));

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

    /** Every JVM × every OkHttp major version. */
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Jvms.Jvm jvm : Jvms.all()) {
            for (String version : okHttpVersions().keySet()) {
                out.add(Arguments.of(jvm, version));
            }
        }
        return out;
    }

    /** {@code -Dagentid.it.okhttp=3:/dir,4:/dir,5:/dir}: major version → the directory of its jars. */
    private static Map<String, Path> okHttpVersions() {
        String spec = System.getProperty("agentid.it.okhttp", "3:target/okhttp3,4:target/okhttp4,5:target/okhttp5");
        Map<String, Path> out = new java.util.TreeMap<>();
        for (String part : spec.split(",")) {
            int colon = part.indexOf(':');
            Path dir = Path.of(part.substring(colon + 1).trim());
            if (!Files.isDirectory(dir)) {
                throw new IllegalStateException("agentid.it.okhttp names `" + dir + "`, which is not a directory;"
                        + " run the build (process-test-classes copies the OkHttp jars there)");
            }
            out.put(part.substring(0, colon).trim(), dir);
        }
        return out;
    }

    /** This module's test classes (the application) and the jars of one OkHttp version, nothing else. */
    private static String classPath(String version) throws Exception {
        Path classes = Path.of(OkHttpApp.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return classes + File.pathSeparator + okHttpVersions().get(version).toAbsolutePath() + File.separator + "*";
    }

    @ParameterizedTest(name = "{0}, OkHttp {1}")
    @MethodSource("cases")
    void guardsOkHttp(Jvms.Jvm jvm, String version) throws Exception {
        Map<String, Integer> before = server.counts();
        int seenBefore = server.received().size();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = fork(jvm, version, sink, null);
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            assertThat(r.value("okhttp.version")).as(r.toString()).startsWith(version + ".");
            assertThat(r.stderr()).as(r.toString()).doesNotContain("internal fault");

            // allowed requests went through, each hop once
            for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r).startsWith("ok 200 ok ");
                for (String path : e.getValue()) {
                    assertThat(delta(before, path)).as(path + "\n" + r).isEqualTo(1);
                }
            }
            assertThat(r.value("step.ok_post")).isEqualTo("ok 200 ok /ok-post 11 http/1.1");

            // denied requests never left the process; the caller got OkHttp's own IOException (enqueue: onFailure)
            for (Map.Entry<String, String> e : DENIED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("blocked java.io.IOException " + LOCALHOST);
                assertThat(delta(before, e.getValue())).as(e.getValue() + "\n" + r).isZero();
            }
            assertThat(r.value("step.ok_delete_denied")).as(r.toString())
                    .isEqualTo("blocked java.io.IOException " + DELETES);
            assertThat(delta(before, "/ok-delete")).isZero();
            for (Map.Entry<String, List<String>> e : REDIRECT_DENIED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("blocked java.io.IOException " + LOCALHOST);
                assertThat(delta(before, e.getValue().get(0))).as(e.getValue().get(0)).isEqualTo(1);
                assertThat(delta(before, e.getValue().get(1))).as(e.getValue().get(1)).isZero();
            }

            // one span per request on the wire (each hop of a redirect is one), and one per denied request
            int onTheWire = 0;
            for (List<String> paths : ALLOWED.values()) {
                onTheWire += paths.size();
            }
            int expected = onTheWire + DENIED.size() + 1 + REDIRECT_DENIED.size() * 2;
            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(r + "\n" + spans).hasSize(expected);
            assertThat(spans).allSatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(s.attr("agentid.kind")).isEqualTo("http");
                assertThat(s.attr("agentid.agent.id")).isEqualTo("ok-agent");
                assertThat(s.attr("agentid.http.client")).isEqualTo("okhttp");
                assertThat(s.attr("url.full")).startsWith(s.attr("url.scheme") + "://");
            });

            SpanRecord post = only(sink.spans(s -> s.attr("url.full").endsWith("/ok-post")));
            assertThat(post.name()).isEqualTo("POST");
            assertThat(post.attr("http.request.method")).isEqualTo("POST");
            assertThat(post.attr("server.address")).isEqualTo("127.0.0.1");
            assertThat(post.attr("server.port")).isEqualTo(String.valueOf(server.httpPort()));
            assertThat(post.attr("url.scheme")).isEqualTo("http");
            assertThat(post.attr("http.request.body.size")).isEqualTo("11");
            assertThat(post.attr("http.response.status_code")).isEqualTo("200");
            assertThat(post.attr("network.protocol.version")).isEqualTo("1.1");
            assertThat(post.attr("agentid.decision")).isEqualTo("allow");
            SpanRecord tls = only(sink.spans(s -> s.attr("url.full").endsWith("/ok-https")));
            assertThat(tls.attr("url.scheme")).isEqualTo("https");
            assertThat(tls.attr("server.port")).isEqualTo(String.valueOf(server.httpsPort()));

            SpanRecord denied = only(sink.spans(s -> s.attr("url.full").endsWith("/ok-denied")));
            assertThat(denied.attr("agentid.decision")).isEqualTo("deny");
            assertThat(denied.attr("agentid.rule.id")).isEqualTo("no-localhost");
            assertThat(denied.attr("server.address")).isEqualTo("localhost");
            assertThat(denied.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(denied.events()).containsExactly("agentid.blocked");
            // the interceptor's rewrite is what was decided
            assertThat(only(sink.spans(s -> s.attr("url.full").endsWith("/ok-rewritten-denied"))).attr("url.full"))
                    .isEqualTo("http://localhost:" + server.httpPort() + "/ok-rewritten-denied");

            // a redirect: two requests, two spans in one trace, the first with the redirect's status
            for (String step : List.of("ok-redirect-denied", "ok-async-redirect-denied")) {
                String landing = step.replace("redirect", "landing");
                SpanRecord first = only(sink.spans(s -> s.attr("url.full").contains("/r/" + step + "?")));
                SpanRecord hop = only(sink.spans(s -> s.attr("url.full").endsWith("/" + landing)));
                assertThat(first.attr("agentid.decision")).isEqualTo("allow");
                assertThat(first.attr("http.response.status_code")).as(step).isEqualTo("302");
                assertThat(hop.attr("agentid.decision")).isEqualTo("deny");
                assertThat(hop.attr("http.request.resend_count")).isEqualTo("1");
                assertThat(hop.traceId()).isEqualTo(first.traceId());
            }
            SpanRecord landing = only(sink.spans(s -> s.attr("url.full").endsWith("/ok-landing-allowed")));
            assertThat(landing.attr("http.response.status_code")).isEqualTo("200");
            assertThat(landing.attr("http.request.resend_count")).isEqualTo("1");

            // secrets: redacted in url.full, and no header value anywhere in what was exported
            assertThat(only(sink.spans(s -> s.attr("url.full").contains("/ok-secret"))).attr("url.full"))
                    .isEqualTo("http://REDACTED:REDACTED@127.0.0.1:" + server.httpPort()
                            + "/ok-secret?api_key=REDACTED&q=1&X-Amz-Signature=REDACTED");
            String exported = new String(sink.rawBytes(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("secret-ok-key", "secret-ok-sig", "pw-secret-value", "auth-secret-value",
                    "cookie-secret-value", "xkey-secret-value")) {
                assertThat(exported).as(secret).doesNotContain(secret);
            }
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/ok-secret")).toList())
                    .header("Authorization")).isEqualTo("Bearer auth-secret-value");

            // every allowed request carried a traceparent naming its own span, each redirect hop its own
            assertThat(arrived).isNotEmpty().allSatisfy(req -> assertThat(req.header("traceparent"))
                    .as(req.path()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/ok-own-tp")).toList()).header("traceparent"))
                    .as("the application's own context is left alone").isEqualTo(OkHttpApp.OWN_TRACEPARENT);
            for (String path : List.of("/ok-get", "/ok-post", "/ok-async-get", "/ok-https", "/r/ok-redirect-allowed",
                    "/ok-landing-allowed", "/r/ok-redirect-denied")) {
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
            Forked.Result r = fork(Jvms.first(), "5", sink, "-Dagentid.http.traceparent=false");
            assertThat(r.value("step.ok_get")).as(r.toString()).startsWith("ok 200");
            assertThat(r.value("step.ok_denied")).isEqualTo("blocked java.io.IOException " + LOCALHOST);
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(arrived).isNotEmpty().allSatisfy(q -> assertThat(q.header("traceparent")).as(q.path())
                    .isEqualTo(q.path().endsWith("-own-tp") ? OkHttpApp.OWN_TRACEPARENT : null));
            assertThat(sink.spans(s -> "okhttp".equals(s.attr("agentid.http.client")))).isNotEmpty();
        }
    }

    /**
     * {@code interceptor.okhttp.enabled=false} (and the socket backstop off, which would otherwise decide OkHttp's
     * connects by destination): nothing is decided, so even the denied hosts are reached.
     */
    @Test
    void interceptorCanBeTurnedOff() throws Exception {
        Map<String, Integer> before = server.counts();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = fork(Jvms.first(), "4", sink,
                    "-Dagentid.interceptor.okhttp.enabled=false -Dagentid.interceptor.socket.enabled=false");
            assertThat(r.value("step.ok_denied")).as(r.toString()).startsWith("ok 200");
            assertThat(delta(before, "/ok-denied")).isEqualTo(1);
            assertThat(r.stderr()).contains("interceptor `okhttp` disabled by -Dagentid.interceptor.okhttp.enabled");
            assertThat(sink.spans()).isEmpty();
        }
    }

    private static Forked.Result fork(Jvms.Jvm jvm, String version, OtlpSink sink, String jvmArg) throws Exception {
        Forked f = Forked.of(jvm, OkHttpApp.class)
                .classPath(classPath(version))
                .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=ok-agent")
                .jvmArg("-Djavax.net.ssl.trustStore=" + server.trustStore())
                .jvmArg("-Djavax.net.ssl.trustStorePassword=" + CountingHttpServer.STORE_PASSWORD)
                .jvmArg("-Djavax.net.ssl.trustStoreType=PKCS12")
                .exportTo(sink)
                .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()));
        if (jvmArg != null) {
            for (String a : jvmArg.split(" ")) {
                f.jvmArg(a);
            }
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
