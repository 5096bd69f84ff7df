package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.genai.ModelRequest;
import io.agentid.genai.ModelRequests;
import io.agentid.genai.ModelResponses;
import io.agentid.genai.PriceTable;
import io.agentid.genai.Pricing;
import io.agentid.it.apps.ApacheAsyncH2App;
import io.agentid.it.apps.Http2App;
import io.agentid.it.apps.ModelBodiesApp;
import io.agentid.it.apps.OkHttpH2App;
import io.agentid.it.support.CountingHttpServer;
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
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http2.HTTP2Cipher;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * HTTP/2 on the wire: a Jetty server on loopback speaking h2 over TLS (ALPN) and h2c (cleartext upgrade), which
 * records each request's protocol and {@code traceparent}. In forked JVMs with agentid.jar and
 * http-guardrails.yaml ({@code localhost} denied): the JDK {@code HttpClient}'s allowed {@code send} and
 * {@code sendAsync} are answered over HTTP/2 ({@code response.version() == HTTP_2}, and the server saw
 * {@code HTTP/2.0}), each decided and traced once with {@code network.protocol.version=2} and a {@code traceparent}
 * naming its span; the denied ones never reach the server and fail with agentid's {@code IOException}
 * ({@code sendAsync}: a future already failed). OkHttp 4 and 5 the same over h2, and Apache HttpClient 5 async's
 * HTTP/2-only client ({@code HttpAsyncClients.customHttp2()}) over h2 and h2c with prior knowledge, with a model call
 * priced from its body and its usage read from the answer, and its general client ({@code HttpAsyncClients.custom()})
 * with a TLS strategy, h2 by ALPN ({@code NEGOTIATE} and {@code FORCE_HTTP_2}).
 */
class Http2IT {
    private static final String LOCALHOST = "agentid: blocked by rule 'no-localhost': localhost is not for agents";

    @TempDir
    static Path tmp;
    private static CountingHttpServer certs;
    private static Server jetty;
    private static ServerConnector tls;
    private static ServerConnector clear;
    /** path → the protocol and traceparent of each request that reached the server. */
    private static final Map<String, List<String[]>> received = new ConcurrentHashMap<>();

