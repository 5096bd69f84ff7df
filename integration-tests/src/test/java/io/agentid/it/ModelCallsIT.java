package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentid.genai.ModelRequest;
import io.agentid.genai.ModelRequests;
import io.agentid.genai.ModelResponses;
import io.agentid.genai.PriceTable;
import io.agentid.genai.Pricing;
import io.agentid.genai.Usage;
import io.agentid.it.apps.ModelApp;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model calls through both JDK clients in a forked JVM with agentid.jar and model-calls.yaml (deny a call estimated
 * above $0.50; deny models other than gpt-4o-mini and o1), against a scripted OpenAI-compatible server on loopback:
 * the cheap call goes out and its span carries the request's GenAI attributes, the estimate genai's own
 * {@link Pricing} gives for the same request, and the usage and actual cost of the response; the expensive call and
 * the disallowed model never reach the server; the application reads exactly what the server sent.
 */
class ModelCallsIT {
    /** What the server answers every chat completion with. */
    static final String RESPONSE = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"2, 3, 5. 1 has one divisor.\"},"
            + "\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12,\"total_tokens\":43}}";
    private static final String EXPENSIVE = "agentid: blocked by rule 'no-expensive-calls': a single model call may not"
            + " cost more than $0.50";
    private static final String DISALLOWED = "agentid: blocked by rule 'small-models-only': agents use small models";

    private static HttpServer server;
    private static final Map<String, Integer> counts = new ConcurrentHashMap<>();

    @BeforeAll
    static void startServer() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ModelCallsIT::answer);
        server.start();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            counts.merge(exchange.getRequestURI().getPath(), 1, Integer::sum);
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

    static List<Jvms.Jvm> jvms() {
        return Jvms.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void decidesAndPricesModelCalls(Jvms.Jvm jvm) throws Exception {
        counts.clear();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(jvm, ModelApp.class)
                    .agent("policy=" + Policies.path("model-calls.yaml") + ",agent.id=model-agent")
                    .exportTo(sink)
                    .args(String.valueOf(server.getAddress().getPort()))
                    .run()
                    .assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            String sent = "ok 200 " + Base64.getEncoder().encodeToString(RESPONSE.getBytes(StandardCharsets.UTF_8));

            for (String client : List.of("jdk", "url", "urlbare")) {
                // the cheap call went out once, and the application read exactly what the server sent
                assertThat(r.value("step." + client + "_cheap")).as(r.toString()).isEqualTo(sent);
                assertThat(counts.get(ModelApp.path(client + "_cheap"))).as(client).isEqualTo(1);
                // the expensive call and the disallowed model never left
                assertThat(r.value("step." + client + "_expensive")).as(r.toString())
                        .isEqualTo("blocked java.io.IOException " + EXPENSIVE);
                assertThat(r.value("step." + client + "_disallowed")).as(r.toString())
                        .isEqualTo("blocked java.io.IOException " + DISALLOWED);
                assertThat(counts.get(ModelApp.path(client + "_expensive"))).isNull();
                assertThat(counts.get(ModelApp.path(client + "_disallowed"))).isNull();

                SpanRecord cheap = only(sink.spans(s -> s.attr("url.full").endsWith(ModelApp.path(client + "_cheap"))));
                ModelRequest expected = ModelRequests.recognise("POST", "127.0.0.1", ModelApp.path(client + "_cheap"),
                        ModelApp.body("gpt-4o-mini", 50).getBytes(StandardCharsets.UTF_8));
                double estimate = Pricing.estimate(expected, PriceTable.shipped()).usd();
                assertThat(cheap.attr("agentid.decision")).isEqualTo("allow");
                assertThat(cheap.attr("gen_ai.provider.name")).isEqualTo("openai");
                assertThat(cheap.attr("gen_ai.system")).isEqualTo("openai");
                assertThat(cheap.attr("gen_ai.operation.name")).isEqualTo("chat");
                assertThat(cheap.attr("gen_ai.request.model")).isEqualTo("gpt-4o-mini");
                assertThat(cheap.attr("gen_ai.request.max_tokens")).isEqualTo("50");
                assertThat(cheap.attr("agentid.gen_ai.input_tokens_estimate"))
                        .isEqualTo(String.valueOf(expected.inputTokens()));
                assertThat(Double.parseDouble(cheap.attr("agentid.cost.estimate_usd"))).as(cheap.toString())
                        .isCloseTo(estimate, within(1e-12));
                // the usage of the answer the application read (HttpURLConnection: read ahead, the same bytes given
                // to the application, asserted above)
                Usage usage = ModelResponses.usage(expected.api(), RESPONSE.getBytes(StandardCharsets.UTF_8));
                assertThat(cheap.attr("gen_ai.usage.input_tokens")).isEqualTo("31");
                assertThat(cheap.attr("gen_ai.usage.output_tokens")).isEqualTo("12");
                assertThat(Double.parseDouble(cheap.attr("agentid.cost.actual_usd")))
                        .isCloseTo(Pricing.actual("gpt-4o-mini", usage, PriceTable.shipped()), within(1e-12));

                SpanRecord expensive = only(sink.spans(
                        s -> s.attr("url.full").endsWith(ModelApp.path(client + "_expensive"))));
                assertThat(expensive.attr("agentid.decision")).isEqualTo("deny");
                assertThat(expensive.attr("agentid.rule.id")).isEqualTo("no-expensive-calls");
                assertThat(expensive.attr("gen_ai.request.model")).isEqualTo("o1");
                assertThat(Double.parseDouble(expensive.attr("agentid.cost.estimate_usd"))).isGreaterThan(0.50);
                SpanRecord disallowed = only(sink.spans(
                        s -> s.attr("url.full").endsWith(ModelApp.path(client + "_disallowed"))));
                assertThat(disallowed.attr("agentid.rule.id")).isEqualTo("small-models-only");
                assertThat(disallowed.attr("gen_ai.request.model")).isEqualTo("gpt-4o");
            }
            // one span per request: a buffered HttpURLConnection model call decided twice is still one span
            assertThat(sink.spans()).as(sink.spans().toString()).hasSize(9);
        }
    }

    private static SpanRecord only(List<SpanRecord> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }
}
