package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentid.genai.ModelRequest;
import io.agentid.genai.ModelRequests;
import io.agentid.genai.PriceTable;
import io.agentid.genai.Pricing;
import io.agentid.it.apps.RequestCharsetApp;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model request whose body is sent in the charset its {@code Content-Type} names (UTF-8, ISO-8859-1, UTF-16), through
 * {@code java.net.http.HttpClient}, {@code HttpURLConnection} (buffered), OkHttp 4 and 5, Apache HttpClient 5 and 4
 * classic and HttpAsyncClient 4 ({@link RequestCharsetApp}), in forked JVMs with agentid.jar and request-charset.yaml
 * (deny a call estimated above $0.01), against a loopback server that records the bytes each request sent. Each body
 * is priced from its text: the Latin-1 and UTF-16 requests, as text the client encodes and as bytes the application
 * encoded, get the same estimated input tokens and cost as the UTF-8 one, and the server receives exactly the text in
 * the request's charset. So do Latin-1 requests under a {@code Content-Type} that names no charset (HttpClient 4's
 * {@code StringEntity} with {@code ContentType.create("application/json")}, {@code BodyPublishers.ofString(s,
 * ISO_8859_1)}), whose bytes are not valid UTF-8 and are read as ISO-8859-1. A Latin-1 body read as UTF-8 (as agentid
 * did) stops at its first accented letter, and is priced lower; a Latin-1 prompt whose whole text is priced above the
 * threshold, and the text before its first accented letter below it, is denied and never reaches the server.
 * (HttpClient 5 async: {@code ModelBodiesIT}.)
 */
class RequestCharsetIT {
    private static final String RESPONSE = ModelCallsIT.RESPONSE;
    private static final double THRESHOLD = 0.01;
    private static final String EXPENSIVE = "agentid: blocked by rule 'no-expensive-calls': a single model call may not"
            + " cost more than $0.01";

    private static HttpServer server;
    private static final Map<String, Integer> counts = new ConcurrentHashMap<>();
    /** The bytes each request sent, as they came, and its {@code Content-Type}. */
    private static final Map<String, byte[]> raw = new ConcurrentHashMap<>();
    private static final Map<String, String> types = new ConcurrentHashMap<>();