    @BeforeAll
    static void startServer() throws Exception {
        certs = new CountingHttpServer(tmp); // for its self-signed certificate for 127.0.0.1 and localhost
        jetty = new Server();
        HttpConfiguration config = new HttpConfiguration();
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        config.addCustomizer(secure);
        HttpConnectionFactory h1 = new HttpConnectionFactory(config);
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(config);
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory();
        alpn.setDefaultProtocol(h1.getProtocol());
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStorePath(certs.keyStore().toString());
        ssl.setKeyStorePassword(CountingHttpServer.STORE_PASSWORD);
        ssl.setKeyStoreType("PKCS12");
        ssl.setCipherComparator(HTTP2Cipher.COMPARATOR);
        tls = new ServerConnector(jetty, new SslConnectionFactory(ssl, alpn.getProtocol()), alpn, h2, h1);
        tls.setHost("127.0.0.1");
        clear = new ServerConnector(jetty, new HttpConnectionFactory(config), new HTTP2CServerConnectionFactory(config));
        clear.setHost("127.0.0.1");
        jetty.addConnector(tls);
        jetty.addConnector(clear);
        jetty.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String path = request.getHttpURI().getPath();
                String body = Content.Source.asString(request, StandardCharsets.UTF_8);
                String protocol = request.getConnectionMetaData().getProtocol();
                received.computeIfAbsent(path, k -> new java.util.concurrent.CopyOnWriteArrayList<>())
                        .add(new String[] {protocol, request.getHeaders().get("traceparent")});
                if (path.endsWith("/v1/chat/completions")) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
                    Content.Sink.write(response, true, ModelCallsIT.RESPONSE, callback);
                    return true;
                }
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain");
                Content.Sink.write(response, true, "ok " + path + " " + body.length() + " " + protocol, callback);
                return true;
            }
        });
        jetty.start();
    }

    @AfterAll
    static void stopServer() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
        if (certs != null) {
            certs.close();
        }
    }

    static List<Jvms.Jvm> jvms() {
        return Jvms.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void jdkClientOverHttp2(Jvms.Jvm jvm) throws Exception {
        received.clear();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = fork(Forked.of(jvm, Http2App.class), sink)
                    .args(String.valueOf(tls.getLocalPort()), String.valueOf(clear.getLocalPort()))
                    .run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");

            for (String step : List.of("h2_send", "h2_async", "h2_post", "h2c_send", "h2c_async")) {
                assertAllowedOverH2(r, sink, step, step.equals("h2_post") ? 11 : 0, "HTTP_2", "java.net.http");
            }
            for (String step : List.of("h2_denied", "h2_async_denied", "h2c_denied", "h2c_async_denied")) {
                assertDenied(r, sink, step);
            }
            assertThat(r.value("future.h2_async_denied")).as("sendAsync returned a failed future").isEqualTo("failed");
            assertThat(r.value("future.h2c_async_denied")).isEqualTo("failed");
            assertThat(sink.spans()).as(sink.spans().toString()).hasSize(9);
        }
    }

    static List<Arguments> okHttpCases() {
        List<Arguments> out = new ArrayList<>();
        for (Jvms.Jvm jvm : Jvms.all()) {
            out.add(Arguments.of(jvm, "4"));
            out.add(Arguments.of(jvm, "5"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, OkHttp {1}")
    @MethodSource("okHttpCases")
    void okHttpOverHttp2(Jvms.Jvm jvm, String version) throws Exception {
        received.clear();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = fork(Forked.of(jvm, OkHttpH2App.class), sink)
                    .classPath(ModelBodiesIT.okHttpClassPath(version))
                    .args(String.valueOf(tls.getLocalPort()))
                    .run().assertSucceeded();
            assertThat(r.value("step.okh2_get")).as(r.toString()).isEqualTo("ok 200 ok /okh2-get 0 HTTP/2.0 h2");
            assertThat(received.get("/okh2-get")).hasSize(1);
            SpanRecord span = only(sink.spans(s -> s.attr("url.full").endsWith("/okh2-get")));
            assertThat(span.attr("network.protocol.version")).isEqualTo("2");
            assertThat(received.get("/okh2-get").get(0)[1])
                    .isEqualTo("00-" + span.traceId() + "-" + span.spanId() + "-01");
            assertThat(r.value("step.okh2_denied")).isEqualTo("blocked java.io.IOException " + LOCALHOST);
            assertThat(received.get("/okh2-denied")).isNull();
            assertThat(only(sink.spans(s -> s.attr("url.full").endsWith("/okh2-denied"))).attr("agentid.decision"))
                    .isEqualTo("deny");
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void apacheAsyncOverHttp2(Jvms.Jvm jvm) throws Exception {
        received.clear();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = fork(Forked.of(jvm, ApacheAsyncH2App.class), sink)
                    .args(String.valueOf(tls.getLocalPort()), String.valueOf(clear.getLocalPort()))
                    .run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            for (String step : List.of("ah2_get", "ah2_post", "ah2c_get", "ahn_get", "ahn_post", "ahf_get", "ahf_post")) {
                assertAllowedOverH2(r, sink, step, step.endsWith("_post") ? 11 : 0, "HTTP/2.0",
                        "apache-httpclient-async");
            }
            for (String step : List.of("ah2_denied", "ah2c_post_denied", "ahn_denied", "ahf_denied")) {
                assertDenied(r, sink, step);
            }

            // a model call over h2c: priced from its body, its usage read from the answer the application got whole
            String path = "/ah2c-model/v1/chat/completions";
            byte[] answer = ModelCallsIT.RESPONSE.getBytes(StandardCharsets.UTF_8);
            assertThat(r.value("step.ah2c_model")).as(r.toString()).isEqualTo("ok 200 "
                    + java.util.Base64.getEncoder().encodeToString(answer) + " HTTP/2.0");
            assertThat(received.get(path)).hasSize(1);
            assertThat(received.get(path).get(0)[0]).isEqualTo("HTTP/2.0");
            SpanRecord model = only(sink.spans(s -> s.attr("url.full").endsWith(path)));
            assertThat(model.attr("network.protocol.version")).isEqualTo("2");
            ModelRequest expected = ModelRequests.recognise("POST", "127.0.0.1", path,
                    ModelBodiesApp.body("cheap", "gpt-4o-mini", 50).getBytes(StandardCharsets.UTF_8));
            assertThat(model.attr("gen_ai.request.model")).as(model.toString()).isEqualTo("gpt-4o-mini");
            assertThat(Long.parseLong(model.attr("agentid.gen_ai.input_tokens_estimate")))
                    .isEqualTo(expected.inputTokens()).isPositive();
            assertThat(Double.parseDouble(model.attr("agentid.cost.estimate_usd")))
                    .isCloseTo(Pricing.estimate(expected, PriceTable.shipped()).usd(),
                            org.assertj.core.api.Assertions.within(1e-12));
            assertThat(model.attr("gen_ai.usage.input_tokens")).isEqualTo("31");
            assertThat(model.attr("gen_ai.usage.output_tokens")).isEqualTo("12");
            assertThat(Double.parseDouble(model.attr("agentid.cost.actual_usd"))).isCloseTo(Pricing.actual(
                    "gpt-4o-mini", ModelResponses.usage(ModelRequest.Api.OPENAI_CHAT_COMPLETIONS, answer),
                    PriceTable.shipped()), org.assertj.core.api.Assertions.within(1e-12));
            // one decision and one span per request
            assertThat(sink.spans()).as(sink.spans().toString()).hasSize(12);
        }
    }

    /**
     * An allowed step's request arrived once over HTTP/2 (the client says {@code clientVersion}, the server
     * {@code HTTP/2.0}) with a traceparent naming its one span, which says protocol 2 and {@code client}.
     */
    private void assertAllowedOverH2(Forked.Result r, OtlpSink sink, String step, int bodyLength,
            String clientVersion, String client) {
        String path = "/" + step.replace('_', '-');
        assertThat(r.value("step." + step)).as(step + "\n" + r)
                .isEqualTo("ok 200 ok " + path + " " + bodyLength + " HTTP/2.0 " + clientVersion);
        List<String[]> arrived = received.get(path);
        assertThat(arrived).as(path).hasSize(1);
        SpanRecord span = only(sink.spans(s -> s.attr("url.full").endsWith(path)));
        assertThat(span.attr("agentid.decision")).isEqualTo("allow");
        assertThat(span.attr("network.protocol.version")).as(span.toString()).isEqualTo("2");
        assertThat(span.attr("http.response.status_code")).isEqualTo("200");
        assertThat(span.attr("agentid.http.client")).isEqualTo(client);
        assertThat(arrived.get(0)[1]).as(path + " traceparent")
                .isEqualTo("00-" + span.traceId() + "-" + span.spanId() + "-01");
    }

    /** A denied step got the block, its request never arrived, and its one span names the rule. */
    private void assertDenied(Forked.Result r, OtlpSink sink, String step) {
        String path = "/" + step.replace('_', '-');
        assertThat(r.value("step." + step)).as(step + "\n" + r).isEqualTo("blocked java.io.IOException " + LOCALHOST);
        assertThat(received.get(path)).as(path).isNull();
        SpanRecord span = only(sink.spans(s -> s.attr("url.full").endsWith(path)));
        assertThat(span.attr("agentid.decision")).isEqualTo("deny");
        assertThat(span.attr("agentid.rule.id")).isEqualTo("no-localhost");
    }

    private static Forked fork(Forked f, OtlpSink sink) {
        return f.agent("policy=" + Policies.path("http-guardrails.yaml") + ",agent.id=h2-agent")
                .jvmArg("-Djavax.net.ssl.trustStore=" + certs.trustStore())
                .jvmArg("-Djavax.net.ssl.trustStorePassword=" + CountingHttpServer.STORE_PASSWORD)
                .jvmArg("-Djavax.net.ssl.trustStoreType=PKCS12")
                .exportTo(sink);
    }

    private static <T> T only(List<T> items) {
        assertThat(items).hasSize(1);
        return items.get(0);
    }
}
