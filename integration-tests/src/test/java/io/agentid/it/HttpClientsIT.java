package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.HttpApp;
import io.agentid.it.support.CountingHttpServer;
import io.agentid.it.support.CountingHttpServer.Received;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both JDK HTTP clients in a forked JVM with agentid.jar and http-guardrails.yaml ({@code localhost} and DELETE
 * denied), against a real server on loopback that counts what it receives: a denied request, or a denied
 * redirect hop, must never arrive; an allowed one must, with a {@code traceparent} naming its span; and every
 * request on the wire must be exactly one span at a real OTLP receiver, with no secret in the exported bytes.
 */
class HttpClientsIT {
    private static final String LOCALHOST = "agentid: blocked by rule 'no-localhost': localhost is not for agents";
    private static final String DELETES = "agentid: blocked by rule 'no-deletes': agents may not delete";

    /** Steps whose first request goes out, and the paths it and its hops reach. */
    private static final Map<String, List<String>> ALLOWED = Map.ofEntries(
            Map.entry("jdk_get", List.of("/jdk-get")),
            Map.entry("jdk_post", List.of("/jdk-post")),
            Map.entry("jdk_async_get", List.of("/jdk-async-get")),
            Map.entry("jdk_redirect_allowed", List.of("/r/jdk-redirect-allowed", "/jdk-landing-allowed")),
            Map.entry("jdk_http2", List.of("/jdk-http2")),
            Map.entry("jdk_https", List.of("/jdk-https")),
            Map.entry("jdk_secret", List.of("/jdk-secret")),
            Map.entry("url_get", List.of("/url-get")),
            Map.entry("url_post", List.of("/url-post")),
            Map.entry("url_post_fixed", List.of("/url-post-fixed")),
            Map.entry("url_redirect_allowed", List.of("/r/url-redirect-allowed", "/url-landing-allowed")),
            Map.entry("url_https", List.of("/url-https")),
            Map.entry("url_secret", List.of("/url-secret")),
            Map.entry("jdk_own_traceparent", List.of("/jdk-own-tp")),
            Map.entry("url_own_traceparent", List.of("/url-own-tp")));
    /** Steps denied outright, with the path they would have reached. */
    private static final Map<String, String> DENIED = Map.ofEntries(
            Map.entry("jdk_denied", "/jdk-denied"),
            Map.entry("jdk_async_denied", "/jdk-async-denied"),
            Map.entry("jdk_post_denied", "/jdk-post-denied"),
            Map.entry("jdk_https_denied", "/jdk-https-denied"),
            Map.entry("jdk_host_header", "/jdk-host-header"),
            Map.entry("jdk_proxy_denied", "/jdk-proxy-denied"),
            Map.entry("url_denied", "/url-denied"),
            Map.entry("url_post_denied", "/url-post-denied"),
            Map.entry("url_https_denied", "/url-https-denied"),
            Map.entry("url_host_header", "/url-host-header"),
            Map.entry("url_proxy_denied", "/url-proxy-denied"));
    /** Steps whose first request is allowed and redirected to a denied host: first path reached, second never. */
    private static final Map<String, List<String>> REDIRECT_DENIED = Map.of(
            "jdk_redirect_denied", List.of("/r/jdk-redirect-denied", "/jdk-landing-denied"),
            "jdk_async_redirect_denied", List.of("/r/jdk-async-redirect-denied", "/jdk-async-landing-denied"),
            "url_redirect_denied", List.of("/r/url-redirect-denied", "/url-landing-denied"));

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
    void guardsBothJdkClients(Jvms.Jvm jvm) throws Exception {
        Map<String, Integer> before = server.counts();
        int seenBefore = server.received().size();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(jvm, HttpApp.class)
                    .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=http-agent")
                    .jvmArg("-Djavax.net.ssl.trustStore=" + server.trustStore())
                    .jvmArg("-Djavax.net.ssl.trustStorePassword=" + CountingHttpServer.STORE_PASSWORD)
                    .jvmArg("-Djavax.net.ssl.trustStoreType=PKCS12")
                    // let the application try to launder a destination through the Host header
                    .jvmArg("-Djdk.httpclient.allowRestrictedHeaders=host")
                    .jvmArg("-Dsun.net.http.allowRestrictedHeaders=true")
                    .exportTo(sink)
                    .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()))
                    .run()
                    .assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");

            // allowed requests went through, each hop once
            for (Map.Entry<String, List<String>> e : ALLOWED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r).startsWith("ok 200 ok ");
                for (String path : e.getValue()) {
                    assertThat(delta(before, path)).as(path + "\n" + r).isEqualTo(1);
                }
            }
            assertThat(r.value("step.jdk_post")).isEqualTo("ok 200 ok /jdk-post 11 HTTP_1_1");
            assertThat(r.value("step.url_post")).isEqualTo("ok 200 ok /url-post 11");
            // HTTP/2 asked for: the JDK server speaks neither h2c nor h2 over ALPN, so the client falls back to 1.1
            assertThat(r.value("step.jdk_http2")).endsWith("HTTP_1_1");
            assertThat(r.value("step.jdk_https")).endsWith("HTTP_1_1");

            // denied requests never left the process; the caller got the client's own IOException
            for (Map.Entry<String, String> e : DENIED.entrySet()) {
                assertThat(r.value("step." + e.getKey())).as(e.getKey() + "\n" + r)
                        .isEqualTo("blocked java.io.IOException " + LOCALHOST);
                assertThat(delta(before, e.getValue())).as(e.getValue() + "\n" + r).isZero();
            }
            for (String step : List.of("jdk_delete_denied", "url_delete_denied")) {
                assertThat(r.value("step." + step)).as(step + "\n" + r).isEqualTo("blocked java.io.IOException " + DELETES);
            }
            assertThat(delta(before, "/jdk-delete") + delta(before, "/url-delete")).isZero();
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
            int expected = onTheWire + DENIED.size() + 2 + REDIRECT_DENIED.size() * 2;
            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(r + "\n" + spans).hasSize(expected);
            assertThat(spans).allSatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(s.attr("agentid.kind")).isEqualTo("http");
                assertThat(s.attr("agentid.agent.id")).isEqualTo("http-agent");
                assertThat(s.attr("url.full")).startsWith(s.attr("url.scheme") + "://");
                assertThat(s.attr("server.port")).isIn(String.valueOf(server.httpPort()),
                        String.valueOf(server.httpsPort()));
            });
            // agentid's own export to the sink is never traced
            assertThat(spans).noneSatisfy(s -> assertThat(s.attr("url.full")).contains("/v1/traces"));

            SpanRecord post = only(sink.spans(s -> s.attr("url.full").endsWith("/jdk-post")));
            assertThat(post.name()).isEqualTo("POST");
            assertThat(post.attr("http.request.method")).isEqualTo("POST");
            assertThat(post.attr("server.address")).isEqualTo("127.0.0.1");
            assertThat(post.attr("url.scheme")).isEqualTo("http");
            assertThat(post.attr("http.request.body.size")).isEqualTo("11");
            assertThat(post.attr("http.response.status_code")).isEqualTo("200");
            assertThat(post.attr("agentid.decision")).isEqualTo("allow");
            assertThat(post.attr("agentid.http.client")).isEqualTo("java.net.http");
            SpanRecord urlPost = only(sink.spans(s -> s.attr("url.full").endsWith("/url-post")));
            assertThat(urlPost.attr("http.request.body.size")).isEqualTo("11");
            assertThat(urlPost.attr("agentid.http.client")).isEqualTo("java.net.HttpURLConnection");
            assertThat(only(sink.spans(s -> s.attr("url.full").endsWith("/url-post-fixed")))
                    .attr("http.request.body.size")).isEqualTo("11");

            SpanRecord denied = only(sink.spans(s -> s.attr("url.full").endsWith("/jdk-denied")));
            assertThat(denied.attr("agentid.decision")).isEqualTo("deny");
            assertThat(denied.attr("agentid.rule.id")).isEqualTo("no-localhost");
            assertThat(denied.attr("server.address")).isEqualTo("localhost");
            assertThat(denied.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(denied.events()).containsExactly("agentid.blocked");

            // a redirect: two requests, two spans in one trace, the first with the redirect's status
            for (String client : List.of("jdk", "url")) {
                SpanRecord first = only(sink.spans(s -> s.attr("url.full").contains("/r/" + client + "-redirect-denied?")));
                SpanRecord hop = only(sink.spans(s -> s.attr("url.full").endsWith("/" + client + "-landing-denied")));
                assertThat(first.attr("agentid.decision")).isEqualTo("allow");
                assertThat(first.attr("http.response.status_code")).as(client + " " + first).isEqualTo("302");
                assertThat(hop.attr("agentid.decision")).isEqualTo("deny");
                assertThat(hop.attr("http.request.resend_count")).isEqualTo("1");
                assertThat(hop.traceId()).isEqualTo(first.traceId());
                SpanRecord landing = only(sink.spans(s -> s.attr("url.full").endsWith("/" + client + "-landing-allowed")));
                assertThat(landing.attr("http.response.status_code")).isEqualTo("200");
                assertThat(landing.attr("agentid.decision")).isEqualTo("allow");
            }

            // secrets: redacted in url.full, and no header value anywhere in what was exported
            assertThat(only(sink.spans(s -> s.attr("url.full").contains("/jdk-secret"))).attr("url.full"))
                    .isEqualTo("http://127.0.0.1:" + server.httpPort()
                            + "/jdk-secret?api_key=REDACTED&q=1&X-Amz-Signature=REDACTED");
            assertThat(only(sink.spans(s -> s.attr("url.full").contains("/url-secret"))).attr("url.full"))
                    .isEqualTo("http://REDACTED:REDACTED@127.0.0.1:" + server.httpPort()
                            + "/url-secret?token=REDACTED&q=1");
            String exported = new String(sink.rawBytes(), StandardCharsets.ISO_8859_1);
            for (String secret : List.of("secret-jdk-key", "secret-jdk-sig", "secret-url-token", "pw-secret-value",
                    "auth-secret-value", "cookie-secret-value", "xkey-secret-value")) {
                assertThat(exported).as(secret).doesNotContain(secret);
            }
            // ... while the server did receive them (the header was sent, only never exported)
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(only(arrived.stream().filter(q -> q.path().equals("/jdk-secret")).toList())
                    .header("Authorization")).isEqualTo("Bearer auth-secret-value");

            // every allowed request carried a traceparent naming its own span (redirect hops of the JDK client
            // carry the first request's: the header is copied with the request)
            assertThat(arrived).isNotEmpty().allSatisfy(req -> assertThat(req.header("traceparent"))
                    .as(req.path()).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01"));
            for (String path : List.of("/jdk-own-tp", "/url-own-tp")) {
                assertThat(only(arrived.stream().filter(q -> q.path().equals(path)).toList()).header("traceparent"))
                        .as("the application's own context is left alone").isEqualTo(HttpApp.OWN_TRACEPARENT);
            }
            for (String path : List.of("/jdk-get", "/jdk-post", "/jdk-async-get", "/jdk-https", "/url-get", "/url-post",
                    "/url-https", "/url-landing-allowed", "/r/url-redirect-allowed")) {
                String[] tp = only(arrived.stream().filter(q -> q.path().equals(path)).toList())
                        .header("traceparent").split("-");
                SpanRecord span = only(sink.spans(s -> s.attr("url.full").endsWith(path)
                        || s.attr("url.full").contains(path + "?")));
                assertThat(span.traceId()).as(path).isEqualTo(tp[1]);
                assertThat(span.spanId()).as(path).isEqualTo(tp[2]);
            }
        }
    }

    /** What a cancelled {@code sendAsync} future says ({@code HttpApp.cancelled}), and what a dependent stage gets. */
    private static final List<String> JDK_CANCELLED = List.of(
            "true cancelled=true done=true get=java.util.concurrent.CancellationException",
            "java.util.concurrent.CancellationException");
    /** The same when the cancelled exchange failed the future first. */
    private static final List<String> JDK_CANCELLED_BY_EXCHANGE = List.of(
            "true cancelled=false done=true get=failed java.util.concurrent.CancellationException: Request cancelled",
            "java.util.concurrent.CompletionException java.util.concurrent.CancellationException");

    /**
     * {@code sendAsync} cancelled ({@code cancel(true)}) while the server holds its answer back (released only after
     * the JVM exited, so nothing but the cancel can end the request): the application sees the same as without the
     * agent (a {@code CancellationException}, for {@code get} and for a dependent stage), no fault of agentid's, and
     * the request is one span, ended by the cancel with {@code error.type} {@code CancellationException}.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void cancelledSendAsync(Jvms.Jvm jvm) throws Exception {
        String path = "/hold/jdk-cancel";
        Map<String, Integer> before = server.counts();
        Forked.Result plain;
        try {
            plain = Forked.of(jvm, HttpApp.class)
                    .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()), "cancel")
                    .run().assertSucceeded();
        } finally {
            server.releaseHeld();
        }
        // the JDK's own answer races (on 17 and 25 alike): cancel(true) cancels the future and, through it, the exchange,
        // which fails the same future with a CancellationException of its own; whichever completes it first is what
        // the application sees
        assertThat(List.of(plain.value("cancel.jdk_cancel"), plain.value("told.jdk_cancel"))).as(plain.toString())
                .isIn(JDK_CANCELLED, JDK_CANCELLED_BY_EXCHANGE);
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r;
            try {
                r = Forked.of(jvm, HttpApp.class)
                        .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=http-agent")
                        .exportTo(sink)
                        .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()), "cancel")
                        .run().assertSucceeded();
            } finally {
                server.releaseHeld();
            }
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            assertThat(List.of(r.value("cancel.jdk_cancel"), r.value("told.jdk_cancel"))).as(r.toString())
                    .isIn(JDK_CANCELLED, JDK_CANCELLED_BY_EXCHANGE);
            assertThat(r.stderr()).as(r.toString()).doesNotContain("internal fault").doesNotContain("Exception");
            assertThat(delta(before, path)).as("in flight when cancelled, once per run").isEqualTo(2);

            SpanRecord span = only(sink.spans(s -> "java.net.http".equals(s.attr("agentid.http.client"))));
            assertThat(span.attr("url.full")).isEqualTo("http://127.0.0.1:" + server.httpPort() + path);
            assertThat(span.attr("agentid.decision")).isEqualTo("allow");
            assertThat(span.attr("error.type")).as(span.toString())
                    .isEqualTo("java.util.concurrent.CancellationException");
            assertThat(span.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(span.attr("http.response.status_code")).isNull();
            server.assertSentWithoutThenWith(path, span);
        }
    }

    /** {@code http.traceparent=false}: requests are still decided and traced, but carry no header of ours. */
    @org.junit.jupiter.api.Test
    void traceparentCanBeTurnedOff() throws Exception {
        int seenBefore = server.received().size();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = run(sink, "-Dagentid.http.traceparent=false");
            assertThat(r.value("step.jdk_get")).as(r.toString()).startsWith("ok 200");
            assertThat(r.value("step.url_denied")).isEqualTo("blocked java.io.IOException " + LOCALHOST);
            List<Received> arrived = server.received().subList(seenBefore, server.received().size());
            assertThat(arrived).isNotEmpty().allSatisfy(q -> assertThat(q.header("traceparent")).as(q.path())
                    .isEqualTo(q.path().endsWith("-own-tp") ? HttpApp.OWN_TRACEPARENT : null));
            assertThat(sink.spans(s -> "http".equals(s.attr("agentid.kind")))).isNotEmpty();
        }
    }

    /** {@code interceptor.http.enabled=false}: nothing is decided, so even the denied hosts are reached. */
    @org.junit.jupiter.api.Test
    void interceptorCanBeTurnedOff() throws Exception {
        Map<String, Integer> before = server.counts();
        try (OtlpSink sink = new OtlpSink()) {
            // the socket backstop would otherwise decide the clients' connections (docs/HTTP.md, Backstop)
            Forked.Result r = run(sink, "-Dagentid.interceptor.http.enabled=false",
                    "-Dagentid.interceptor.socket.enabled=false");
            assertThat(r.value("step.jdk_denied")).as(r.toString()).startsWith("ok 200");
            assertThat(r.value("step.url_denied")).as(r.toString()).startsWith("ok 200");
            assertThat(delta(before, "/jdk-denied")).isEqualTo(1);
            assertThat(r.stderr()).contains("interceptor `http` disabled by -Dagentid.interceptor.http.enabled");
            assertThat(sink.spans()).isEmpty();
        }
    }

    private static Forked.Result run(OtlpSink sink, String... jvmArgs) throws Exception {
        Forked f = Forked.of(Jvms.first(), HttpApp.class);
        for (String jvmArg : jvmArgs) {
            f.jvmArg(jvmArg);
        }
        return f
                .agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=http-agent")
                .jvmArg("-Djavax.net.ssl.trustStore=" + server.trustStore())
                .jvmArg("-Djavax.net.ssl.trustStorePassword=" + CountingHttpServer.STORE_PASSWORD)
                .jvmArg("-Djavax.net.ssl.trustStoreType=PKCS12")
                .exportTo(sink)
                .args(String.valueOf(server.httpPort()), String.valueOf(server.httpsPort()))
                .run()
                .assertSucceeded();
    }

    private static int delta(Map<String, Integer> before, String path) {
        return server.count(path) - before.getOrDefault(path, 0);
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
