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
import io.agentid.it.apps.ApacheAsyncModelApp;
import io.agentid.it.apps.ApacheModelApp;
import io.agentid.it.apps.ChunkedModelApp;
import io.agentid.it.apps.ModelBodiesApp;
import io.agentid.it.apps.OkHttpModelApp;
import io.agentid.it.support.CutShortAnswers;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Model calls through OkHttp 4 and 5, Apache HttpClient 5 and 4 classic, HttpClient 5 async and HttpAsyncClient 4
 * ({@link ApacheAsyncModelApp}), in forked JVMs with agentid.jar and
 * model-calls.yaml (deny a call estimated above $0.50; deny models other than gpt-4o-mini and o1), against a scripted
 * OpenAI-compatible server on loopback ({@link ModelBodiesApp} names the steps). Proves that agentid reads a
 * replayable request body before it is sent: the cheap call is priced (model, estimated input tokens, the estimate
 * genai's own {@link Pricing} gives) and goes out with its body intact, the expensive one is denied by
 * {@code cost_usd} and never reaches the server; that the usage and actual cost of a JSON response (plain, and
 * gzipped where the client decodes above agentid's hook) are recorded while the application reads exactly the bytes
 * the server sent; and what is not covered: a one-shot or non-repeatable body is decided on its path only (the
 * expensive model goes out, cost unknown), and a server-sent-events stream's usage is not read. (HttpClient 4 decodes
 * gzip below agentid's hook, so its gzipped answer is read as one of unknown length, decoded.)
 *
 * <p>{@link #readsChunkedAnswersAhead} does the same for answers without a {@code Content-Length}
 * ({@code Transfer-Encoding: chunked}), through OkHttp 4 and 5, HttpClient 5 and 4 and HttpURLConnection, each run
 * once with the agent and once without: the usage of a plain, a gzipped and an exactly-1-MiB chunked JSON answer is
 * recorded, one byte more is not; every step's outcome (the bytes' length and digest, or the failure the
 * application caught and what it had read before) is the same with and without the agent, and is what the server
 * sent; a stream and a request that is no model call are not read ahead (their servers hold the body back until the
 * application, having got the response, says so). Through HttpClient 5 async ({@code SimpleHttpRequest},
 * {@code SimpleResponseConsumer}) and HttpAsyncClient 4 (its default {@code BasicAsyncResponseConsumer}), whose
 * futures complete with the whole body: the usage of a plain and an exactly-1-MiB chunked JSON answer is recorded, one
 * byte more and a stream's are not, and the application reads the same bytes with and without the agent.
 *
 * <p>Edge cases: {@link #pricesAsyncTextInItsCharset} (HttpClient 5 async text bodies in Latin-1 and UTF-16 are priced
 * as the UTF-8 one and sent unchanged), {@link #readsGzipThatHttpClient4LeavesEncoded} (HttpClient 4 with content
 * compression disabled: the application's gzip bytes, chunked and with a length, and their usage) and
 * {@link #okHttpReadTimeoutWhileReadingAhead} (a chunked answer that stalls past OkHttp's read timeout: the same
 * exception, from the body read, with and without the agent).
 */
class ModelBodiesIT {
    static final String RESPONSE = ModelCallsIT.RESPONSE;
    static final String STREAM = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"delta\":{\"content\":\"2, 3, 5.\"}}]}\n\n"
            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12,\"total_tokens\":43}}\n\n"
            + "data: [DONE]\n\n";
    private static final String EXPENSIVE = "agentid: blocked by rule 'no-expensive-calls': a single model call may not"
            + " cost more than $0.50";
    private static final String DISALLOWED = "agentid: blocked by rule 'small-models-only': agents use small models";

    private static HttpServer server;
    private static final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private static final Map<String, String> bodies = new ConcurrentHashMap<>();
    private static final Map<String, Boolean> gzipped = new ConcurrentHashMap<>();
    /** The bytes each request to {@link #server} sent, as they came. */
    private static final Map<String, byte[]> raw = new ConcurrentHashMap<>();

    /** The chunked server ({@link #chunkedAnswer}) and the one that breaks its answers ({@link #breakAnswers}). */
    private static HttpServer chunked;
    private static ServerSocket broken;
    private static final Map<String, CountDownLatch> signals = new ConcurrentHashMap<>();
    /** Per held step: whether the application's signal came before the server gave up waiting for it. */
    private static final Map<String, Boolean> held = new ConcurrentHashMap<>();
    /** How long a held answer waits for the application's signal: only a failing run waits this long. */
    private static final long HOLD_SECONDS = 20;
    /**
     * Per stalled step ({@code *stalled*}: the breaking server sends what it sends a broken one, then nothing): whether
     * the client closed the connection before the server gave up waiting ({@link #HOLD_SECONDS}).
     */
    private static final Map<String, Boolean> stalled = new ConcurrentHashMap<>();
    /** What the breaking server sends of {@link ChunkedModelApp#RESPONSE}: a whole chunk, then part of the next. */
    private static final int BROKEN_CHUNK = 100;
    private static final int BROKEN_PART = 10;

    @BeforeAll
    static void startServer() throws IOException {
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ModelBodiesIT::answer);
        server.start();
        chunked = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        chunked.createContext("/", ModelBodiesIT::chunkedAnswer);
        chunked.setExecutor(Executors.newCachedThreadPool()); // a held answer waits for another request
        chunked.start();
        broken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(ModelBodiesIT::breakAnswers, "broken-server");
        t.setDaemon(true);
        t.start();
    }

    /**
     * Answers with a length of 0, so {@code com.sun.net.httpserver} sends {@code Transfer-Encoding: chunked}, the
     * body in several chunks; gzipped for {@code *_gzip} when asked; {@code *_held}: a first part, then the rest
     * once {@code /signal/<name>} came. Records each request's count and the bytes it sent.
     */
    private static void chunkedAnswer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            bodies.put(path, new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            counts.merge(path, 1, Integer::sum);
            if (path.startsWith("/signal/")) {
                signal(path.substring("/signal/".length())).countDown();
                exchange.sendResponseHeaders(200, 2);
                exchange.getResponseBody().write("ok".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            String name = path.substring(1, path.indexOf('/', 1));
            String step = name.substring(name.indexOf('_') + 1);
            byte[] answer = ChunkedModelApp.answer(step);
            exchange.getResponseHeaders().add("Content-Type", step.startsWith("stream")
                    ? "text/event-stream" : "application/json");
            String accepts = exchange.getRequestHeaders().getFirst("Accept-Encoding");
            if (step.contains("gzip") && accepts != null && accepts.contains("gzip")) {
                answer = gzip(answer);
                exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                gzipped.put(path, true);
            }
            // no length: chunked; {@code sized_*}: a Content-Length
            exchange.sendResponseHeaders(200, step.startsWith("sized") ? answer.length : 0);
            OutputStream out = exchange.getResponseBody();
            int piece = answer.length > 100_000 ? 64 * 1024 : 40;
            for (int i = 0; i < answer.length; i += piece) {
                out.write(answer, i, Math.min(piece, answer.length - i));
                out.flush(); // one chunk each
                if (i == 0 && step.endsWith("_held")) {
                    try {
                        held.put(name, signal(name).await(HOLD_SECONDS, TimeUnit.SECONDS));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
            }
            out.close();
        }
    }

    private static CountDownLatch signal(String name) {
        return signals.computeIfAbsent(name, k -> new CountDownLatch(1));
    }

    /**
     * Reads each request, answers 200 chunked JSON with one whole chunk of {@link #BROKEN_CHUNK} bytes and
     * {@link #BROKEN_PART} bytes of a longer one, then closes the connection; for a {@code *stalled*} path, first
     * waits (sending nothing) until the client closes it, at most {@link #HOLD_SECONDS}.
     */
    private static void breakAnswers() {
        byte[] answer = ChunkedModelApp.RESPONSE.getBytes(StandardCharsets.UTF_8);
        while (!broken.isClosed()) {
            try (Socket s = broken.accept()) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                String path = null;
                long length = 0;
                for (String line; (line = CutShortAnswers.line(in)) != null && !line.isEmpty(); ) {
                    if (path == null) {
                        path = line.split(" ")[1];
                    } else if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                bodies.put(path, new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
                counts.merge(path, 1, Integer::sum);
                CutShortAnswers.writeCutShort(s.getOutputStream(), answer, BROKEN_CHUNK, BROKEN_PART);
                if (path.contains("stalled")) {
                    stalled.put(path, CutShortAnswers.awaitClose(s, in, HOLD_SECONDS));
                }
            } catch (IOException e) {
                // closed at the end, or a client that went away
            }
        }
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream z = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(z)) {
            out.write(b);
        }
        return z.toByteArray();
    }

    private static void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getPath();
            byte[] sent = exchange.getRequestBody().readAllBytes();
            raw.put(path, sent);
            bodies.put(path, new String(sent, StandardCharsets.UTF_8));
            counts.merge(path, 1, Integer::sum);
            byte[] answer;
            if (path.contains("_stream/")) {
                answer = STREAM.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            } else {
                answer = RESPONSE.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                String accepts = exchange.getRequestHeaders().getFirst("Accept-Encoding");
                if (path.contains("_gzip_") && accepts != null && accepts.contains("gzip")) {
                    ByteArrayOutputStream z = new ByteArrayOutputStream();
                    try (GZIPOutputStream out = new GZIPOutputStream(z)) {
                        out.write(answer);
                    }
                    answer = z.toByteArray();
                    exchange.getResponseHeaders().add("Content-Encoding", "gzip");
                    gzipped.put(path, true);
                }
            }
            exchange.sendResponseHeaders(200, answer.length); // a Content-Length
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.stop(0);
        }
        if (chunked != null) {
            chunked.stop(0);
        }
        if (broken != null) {
            broken.close();
        }
    }

    /** Every JVM × OkHttp 4, OkHttp 5, HttpClient 5, HttpClient 4, HttpClient 5 async, HttpAsyncClient 4. */
    static List<Arguments> cases() {
        return Jvms.withEach("okhttp4", "okhttp5", "apache5", "apache4", "apache5async", "apache4async");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("cases")
    void pricesBodiesAndRecordsUsage(Jvms.Jvm jvm, String client) throws Exception {
        boolean ok = client.startsWith("okhttp");
        boolean async = client.endsWith("async");
        String version = ok ? client.substring(6) : client.substring(6, 7);
        String prefix = ok ? "ok_" : "ap" + version + (async ? "a_" : "_");
        String clientAttr = ok ? "okhttp" : "apache-httpclient" + (version.equals("4") ? "-4" : "")
                + (async ? "-async" : "");
        counts.clear();
        bodies.clear();
        gzipped.clear();
        try (OtlpSink sink = new OtlpSink()) {
            Forked f = Forked.of(jvm, ok ? OkHttpModelApp.class : async ? ApacheAsyncModelApp.class
                    : ApacheModelApp.class)
                    .agent("policy=" + Policies.path("model-calls.yaml") + ",agent.id=model-agent")
                    .exportTo(sink);
            if (ok) {
                f.classPath(okHttpClassPath(client.substring(6))).args(String.valueOf(server.getAddress().getPort()));
            } else {
                f.args(String.valueOf(server.getAddress().getPort()), version);
            }
            Forked.Result r = f.run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");

            // the calls that went out, once each, with the body the application gave, and the application read
            // exactly what the server sent (decoded, for gzip)
            for (String step : List.of("cheap", "async_cheap", "gzip_cheap", "stream", "oneshot")) {
                String name = prefix + step;
                String path = ModelBodiesApp.path(name);
                String sent = step.equals("stream") ? STREAM : RESPONSE;
                assertThat(r.value("step." + name)).as(name + "\n" + r)
                        .isEqualTo("ok 200 " + b64(sent.getBytes(StandardCharsets.UTF_8)));
                assertThat(counts.get(path)).as(name).isEqualTo(1);
                assertThat(bodies.get(path)).as(name).isEqualTo(body(step));
            }
            assertThat(gzipped.get(ModelBodiesApp.path(prefix + "gzip_cheap"))).as("the answer was gzipped").isTrue();

            // the expensive call and the disallowed model never left
            assertThat(r.value("step." + prefix + "expensive")).as(r.toString())
                    .isEqualTo("blocked java.io.IOException " + EXPENSIVE);
            assertThat(r.value("step." + prefix + "disallowed")).as(r.toString())
                    .isEqualTo("blocked java.io.IOException " + DISALLOWED);
            assertThat(counts.get(ModelBodiesApp.path(prefix + "expensive"))).isNull();
            assertThat(counts.get(ModelBodiesApp.path(prefix + "disallowed"))).isNull();

            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(spans.toString()).hasSize(ModelBodiesApp.STEPS.length)
                    .allSatisfy(s -> assertThat(s.attr("agentid.http.client")).isEqualTo(clientAttr));

            // priced before it was sent, and its usage read from the JSON answer
            // (HttpClient 4 decodes gzip below agentid's hook: read as an answer of unknown length, decoded)
            for (String step : List.of("cheap", "async_cheap", "gzip_cheap")) {
                SpanRecord s = span(sink, prefix + step);
                assertPriced(s, prefix + step, "gpt-4o-mini", 50);
                assertThat(s.attr("agentid.decision")).isEqualTo("allow");
                assertUsage(s);
            }
            SpanRecord expensive = span(sink, prefix + "expensive");
            assertThat(expensive.attr("agentid.decision")).isEqualTo("deny");
            assertThat(expensive.attr("agentid.rule.id")).isEqualTo("no-expensive-calls");
            assertPriced(expensive, prefix + "expensive", "o1", 100000);
            assertThat(Double.parseDouble(expensive.attr("agentid.cost.estimate_usd"))).isGreaterThan(0.50);
            SpanRecord disallowed = span(sink, prefix + "disallowed");
            assertThat(disallowed.attr("agentid.rule.id")).isEqualTo("small-models-only");
            assertThat(disallowed.attr("gen_ai.request.model")).isEqualTo("gpt-4o");

            // a stream is priced, but its usage is not read (agentid never waits on a stream)
            SpanRecord stream = span(sink, prefix + "stream");
            assertPriced(stream, prefix + "stream", "gpt-4o-mini", 50);
            assertThat(stream.attr("gen_ai.request.stream")).isEqualTo("true");
            assertThat(stream.attr("gen_ai.usage.input_tokens")).as(stream.toString()).isNull();
            // a body agentid may not read first: decided on its path only, so the expensive model went out
            SpanRecord oneShot = span(sink, prefix + "oneshot");
            assertThat(oneShot.attr("agentid.decision")).isEqualTo("allow");
            assertThat(oneShot.attr("gen_ai.operation.name")).isEqualTo("chat");
            assertThat(oneShot.attr("gen_ai.request.model")).isNull();
            assertThat(oneShot.attr("agentid.cost.estimate_usd")).isNull();
        }
    }

    /**
     * Every JVM × OkHttp 4, OkHttp 5, HttpClient 5, HttpClient 4, HttpURLConnection, HttpClient 5 async,
     * HttpAsyncClient 4.
     */
    static List<Arguments> chunkedCases() {
        return Jvms.withEach("okhttp4", "okhttp5", "apache5", "apache4", "url", "apache5async", "apache4async");
    }

    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("chunkedCases")
    void readsChunkedAnswersAhead(Jvms.Jvm jvm, String client) throws Exception {
        String kind = client.startsWith("okhttp") ? "okhttp" : client;
        String prefix = ChunkedModelApp.prefix(kind);
        String[][] steps = ChunkedModelApp.steps(kind);
        List<String> names = new ArrayList<>();
        for (String[] s : steps) {
            names.add(s[0]);
        }
        // the async clients complete their futures with the whole body: no held, gzipped or broken steps
        boolean async = client.endsWith("async");
        assertThat(names).isEqualTo(async ? List.of("chunked", "chunked_cap", "chunked_big", "stream")
                : List.of("chunked", "chunked_gzip", "chunked_cap", "chunked_big", "stream_held", "other_held",
                        "broken"));
        String clientAttr = client.startsWith("okhttp") ? "okhttp" : client.equals("apache5") ? "apache-httpclient"
                : client.equals("apache4") ? "apache-httpclient-4" : client.equals("apache5async")
                ? "apache-httpclient-async" : client.equals("apache4async") ? "apache-httpclient-4-async"
                : "java.net.HttpURLConnection";
        Forked.Result bare = chunkedRun(jvm, client, null);
        if (!async) {
            assertHeld(prefix, bare);
        }
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = chunkedRun(jvm, client, sink);
            if (!async) {
                assertHeld(prefix, r);
            }

            // the application read the same with and without the agent, and that is what the server sent
            for (String[] s : steps) {
                String name = prefix + s[0];
                assertThat(r.value("step." + name)).as(name + " with the agent; without it:\n" + bare)
                        .isEqualTo(bare.value("step." + name));
                assertThat(counts.get(ChunkedModelApp.path(name))).as(name).isEqualTo(1);
                assertThat(bodies.get(ChunkedModelApp.path(name))).as(name).isEqualTo(ChunkedModelApp.body(s[0]));
                if (s[0].equals("broken")) {
                    continue;
                }
                byte[] sent = ChunkedModelApp.answer(s[0]);
                if (s[0].contains("gzip") && client.equals("url")) {
                    sent = gzip(sent); // HttpURLConnection does not decode
                }
                assertThat(r.value("step." + name)).as(name)
                        .isEqualTo("ok 200 " + sent.length + " " + ChunkedModelApp.sha256(sent, sent.length));
            }
            List<SpanRecord> spans = sink.spans(s -> !s.attr("url.full").contains("/signal/"));
            assertThat(spans).as(spans.toString()).hasSize(steps.length)
                    .allSatisfy(s -> assertThat(s.attr("agentid.http.client")).isEqualTo(clientAttr))
                    .allSatisfy(s -> assertThat(s.attr("http.response.status_code")).isEqualTo("200"));
            if (async) {
                // read whole within 1 MiB: usage; one byte more, or a stream: none
                for (String step : List.of("chunked", "chunked_cap")) {
                    SpanRecord s = chunkedSpan(sink, prefix + step);
                    assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo("gpt-4o-mini");
                    assertUsage(s);
                }
                for (String step : List.of("chunked_big", "stream")) {
                    SpanRecord s = chunkedSpan(sink, prefix + step);
                    assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo("gpt-4o-mini");
                    assertThat(s.attr("gen_ai.usage.input_tokens")).as(s.toString()).isNull();
                    assertThat(s.attr("gen_ai.usage.output_tokens")).as(s.toString()).isNull();
                    assertThat(s.attr("agentid.cost.actual_usd")).as(s.toString()).isNull();
                }
                assertThat(chunkedSpan(sink, prefix + "stream").attr("gen_ai.request.stream")).isEqualTo("true");
                return;
            }
            assertThat(gzipped.get(ChunkedModelApp.path(prefix + "chunked_gzip"))).as("the answer was gzipped")
                    .isTrue();
            // a broken answer: the bytes that arrived, then the client's own failure
            String brokenStep = r.value("step." + prefix + "broken");
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("failed 200 (\\S+) .* after (\\d+) (\\S+)")
                    .matcher(brokenStep);
            assertThat(m.matches()).as(brokenStep).isTrue();
            assertThat(IOException.class).as(brokenStep)
                    .isAssignableFrom(Class.forName(m.group(1), false, ModelBodiesIT.class.getClassLoader()));
            int read = Integer.parseInt(m.group(2));
            byte[] response = ChunkedModelApp.RESPONSE.getBytes(StandardCharsets.UTF_8);
            assertThat(read).as(brokenStep).isBetween(BROKEN_CHUNK, BROKEN_CHUNK + BROKEN_PART);
            assertThat(m.group(3)).isEqualTo(ChunkedModelApp.sha256(response, read));

            for (String step : List.of("chunked", "chunked_gzip", "chunked_cap")) {
                SpanRecord s = chunkedSpan(sink, prefix + step);
                assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo("gpt-4o-mini");
                assertUsage(s);
            }
            // not read ahead (longer than the cap, a stream, not a model call) or not complete (broken)
            for (String step : List.of("chunked_big", "stream_held", "other_held", "broken")) {
                SpanRecord s = chunkedSpan(sink, prefix + step);
                assertThat(s.attr("gen_ai.usage.input_tokens")).as(s.toString()).isNull();
                assertThat(s.attr("agentid.cost.actual_usd")).as(s.toString()).isNull();
            }
            assertThat(chunkedSpan(sink, prefix + "chunked_big").attr("gen_ai.request.model")).isEqualTo("gpt-4o-mini");
            assertThat(chunkedSpan(sink, prefix + "stream_held").attr("gen_ai.request.stream")).isEqualTo("true");
            assertThat(chunkedSpan(sink, prefix + "other_held").attr("gen_ai.operation.name")).isNull();
        }
    }

    /** Every JVM. */
    static List<Arguments> jvms() {
        List<Arguments> out = new ArrayList<>();
        for (Jvms.Jvm jvm : Jvms.all()) {
            out.add(Arguments.of(jvm));
        }
        return out;
    }

    /**
     * HttpClient 5 async posting text with non-ASCII characters in Latin-1, UTF-16 and UTF-8, from a
     * {@code SimpleHttpRequest}'s text body ({@code StringAsyncEntityProducer}) and from
     * {@code AsyncEntityProducers.create(String, ContentType)} ({@code BasicAsyncEntityProducer}): each is priced
     * from its text, the same as the UTF-8 request, and the server gets the bytes of the request's charset.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void pricesAsyncTextInItsCharset(Jvms.Jvm jvm) throws Exception {
        counts.clear();
        raw.clear();
        String text = ApacheAsyncModelApp.charsetBody();
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(jvm, ApacheAsyncModelApp.class)
                    .agent("policy=" + Policies.path("model-calls.yaml") + ",agent.id=model-agent").exportTo(sink)
                    .args(String.valueOf(server.getAddress().getPort()), "charsets").run().assertSucceeded();
            assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(spans.toString()).hasSize(ApacheAsyncModelApp.CHARSET_STEPS.length);
            ModelRequest expected = null;
            for (String[] step : ApacheAsyncModelApp.CHARSET_STEPS) {
                String name = "ap5c_" + step[0];
                String path = ModelBodiesApp.path(name);
                java.nio.charset.Charset cs = java.nio.charset.Charset.forName(step[1]);
                assertThat(r.value("step." + name)).as(name + "\n" + r)
                        .isEqualTo("ok 200 " + b64(RESPONSE.getBytes(StandardCharsets.UTF_8)));
                assertThat(counts.get(path)).as(name).isEqualTo(1);
                assertThat(raw.get(path)).as(name + ": the bytes sent").isEqualTo(text.getBytes(cs));
                expected = ModelRequests.recognise("POST", "127.0.0.1", path, text.getBytes(StandardCharsets.UTF_8));
                SpanRecord s = span(sink, name);
                assertThat(s.attr("agentid.decision")).isEqualTo("allow");
                assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo("gpt-4o-mini");
                assertThat(s.attr("gen_ai.request.max_tokens")).isEqualTo("50");
                assertThat(Long.parseLong(s.attr("agentid.gen_ai.input_tokens_estimate"))).as(s.toString())
                        .isEqualTo(expected.inputTokens());
                assertThat(Double.parseDouble(s.attr("agentid.cost.estimate_usd"))).as(s.toString())
                        .isCloseTo(Pricing.estimate(expected, PriceTable.shipped()).usd(), within(1e-12));
                assertUsage(s);
            }
            // what the check tells apart: the Latin-1 bytes up to the first that is not ASCII (what agentid read of
            // them when it read them as UTF-8) are priced from less text
            ModelRequest cutShort = ModelRequests.recognise("POST", "127.0.0.1", ModelBodiesApp.path("ap5c_x"),
                    RequestCharsetIT.upToNonAscii(text.getBytes(StandardCharsets.ISO_8859_1)));
            assertThat(cutShort.inputTokens()).isLessThan(expected.inputTokens());
        }
    }

    /**
     * HttpClient 4 classic with content compression disabled: the application asks for gzip itself and reads the
     * encoded bytes, chunked or with a {@code Content-Length}. The usage of the gzipped answers is recorded as for a
     * plain one, and the application reads the same bytes, from an entity that says the same of itself (length,
     * chunked, encoding, type), with and without the agent.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void readsGzipThatHttpClient4LeavesEncoded(Jvms.Jvm jvm) throws Exception {
        String prefix = ChunkedModelApp.prefix("apache4raw");
        Forked.Result bare = chunkedRun(jvm, "apache4raw", null);
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = chunkedRun(jvm, "apache4raw", sink);
            for (String[] s : ChunkedModelApp.RAW_STEPS) {
                String name = prefix + s[0];
                byte[] sent = ChunkedModelApp.answer(s[0]);
                if (s[0].contains("gzip")) {
                    sent = gzip(sent);
                    assertThat(gzipped.get(ChunkedModelApp.path(name))).as(name + ": the answer was gzipped").isTrue();
                }
                assertThat(r.value("step." + name)).as(name + " with the agent; without it:\n" + bare)
                        .isEqualTo(bare.value("step." + name))
                        .isEqualTo("ok 200 " + sent.length + " " + ChunkedModelApp.sha256(sent, sent.length));
                assertThat(r.value("entity." + name)).as(name).isEqualTo(bare.value("entity." + name))
                        .isEqualTo("length=" + (s[0].startsWith("sized") ? sent.length : -1) + " chunked="
                                + !s[0].startsWith("sized") + " encoding=" + (s[0].contains("gzip") ? "gzip" : null)
                                + " type=application/json");
                assertThat(counts.get(ChunkedModelApp.path(name))).as(name).isEqualTo(1);
                assertThat(bodies.get(ChunkedModelApp.path(name))).as(name).isEqualTo(ChunkedModelApp.body(s[0]));
            }
            List<SpanRecord> spans = sink.spans();
            assertThat(spans).as(spans.toString()).hasSize(ChunkedModelApp.RAW_STEPS.length)
                    .allSatisfy(s -> assertThat(s.attr("agentid.http.client")).isEqualTo("apache-httpclient-4"))
                    .allSatisfy(s -> assertThat(s.attr("http.response.status_code")).isEqualTo("200"));
            for (String[] s : ChunkedModelApp.RAW_STEPS) {
                SpanRecord span = chunkedSpan(sink, prefix + s[0]);
                assertThat(span.attr("gen_ai.request.model")).as(span.toString()).isEqualTo("gpt-4o-mini");
                assertUsage(span);
            }
        }
    }

    /** Every JVM × OkHttp 4, OkHttp 5. */
    static List<Arguments> okHttpCases() {
        return Jvms.withEach("okhttp4", "okhttp5");
    }

    /**
     * OkHttp with a read timeout of {@link ChunkedModelApp#READ_TIMEOUT_MS}, a model answer whose server sends the
     * headers and part of the chunked body, then stalls: without the agent {@code execute()} returns and the
     * application's read of the body fails with OkHttp's {@code SocketTimeoutException} after the timeout; with it,
     * {@code execute()} returns after the timeout (the read ahead waited for the body) and the application's read
     * fails at once, after the same bytes, with the same exception. Either way the client closes the connection and
     * no thread is left reading it.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("okHttpCases")
    void okHttpReadTimeoutWhileReadingAhead(Jvms.Jvm jvm, String client) throws Exception {
        String name = ChunkedModelApp.prefix("okhttp-timeout") + "stalled";
        String path = ChunkedModelApp.path(name);
        long timeout = ChunkedModelApp.READ_TIMEOUT_MS;
        byte[] response = ChunkedModelApp.RESPONSE.getBytes(StandardCharsets.UTF_8);
        // OkHttp's message: "timeout" when its watchdog fires first (closing the socket), the socket's own
        // "Read timed out" when SO_TIMEOUT, set to the same timeout, does
        String failed = "failed 200 java\\.net\\.SocketTimeoutException (timeout|Read timed out) after "
                + (BROKEN_CHUNK + BROKEN_PART) + " " + ChunkedModelApp.sha256(response, BROKEN_CHUNK + BROKEN_PART);
        Forked.Result bare = chunkedRun(jvm, client, "okhttp-timeout", null);
        assertThat(bare.value("step." + name)).as(bare.toString()).matches(failed);
        assertThat(stalled.get(path)).as("the client closed the connection").isTrue();
        long[] bareTimes = times(bare, name);
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = chunkedRun(jvm, client, "okhttp-timeout", sink);
            assertThat(r.value("step." + name)).as(r.toString()).matches(failed);
            assertThat(stalled.get(path)).as("the client closed the connection").isTrue();
            long[] times = times(r, name);
            // the read ahead took the timeout inside execute(); the application's read then failed at once
            assertThat(times[1]).as(r.toString()).isLessThan(timeout);
            assertThat(times[0] + times[1]).as("with the agent: " + r + "\nwithout: " + bare)
                    .isLessThanOrEqualTo(bareTimes[0] + bareTimes[1] + timeout + 2000);
            assertThat(r.value("reading." + name)).isEqualTo("0");
            assertThat(bare.value("reading." + name)).isEqualTo("0");
            SpanRecord s = chunkedSpan(sink, name);
            assertThat(s.attr("http.response.status_code")).as(s.toString()).isEqualTo("200");
            assertThat(s.attr("gen_ai.request.model")).isEqualTo("gpt-4o-mini");
            assertThat(s.attr("gen_ai.usage.input_tokens")).as(s.toString()).isNull();
            assertThat(s.attr("agentid.cost.actual_usd")).isNull();
        }
    }

    /** A step's milliseconds until the client returned the response, and then until the body was read or failed. */
    private static long[] times(Forked.Result r, String name) {
        String[] t = r.value("time." + name).split(" ");
        return new long[] {Long.parseLong(t[0]), Long.parseLong(t[1])};
    }

    private Forked.Result chunkedRun(Jvms.Jvm jvm, String client, OtlpSink sink) throws Exception {
        return chunkedRun(jvm, client, client.startsWith("okhttp") ? "okhttp" : client, sink);
    }

    /** {@link ChunkedModelApp} running {@code kind}'s steps with {@code client}'s class path (OkHttp's version). */
    private Forked.Result chunkedRun(Jvms.Jvm jvm, String client, String kind, OtlpSink sink) throws Exception {
        counts.clear();
        bodies.clear();
        gzipped.clear();
        signals.clear();
        held.clear();
        stalled.clear();
        Forked f = Forked.of(jvm, ChunkedModelApp.class).args(String.valueOf(chunked.getAddress().getPort()),
                String.valueOf(broken.getLocalPort()), kind);
        if (client.startsWith("okhttp")) {
            f.classPath(okHttpClassPath(client.substring(6)));
        }
        if (sink != null) {
            f.agent("policy=" + Policies.path("model-calls.yaml") + ",agent.id=model-agent").exportTo(sink);
        }
        Forked.Result r = f.run().assertSucceeded();
        assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
        return r;
    }

    /** The application got the response of a held step before its body was complete, and signalled. */
    private static void assertHeld(String prefix, Forked.Result r) {
        for (String step : List.of("stream_held", "other_held")) {
            assertThat(held.get(prefix + step)).as(step + ": the client returned before the body ended\n" + r)
                    .isTrue();
        }
    }

    private static SpanRecord chunkedSpan(OtlpSink sink, String name) {
        List<SpanRecord> spans = sink.spans(s -> s.attr("url.full").endsWith(ChunkedModelApp.path(name)));
        assertThat(spans).as(name).hasSize(1);
        return spans.get(0);
    }

    private static void assertPriced(SpanRecord s, String name, String model, int maxTokens) {
        String step = name.substring(name.indexOf('_') + 1);
        ModelRequest expected = ModelRequests.recognise("POST", "127.0.0.1", ModelBodiesApp.path(name),
                body(step).getBytes(StandardCharsets.UTF_8));
        assertThat(s.attr("gen_ai.provider.name")).as(s.toString()).isEqualTo("openai");
        assertThat(s.attr("gen_ai.request.model")).as(s.toString()).isEqualTo(model);
        assertThat(s.attr("gen_ai.request.max_tokens")).isEqualTo(String.valueOf(maxTokens));
        assertThat(Long.parseLong(s.attr("agentid.gen_ai.input_tokens_estimate"))).isPositive()
                .isEqualTo(expected.inputTokens());
        assertThat(Double.parseDouble(s.attr("agentid.cost.estimate_usd"))).as(s.toString())
                .isCloseTo(Pricing.estimate(expected, PriceTable.shipped()).usd(), within(1e-12));
    }

    private static void assertUsage(SpanRecord s) {
        Usage usage = ModelResponses.usage(ModelRequest.Api.OPENAI_CHAT_COMPLETIONS,
                RESPONSE.getBytes(StandardCharsets.UTF_8));
        assertThat(s.attr("gen_ai.usage.input_tokens")).as(s.toString()).isEqualTo("31");
        assertThat(s.attr("gen_ai.usage.output_tokens")).isEqualTo("12");
        assertThat(Double.parseDouble(s.attr("agentid.cost.actual_usd")))
                .isCloseTo(Pricing.actual("gpt-4o-mini", usage, PriceTable.shipped()), within(1e-12));
    }

    private static String body(String step) {
        for (String[] s : ModelBodiesApp.STEPS) {
            if (s[0].equals(step)) {
                return ModelBodiesApp.body(s[0], s[1], Integer.parseInt(s[2]));
            }
        }
        throw new IllegalArgumentException(step);
    }

    private static SpanRecord span(OtlpSink sink, String name) {
        List<SpanRecord> spans = sink.spans(s -> s.attr("url.full").endsWith(ModelBodiesApp.path(name)));
        assertThat(spans).as(name).hasSize(1);
        return spans.get(0);
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }

    /** This module's test classes and the jars of one OkHttp version ({@code -Dagentid.it.okhttp}), nothing else. */
    static String okHttpClassPath(String version) throws Exception {
        String spec = System.getProperty("agentid.it.okhttp", "4:target/okhttp4,5:target/okhttp5");
        for (String part : spec.split(",")) {
            int colon = part.indexOf(':');
            if (part.substring(0, colon).trim().equals(version)) {
                Path dir = Path.of(part.substring(colon + 1).trim());
                assertThat(Files.isDirectory(dir)).as(dir + " (run the build: it copies the OkHttp jars)").isTrue();
                Path classes = Path.of(OkHttpModelApp.class.getProtectionDomain().getCodeSource().getLocation()
                        .toURI());
                return classes + File.pathSeparator + dir.toAbsolutePath() + File.separator + "*";
            }
        }
        throw new IllegalStateException("agentid.it.okhttp names no OkHttp " + version + ": " + spec);
    }
}
