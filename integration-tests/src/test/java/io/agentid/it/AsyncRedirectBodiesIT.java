package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentid.genai.ModelRequest;
import io.agentid.genai.ModelRequests;
import io.agentid.genai.PriceTable;
import io.agentid.genai.Pricing;
import io.agentid.it.apps.AsyncRedirectBodiesApp;
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
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 307 and 308 redirects of a model call through Apache HttpClient 5 async and HttpAsyncClient 4
 * ({@link AsyncRedirectBodiesApp}), where the client sends the POST and its JSON body again to the {@code Location}:
 * each run once without the agent and once with agentid.jar and redirect-bodies.yaml ({@code localhost} denied; a call
 * estimated above $0.50 denied), against {@code CountingHttpServer}, which counts and keeps what it receives. Every hop
 * must be decided on its own, on the host it connects to, and be its own span with its own URL; a model hop must be
 * priced from the body it sends again, exactly as the first request was; a denied hop must never arrive, the future
 * must fail with agentid's {@code IOException} and the {@code FutureCallback} be told the same; and the body the
 * server receives on an allowed hop must be byte for byte the one sent without the agent.
 */
class AsyncRedirectBodiesIT {
    private static final String LOCALHOST = "agentid: blocked by rule 'no-localhost': localhost is not for agents";
    private static final String EXPENSIVE = "agentid: blocked by rule 'no-expensive-calls': a single model call may not"
            + " cost more than $0.50";
    private static final List<String> ALLOWED = List.of("307", "308", "307_chunked");
    private static final List<String> DENIED_HOST = List.of("307_denied", "308_denied", "307_cross_auth");

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