    @BeforeAll
    static void startServer() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", RequestCharsetIT::answer);
        server.start();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            raw.put(path, exchange.getRequestBody().readAllBytes());
            String type = exchange.getRequestHeaders().getFirst("Content-Type");
            if (type != null) {
                types.put(path, type);
            }
            counts.merge(path, 1, Integer::sum);
            byte[] answer = RESPONSE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @AfterAll
    static void stopServer() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** Every JVM × the clients whose request bodies agentid reads before they are sent (HttpClient 5 async aside). */
    static List<Arguments> cases() {
        return Jvms.withEach("jdk", "url", "okhttp4", "okhttp5", "apache5", "apache4", "apache4async");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void pricesTextInItsCharset(Jvms.Jvm jvm, String client) throws Exception {
        counts.clear();
        raw.clear();
        types.clear();
        String kind = client.startsWith("okhttp") ? "okhttp" : client;
        String clientAttr = Map.of("jdk", "java.net.http", "url", "java.net.HttpURLConnection", "okhttp", "okhttp",
                "apache5", "apache-httpclient", "apache4", "apache-httpclient-4", "apache4async",
                "apache-httpclient-4-async").get(kind);
        try (OtlpSink sink = new OtlpSink()) {
            Forked f = Forked.of(jvm, RequestCharsetApp.class)
                    .agent("policy=" + Policies.path("request-charset.yaml") + ",agent.id=charset-agent")
                    .exportTo(sink).args(String.valueOf(server.getAddress().getPort()), kind);
            if (!kind.equals(client)) {
                f.classPath(ModelBodiesIT.okHttpClassPath(client.substring(6)));
            }
            Forked.Result r = f.run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(spans.toString()).hasSize(RequestCharsetApp.STEPS.length)
                    .allSatisfy(s -> assertThat(s.attr("agentid.http.client")).isEqualTo(clientAttr));

            for (String[] step : RequestCharsetApp.STEPS) {
                String name = RequestCharsetApp.prefix(kind) + step[0];
                String path = RequestCharsetApp.path(kind, step[0]);
                String text = RequestCharsetApp.body(step[0]);
                Charset cs = Charset.forName(step[1]);
                // what the text is priced at, and what its bytes as sent were priced at when read as UTF-8 that
                // stops at the first byte that is not ASCII (what agentid did with Latin-1 bytes)
                ModelRequest expected = ModelRequests.recognise("POST", "127.0.0.1", path,
                        text.getBytes(StandardCharsets.UTF_8));
                ModelRequest cutShort = ModelRequests.recognise("POST", "127.0.0.1", path,
                        upToNonAscii(text.getBytes(cs)));
                double usd = Pricing.estimate(expected, PriceTable.shipped()).usd();
                double cutShortUsd = Pricing.estimate(cutShort, PriceTable.shipped()).usd();
                if (cs.equals(StandardCharsets.ISO_8859_1)) {
                    // what the check tells apart
                    assertThat(cutShort.inputTokens()).as(name).isLessThan(expected.inputTokens());
                    assertThat(cutShortUsd).as(name).isLessThan(usd);
                }
                SpanRecord s = span(sink, path);
                assertThat(Long.parseLong(s.attr("agentid.gen_ai.input_tokens_estimate"))).as(s.toString())
                        .isEqualTo(expected.inputTokens());
                assertThat(Double.parseDouble(s.attr("agentid.cost.estimate_usd"))).as(s.toString())
                        .isCloseTo(usd, within(1e-12));
                assertThat(s.attr("gen_ai.request.max_tokens")).as(s.toString()).isEqualTo("50");

                if (step[0].endsWith("_expensive")) {
                    // the whole text is priced above the threshold, the text before its accented letter below it
                    assertThat(usd).isGreaterThan(THRESHOLD);
                    assertThat(cutShortUsd).isLessThan(THRESHOLD);
                    assertThat(r.value("step." + name)).as(name + "\n" + r)
                            .isEqualTo("blocked java.io.IOException " + EXPENSIVE);
                    assertThat(counts.get(path)).as(name + ": never sent").isNull();
                    assertThat(s.attr("agentid.decision")).isEqualTo("deny");
                    assertThat(s.attr("agentid.rule.id")).isEqualTo("no-expensive-calls");
                    assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo("o1");
                    continue;
                }
                assertThat(r.value("step." + name)).as(name + "\n" + r)
                        .isEqualTo("ok 200 " + b64(RESPONSE.getBytes(StandardCharsets.UTF_8)));
                assertThat(counts.get(path)).as(name).isEqualTo(1);
                assertThat(raw.get(path)).as(name + ": the bytes sent").isEqualTo(text.getBytes(cs));
                if (step[2].equals("nocharset")) {
                    assertThat(types.get(path)).as(name).isEqualTo("application/json");
                } else {
                    assertThat(Charset.forName(types.get(path).replaceAll(".*charset=", "").trim())).as(name)
                            .isEqualTo(cs);
                }
                assertThat(s.attr("agentid.decision")).isEqualTo("allow");
                assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo("gpt-4o-mini");
                assertThat(s.attr("gen_ai.usage.input_tokens")).as(s.toString()).isEqualTo("31");
            }
        }
    }

    private static SpanRecord span(OtlpSink sink, String path) {
        List<SpanRecord> spans = sink.spans(s -> s.attr("url.full").endsWith(path));
        assertThat(spans).as(path).hasSize(1);
        return spans.get(0);
    }

    /** {@code b} up to its first byte that is not ASCII (also for {@code ModelBodiesIT}). */
    static byte[] upToNonAscii(byte[] b) {
        int i = 0;
        while (i < b.length && b[i] >= 0) {
            i++;
        }
        return java.util.Arrays.copyOf(b, i);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