    /** Every JVM × HttpClient 5 async, HttpAsyncClient 4. */
    static List<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (Jvms.Jvm jvm : Jvms.all()) {
            out.add(Arguments.of(jvm, "5"));
            out.add(Arguments.of(jvm, "4"));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}, client {1}")
    @MethodSource("cases")
    void decidesPricesAndResendsEachHop(Jvms.Jvm jvm, String client) throws Exception {
        String clientAttr = client.equals("5") ? "apache-httpclient-async" : "apache-httpclient-4-async";
        int port = server.httpPort();
        String bare = "bare" + jvm.label();
        String agent = "agent" + jvm.label();
        Forked.Result without = Forked.of(jvm, AsyncRedirectBodiesApp.class)
                .args(String.valueOf(port), client, bare).run().assertSucceeded();
        assertThat(without.value("done")).as(without.toString()).isEqualTo("true");
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result with = Forked.of(jvm, AsyncRedirectBodiesApp.class)
                    .agent("policy=" + Policies.path("redirect-bodies.yaml") + ",agent.id=redirect-agent")
                    .exportTo(sink)
                    .args(String.valueOf(port), client, agent).run().assertSucceeded();
            assertThat(with.value("done")).as(with.toString()).isEqualTo("true");
            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(spans.toString())
                    .allSatisfy(s -> assertThat(s.attr("agentid.http.client")).isEqualTo(clientAttr));

            for (String[] step : AsyncRedirectBodiesApp.STEPS) {
                String name = step[0];
                byte[] body = AsyncRedirectBodiesApp.body(step[4]).getBytes(StandardCharsets.UTF_8);
                String landing = AsyncRedirectBodiesApp.landingPath(agent, client, step);
                String first = AsyncRedirectBodiesApp.firstPath(agent, client, step);
                if (client.equals("5") && name.equals("307_cross_auth")) {
                    // HttpClient 5.6 does not follow a redirect to another authority when the request has an
                    // Authorization header: the caller gets the 307, with and without the agent; one request, one span
                    for (Forked.Result r : List.of(without, with)) {
                        assertThat(r.value("step." + name)).as(name + "\n" + r).isEqualTo("ok 307");
                        assertThat(r.value("cb." + name)).isEqualTo("completed 307");
                    }
                    assertArrivedOnce(AsyncRedirectBodiesApp.firstPath(bare, client, step), body);
                    assertArrivedOnce(first, body);
                    assertThat(server.count(AsyncRedirectBodiesApp.landingPath(bare, client, step))).isZero();
                    assertThat(server.count(landing)).isZero();
                    SpanRecord only = only(sink.spans(s -> s.attr("url.full").contains(first + "?")), name);
                    assertThat(only.attr("http.response.status_code")).isEqualTo("307");
                    assertPriced(only, "127.0.0.1", first, body);
                    assertThat(sink.spans(s -> s.attr("url.full").contains(landing))).isEmpty();
                    continue;
                }
                // without the agent every hop goes out, with the body again: what the denied steps would have sent
                assertThat(without.value("step." + name)).as(name + "\n" + without)
                        .isEqualTo(answer(AsyncRedirectBodiesApp.landingPath(bare, client, step), body.length));
                assertThat(without.value("cb." + name)).isEqualTo("completed 200");
                assertArrivedOnce(AsyncRedirectBodiesApp.firstPath(bare, client, step), body);
                // and with the same headers, credentials included (HttpClient 4 sends them to another host too)
                assertThat(assertArrivedOnce(AsyncRedirectBodiesApp.landingPath(bare, client, step), body)
                        .header("Authorization")).as(name)
                        .isEqualTo(step[5].equals("auth") ? AsyncRedirectBodiesApp.AUTHORIZATION : null);
                // with it, the first request went out with its body, once, in every step
                assertArrivedOnce(first, body);

                SpanRecord firstSpan = only(sink.spans(s -> s.attr("url.full").equals(
                        AsyncRedirectBodiesApp.firstUrl(port, agent, client, step))), name);
                SpanRecord hop = only(sink.spans(s -> s.attr("url.full")
                        .equals(AsyncRedirectBodiesApp.landingUrl(port, agent, client, step))), name);
                assertThat(firstSpan.attr("agentid.decision")).as(name).isEqualTo("allow");
                assertThat(firstSpan.attr("http.response.status_code")).as(name).isEqualTo(step[1]);
                assertThat(firstSpan.attr("http.request.method")).isEqualTo("POST");
                assertThat(hop.attr("http.request.method")).isEqualTo("POST");
                assertThat(hop.attr("http.request.resend_count")).as(name).isEqualTo("1");
                assertThat(hop.traceId()).as(name).isEqualTo(firstSpan.traceId());
                assertThat(hop.attr("server.address")).as(name)
                        .isEqualTo(step[2].equals("local") ? "localhost" : "127.0.0.1");
                assertThat(hop.attr("server.port")).isEqualTo(String.valueOf(port));
                // the entity's length, when the client knows it (not for the chunked StringAsyncEntityProducer)
                String size = client.equals("5") && name.endsWith("_chunked") ? null : String.valueOf(body.length);
                assertThat(firstSpan.attr("http.request.body.size")).as(name).isEqualTo(size);
                assertThat(hop.attr("http.request.body.size")).as(name).isEqualTo(size);
                // the hop is priced from the body it sends again
                assertPriced(hop, step[2].equals("local") ? "localhost" : "127.0.0.1", landing, body);
                if (step[3].equals("model")) {
                    assertPriced(firstSpan, "127.0.0.1", first, body);
                    assertThat(genAi(hop)).as(name).isEqualTo(genAi(firstSpan));
                } else {
                    assertThat(genAi(firstSpan)).as(name + ": a relay path is no model call").isEmpty();
                }

                if (ALLOWED.contains(name)) {
                    assertThat(with.value("step." + name)).as(name + "\n" + with)
                            .isEqualTo(answer(landing, body.length));
                    assertThat(with.value("cb." + name)).isEqualTo("completed 200");
                    // byte for byte what the server received without the agent
                    Received got = assertArrivedOnce(landing, body);
                    assertThat(got.body()).isEqualTo(only(server.received(
                            AsyncRedirectBodiesApp.landingPath(bare, client, step)), name).body());
                    assertThat(got.header("Transfer-Encoding")).as(name)
                            .isEqualTo(name.endsWith("_chunked") ? "chunked" : null);
                    assertThat(got.header("Authorization")).isEqualTo(AsyncRedirectBodiesApp.AUTHORIZATION);
                    assertThat(got.header("traceparent")).as(name)
                            .isEqualTo("00-" + hop.traceId() + "-" + hop.spanId() + "-01");
                    assertThat(only(server.received(first), name)
                            .header("traceparent")).isEqualTo("00-" + firstSpan.traceId() + "-" + firstSpan.spanId()
                            + "-01");
                    assertThat(hop.attr("agentid.decision")).isEqualTo("allow");
                    assertThat(hop.attr("http.response.status_code")).isEqualTo("200");
                    continue;
                }
                String message = DENIED_HOST.contains(name) ? LOCALHOST : EXPENSIVE;
                assertThat(with.value("step." + name)).as(name + "\n" + with)
                        .isEqualTo("blocked java.io.IOException " + message);
                assertThat(with.value("cb." + name)).as(name).isEqualTo("failed java.io.IOException " + message);
                assertThat(server.count(landing)).as(name + ": the denied hop never arrived").isZero();
                assertThat(hop.attr("agentid.decision")).as(name).isEqualTo("deny");
                assertThat(hop.attr("agentid.rule.id")).as(name)
                        .isEqualTo(DENIED_HOST.contains(name) ? "no-localhost" : "no-expensive-calls");
                assertThat(hop.events()).containsExactly("agentid.blocked");
                assertThat(hop.attr("http.response.status_code")).isNull();
            }
            if (client.equals("5")) {
                assertThat(spans).hasSize(2 * AsyncRedirectBodiesApp.STEPS.length - 1);
                return;
            }

            // HttpAsyncClient 4's default redirect strategy follows 307 and 308 for GET and HEAD only: the caller gets
            // the redirect, and nothing more is sent (with or without the agent)
            for (String[] step : AsyncRedirectBodiesApp.DEFAULT_4) {
                String name = step[0];
                byte[] body = AsyncRedirectBodiesApp.body(step[4]).getBytes(StandardCharsets.UTF_8);
                String first = AsyncRedirectBodiesApp.firstPath(agent, client, step);
                assertThat(with.value("step." + name)).as(name + "\n" + with).isEqualTo("ok " + step[1]);
                assertThat(without.value("step." + name)).as(name).isEqualTo("ok " + step[1]);
                assertThat(with.value("cb." + name)).isEqualTo("completed " + step[1]);
                assertArrivedOnce(first, body);
                assertThat(server.count(AsyncRedirectBodiesApp.landingPath(agent, client, step))).isZero();
                assertThat(server.count(AsyncRedirectBodiesApp.landingPath(bare, client, step))).isZero();
                SpanRecord only = only(sink.spans(s -> s.attr("url.full").contains(first + "?")), name);
                assertThat(only.attr("http.response.status_code")).isEqualTo(step[1]);
                assertThat(only.attr("http.request.resend_count")).isNull();
                assertPriced(only, "127.0.0.1", first, body);
            }
            assertThat(spans)
                    .hasSize(2 * AsyncRedirectBodiesApp.STEPS.length + AsyncRedirectBodiesApp.DEFAULT_4.length);
        }
    }

    /** The server's answer, as the application prints it. */
    private static String answer(String path, int bodyBytes) {
        return "ok 200 " + Base64.getEncoder().encodeToString(("ok " + path + " " + bodyBytes)
                .getBytes(StandardCharsets.UTF_8));
    }

    private static Received assertArrivedOnce(String path, byte[] body) {
        Received r = only(server.received(path), path);
        assertThat(r.method()).as(path).isEqualTo("POST");
        assertThat(new String(r.body(), StandardCharsets.UTF_8)).as(path)
                .isEqualTo(new String(body, StandardCharsets.UTF_8));
        assertThat(r.body()).as(path).isEqualTo(body);
        return r;
    }

    /** A span's model attributes: the GenAI ones and agentid's estimates. */
    private static Map<String, String> genAi(SpanRecord s) {
        Map<String, String> out = new TreeMap<>();
        s.attributes().forEach((k, v) -> {
            if (k.startsWith("gen_ai.") || k.startsWith("agentid.gen_ai.") || k.equals("agentid.cost.estimate_usd")) {
                out.put(k, String.valueOf(v));
            }
        });
        return out;
    }

    private static void assertPriced(SpanRecord s, String host, String path, byte[] body) {
        ModelRequest expected = ModelRequests.recognise("POST", host, path, body);
        assertThat(expected).as(path).isNotNull();
        assertThat(s.attr("gen_ai.provider.name")).as(s.toString()).isEqualTo("openai");
        assertThat(s.attr("gen_ai.operation.name")).isEqualTo("chat");
        assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo(expected.model());
        assertThat(s.attr("gen_ai.request.max_tokens")).isEqualTo(String.valueOf(expected.maxTokens()));
        assertThat(Long.parseLong(s.attr("agentid.gen_ai.input_tokens_estimate"))).isPositive()
                .isEqualTo(expected.inputTokens());
        assertThat(Double.parseDouble(s.attr("agentid.cost.estimate_usd"))).as(s.toString())
                .isCloseTo(Pricing.estimate(expected, PriceTable.shipped()).usd(), within(1e-12));
    }

    private static <T> T only(List<T> items, String what) {
        assertThat(items).as(what).hasSize(1);
        return items.get(0);
    }
}
