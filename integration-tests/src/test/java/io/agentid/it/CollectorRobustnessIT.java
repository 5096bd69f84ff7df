package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import io.agentid.it.support.CollectorProcess;
import io.agentid.it.support.Http;
import io.agentid.it.support.OtlpRequests;
import io.agentid.it.support.OtlpRequests.SpanSpec;
import io.grpc.CallOptions;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCalls;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One collector (with {@code --max-request-size 1MB}) is sent everything a broken, hostile or slow client could
 * send, over OTLP/HTTP, OTLP/gRPC and the review API: each is refused with the documented status and a reason,
 * and the collector keeps serving (the last test proves it still takes and answers valid requests).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CollectorRobustnessIT {
    private static final int MAX = 1 << 20;
    private static final String PROTOBUF = "application/x-protobuf";
    private static final String TRACE_EXPORT = "opentelemetry.proto.collector.trace.v1.TraceService/Export";
    /** A field 1 of length 127 with one byte after it: truncated, not an ExportTraceServiceRequest. */
    private static final byte[] GARBAGE = {0x0A, 0x7F, 0x01};
    private static Path dataDir;
    private static CollectorProcess collector;
    private static ManagedChannel channel;

    @BeforeAll
    static void startCollector() throws Exception {
        dataDir = Files.createTempDirectory("agentid-robustness");
        collector = CollectorProcess.start(dataDir, "--max-request-size", "1MB");
        channel = Grpc.newChannelBuilderForAddress("127.0.0.1", collector.grpcPort(), InsecureChannelCredentials.create())
                .build();
    }

    @AfterAll
    static void stopCollector() throws Exception {
        if (channel != null) {
            channel.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
        }
        if (collector != null) {
            collector.close();
        }
    }

    // ---- OTLP/HTTP

    /** A {@code google.rpc.Status} decoded by hand: {@code code} is field 1, {@code message} field 2. */
    record RpcStatus(int code, String message) {
        static RpcStatus parse(byte[] body) {
            try {
                CodedInputStream in = CodedInputStream.newInstance(body);
                int code = 0;
                String message = "";
                for (int t = in.readTag(); t != 0; t = in.readTag()) {
                    if (t == (1 << 3)) {
                        code = in.readInt32();
                    } else if (t == (2 << 3 | 2)) {
                        message = in.readStringRequireUtf8();
                    } else {
                        in.skipField(t);
                    }
                }
                return new RpcStatus(code, message);
            } catch (IOException e) {
                throw new AssertionError("body is not a google.rpc.Status: " + Arrays.toString(body), e);
            }
        }
    }

    private static String ctx(Http.Response r) {
        return r + "\n" + collector.describe();
    }

    @Test
    void garbageProtobufIs400WithAStatusSayingWhy() {
        Http.Response r = Http.post(collector.tracesUrl(), PROTOBUF, GARBAGE);
        assertThat(r.status()).as(ctx(r)).isEqualTo(400);
        assertThat(r.header("Content-Type")).as(ctx(r)).startsWith(PROTOBUF);
        RpcStatus s = RpcStatus.parse(r.body());
        assertThat(s.code()).as(ctx(r)).isEqualTo(Status.Code.INVALID_ARGUMENT.value());
        assertThat(s.message()).as(ctx(r)).contains("not a valid OTLP ExportTraceServiceRequest protobuf");
    }

    @Test
    void malformedJsonIs400WithAJsonStatus() {
        Http.Response r = Http.post(collector.tracesUrl(), "application/json",
                "{\"resourceSpans\": [ {\"scopeSpans\": ".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(ctx(r)).isEqualTo(400);
        assertThat(r.header("Content-Type")).as(ctx(r)).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.path("code").asInt()).as(ctx(r)).isEqualTo(3);
        assertThat(j.path("message").asText()).as(ctx(r)).contains("not valid JSON");
    }

    @ParameterizedTest
    @MethodSource("wrongShapes")
    void jsonOfTheWrongShapeIs400(String body, String why) {
        Http.Response r = Http.post(collector.tracesUrl(), "application/json; charset=utf-8",
                body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(ctx(r)).isEqualTo(400);
        JsonNode j = r.json();
        assertThat(j.path("code").asInt()).as(ctx(r)).isEqualTo(3);
        assertThat(j.path("message").asText()).as(ctx(r)).contains(why);
    }

    static Stream<Arguments> wrongShapes() {
        return Stream.of(
                Arguments.of("[1, 2, 3]", "must be a JSON object"),
                Arguments.of("\"resourceSpans\"", "must be a JSON object"),
                Arguments.of("{\"resourceSpans\": \"all of them\"}", "must be an array"),
                Arguments.of("{\"resourceSpans\": [{\"scopeSpans\": {\"spans\": []}}]}", "must be an array"));
    }

    @Test
    void declaredBodyOverTheLimitIs413BeforeTheBodyIsRead() throws IOException {
        // only the head: the collector must answer on the declared length alone
        try (Socket s = connect(collector.httpPort())) {
            write(s, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: " + (MAX + 1) + "\r\n\r\n");
            RawResponse r = RawResponse.read(s.getInputStream());
            assertThat(r.status()).as(r + "\n" + collector.describe()).isEqualTo(413);
            RpcStatus st = RpcStatus.parse(r.body());
            assertThat(st.code()).as(r.toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
            assertThat(st.message()).as(r.toString()).contains(String.valueOf(MAX));
        }
    }

    @Test
    void streamedBodyOverTheLimitIs413() {
        byte[] big = new byte[MAX + 1];
        // chunked (no Content-Length): the collector has to count what it reads
        Http.Response r = Http.send(HttpRequest.newBuilder(URI.create(collector.tracesUrl()))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big))));
        assertThat(r.status()).as(ctx(r)).isEqualTo(413);
        assertThat(r.json().path("code").asInt()).as(ctx(r)).isEqualTo(8);
        assertThat(r.json().path("message").asText()).as(ctx(r)).contains("over the limit");
    }

    @Test
    void gzipBombIs413() {
        byte[] bomb = Http.gzip(new byte[8 * MAX]);
        assertThat(bomb.length).isLessThan(64 * 1024);
        Http.Response r = Http.post(collector.tracesUrl(), PROTOBUF, bomb, "Content-Encoding", "gzip");
        assertThat(r.status()).as(ctx(r)).isEqualTo(413);
        RpcStatus s = RpcStatus.parse(r.body());
        assertThat(s.code()).as(ctx(r)).isEqualTo(Status.Code.RESOURCE_EXHAUSTED.value());
        assertThat(s.message()).as(ctx(r)).contains("decompressed");
    }

    @Test
    void bodyThatIsNotGzipAsSaidIs400() {
        Http.Response r = Http.post(collector.tracesUrl(), PROTOBUF, "plainly not gzip".getBytes(StandardCharsets.UTF_8),
                "Content-Encoding", "gzip");
        assertThat(r.status()).as(ctx(r)).isEqualTo(400);
        assertThat(RpcStatus.parse(r.body()).message()).as(ctx(r)).contains("gzip");
    }

    @Test
    void otherContentTypesAndEncodingsAre415() {
        Http.Response text = Http.post(collector.tracesUrl(), "text/plain", "hello".getBytes(StandardCharsets.UTF_8));
        assertThat(text.status()).as(ctx(text)).isEqualTo(415);
        assertThat(text.json().path("message").asText()).as(ctx(text)).contains("text/plain");
        Http.Response none = Http.post(collector.tracesUrl(), null, OtlpRequests.protobuf("nobody", OtlpRequests.allowed(1)));
        assertThat(none.status()).as(ctx(none)).isEqualTo(415);
        Http.Response br = Http.post(collector.tracesUrl(), PROTOBUF, new byte[] {1, 2, 3}, "Content-Encoding", "br");
        assertThat(br.status()).as(ctx(br)).isEqualTo(415);
        assertThat(RpcStatus.parse(br.body()).message()).as(ctx(br)).contains("br");
    }

    @Test
    void getOfTracesIs405() {
        Http.Response r = Http.get(collector.tracesUrl());
        assertThat(r.status()).as(ctx(r)).isEqualTo(405);
        assertThat(r.header("Allow")).as(ctx(r)).isEqualTo("POST");
        assertThat(r.json().path("message").asText()).as(ctx(r)).contains("GET");
    }

    @Test
    void unknownPathsAre404() {
        Http.Response metrics = Http.post(collector.otlpHttpEndpoint() + "/v1/metrics", PROTOBUF, new byte[0]);
        assertThat(metrics.status()).as(ctx(metrics)).isEqualTo(404);
        assertThat(metrics.json().path("message").asText()).as(ctx(metrics)).contains("traces only");
        Http.Response other = Http.post(collector.otlpHttpEndpoint() + "/no/such/thing", PROTOBUF, new byte[0]);
        assertThat(other.status()).as(ctx(other)).isEqualTo(404);
        assertThat(other.json().path("message").asText()).as(ctx(other)).contains("/no/such/thing");
    }

    @Test
    void spansWithInvalidIdsAreRejectedAndTheRestKept() throws Exception {
        String agent = "robust-partial-" + UUID.randomUUID();
        SpanSpec good = SpanSpec.random("SELECT 1", "allow", "default");
        long now = System.currentTimeMillis() * 1_000_000L;
        List<Span> spans = List.of(
                OtlpRequests.span(agent, good),
                // a 15-byte trace id
                OtlpRequests.span(agent, ByteString.fromHex(OtlpRequests.randomHex(15)),
                        ByteString.fromHex(OtlpRequests.randomHex(8)), good, now),
                // an all-zero span id
                OtlpRequests.span(agent, ByteString.fromHex(OtlpRequests.randomHex(16)), ByteString.copyFrom(new byte[8]),
                        good, now));
        Http.Response r = Http.post(collector.tracesUrl(), PROTOBUF, OtlpRequests.request(agent, spans).toByteArray());
        assertThat(r.status()).as(ctx(r)).isEqualTo(200);
        ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(resp.getPartialSuccess().getRejectedSpans()).as(resp.toString()).isEqualTo(2);
        assertThat(resp.getPartialSuccess().getErrorMessage()).as(resp.toString())
                .contains("2 spans rejected").contains("invalid trace id").contains("invalid span id");

        // the same over OTLP/JSON: a trace id that is not hex
        SpanSpec goodJson = SpanSpec.random("SELECT 2", "allow", "default");
        String json = "{\"resourceSpans\":[{\"resource\":{\"attributes\":[{\"key\":\"agentid.agent.id\",\"value\":{\"stringValue\":\""
                + agent + "\"}}]},\"scopeSpans\":[{\"scope\":{\"name\":\"it\"},\"spans\":["
                + "{\"traceId\":\"not-hex-at-all-not-hex-at-all-xx\",\"spanId\":\"" + OtlpRequests.randomHex(8)
                + "\",\"name\":\"bad\",\"startTimeUnixNano\":\"" + now + "\",\"endTimeUnixNano\":\"" + (now + 1000) + "\"},"
                + "{\"traceId\":\"" + goodJson.traceId() + "\",\"spanId\":\"" + goodJson.spanId()
                + "\",\"name\":\"good\",\"kind\":3,\"startTimeUnixNano\":\"" + now + "\",\"endTimeUnixNano\":\"" + (now + 1000)
                + "\",\"attributes\":[{\"key\":\"db.query.text\",\"value\":{\"stringValue\":\"SELECT 2\"}}]}"
                + "]}]}]}";
        Http.Response rj = Http.post(collector.tracesUrl(), "application/json", json.getBytes(StandardCharsets.UTF_8));
        assertThat(rj.status()).as(ctx(rj)).isEqualTo(200);
        assertThat(rj.json().path("partialSuccess").path("rejectedSpans").asText()).as(ctx(rj)).isEqualTo("1");
        assertThat(rj.json().path("partialSuccess").path("errorMessage").asText()).as(ctx(rj)).contains("trace id");

        JsonNode calls = Http.pollJson(collector.api() + "/api/calls?agent=" + agent, n -> n.path("count").asInt() >= 2,
                Duration.ofSeconds(20));
        List<String> ids = new ArrayList<>();
        calls.path("calls").forEach(c -> ids.add(c.path("traceId").asText() + "/" + c.path("spanId").asText()));
        assertThat(ids).as(calls.toPrettyString()).containsExactlyInAnyOrder(
                good.traceId() + "/" + good.spanId(), goodJson.traceId() + "/" + goodJson.spanId());
    }

    // ---- OTLP/gRPC, with a raw client: bytes in, bytes out

    private static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    private static byte[] grpc(String method, byte[] request) {
        MethodDescriptor<byte[], byte[]> m = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(method)
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
        return ClientCalls.blockingUnaryCall(channel, m, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), request);
    }

    @Test
    void grpcGarbageIsInvalidArgument() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class, () -> grpc(TRACE_EXPORT, GARBAGE));
        assertThat(e).as(collector.describe()).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(e.getStatus().getDescription()).as(e.toString()).contains("not a valid OTLP");
    }

    @Test
    void grpcMessageOverTheLimitIsResourceExhausted() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> grpc(TRACE_EXPORT, new byte[MAX + 1]));
        assertThat(e).as(collector.describe()).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }

    @Test
    void grpcUnknownMethodIsUnimplemented() {
        StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                () -> grpc("opentelemetry.proto.collector.metrics.v1.MetricsService/Export", new byte[0]));
        assertThat(e).as(collector.describe()).isNotNull();
        assertThat(e.getStatus().getCode()).as(e.toString()).isEqualTo(Status.Code.UNIMPLEMENTED);
    }

    @Test
    void grpcPartialSuccess() throws Exception {
        String agent = "robust-grpc-partial-" + UUID.randomUUID();
        SpanSpec good = SpanSpec.random("SELECT 3", "allow", "default");
        long now = System.currentTimeMillis() * 1_000_000L;
        List<Span> spans = List.of(OtlpRequests.span(agent, good),
                OtlpRequests.span(agent, ByteString.copyFrom(new byte[16]), ByteString.fromHex(OtlpRequests.randomHex(8)),
                        good, now));
        ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(
                grpc(TRACE_EXPORT, OtlpRequests.request(agent, spans).toByteArray()));
        assertThat(resp.getPartialSuccess().getRejectedSpans()).as(resp.toString()).isEqualTo(1);
        assertThat(resp.getPartialSuccess().getErrorMessage()).as(resp.toString()).contains("invalid trace id");
        JsonNode calls = Http.getJson(collector.api() + "/api/calls?agent=" + agent);
        assertThat(calls.path("count").asInt()).as(calls.toPrettyString()).isEqualTo(1);
        assertThat(calls.path("calls").get(0).path("spanId").asText()).isEqualTo(good.spanId());
    }

    // ---- the review API

    static Stream<Arguments> badApiRequests() {
        return Stream.of(
                Arguments.of("/api/calls?limit=0", 400, "limit"),
                Arguments.of("/api/calls?limit=abc", 400, "limit"),
                Arguments.of("/api/calls?limit=1001", 400, "limit"),
                Arguments.of("/api/calls?decision=maybe", 400, "decision"),
                Arguments.of("/api/calls?since=yesterday-ish", 400, "since"),
                Arguments.of("/api/calls?until=next%20tuesday", 400, "until"),
                Arguments.of("/api/calls?since=1h&until=2h", 400, "since must be before until"),
                Arguments.of("/api/calls?colour=red", 400, "unknown parameter 'colour'"),
                Arguments.of("/api/calls?limit=5&limit=6", 400, "more than once"),
                Arguments.of("/api/stats?since=garbage", 400, "since"),
                Arguments.of("/api/stats?agent=x", 400, "unknown parameter 'agent'"),
                Arguments.of("/api/traces/not-a-hex-trace-id", 400, "32 hex digits"),
                Arguments.of("/api/traces/0123abcd", 400, "32 hex digits"),
                Arguments.of("/api/traces/" + "0123456789abcdef".repeat(2), 404, "no spans stored"),
                Arguments.of("/api/x", 404, "no such endpoint"),
                Arguments.of("/api", 404, "no such endpoint"));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @MethodSource("badApiRequests")
    void badApiRequestsAreRefusedWithAMessage(String path, int status, String message) {
        Http.Response r = Http.get(collector.api() + path);
        assertThat(r.status()).as(ctx(r)).isEqualTo(status);
        assertThat(r.header("Content-Type")).as(ctx(r)).startsWith("application/json");
        JsonNode j = r.json();
        assertThat(j.path("status").asInt()).as(ctx(r)).isEqualTo(status);
        assertThat(j.path("error").asText()).as(ctx(r)).contains(message);
    }

    @Test
    void theApiIsReadOnly() {
        Http.Response r = Http.post(collector.api() + "/api/calls", "application/json", "{}".getBytes(StandardCharsets.UTF_8));
        assertThat(r.status()).as(ctx(r)).isEqualTo(405);
        assertThat(r.header("Allow")).as(ctx(r)).isEqualTo("GET");
        assertThat(r.json().path("status").asInt()).isEqualTo(405);
    }

    // ---- slow clients

    @Test
    void aSlowClientDoesNotStopOthersBeingServed() throws Exception {
        String agent = "robust-slow-" + UUID.randomUUID();
        List<SpanSpec> slowSpans = OtlpRequests.allowed(3);
        byte[] slowBody = OtlpRequests.protobuf(agent, slowSpans);
        int half = slowBody.length / 2;
        try (Socket slow = connect(collector.httpPort()); Socket slowApi = connect(collector.apiPort())) {
            // the head and half the body, then nothing for a while
            write(slow, "POST /v1/traces HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-protobuf\r\n"
                    + "Content-Length: " + slowBody.length + "\r\n\r\n");
            slow.getOutputStream().write(slowBody, 0, half);
            slow.getOutputStream().flush();
            // half a request line on the review API
            write(slowApi, "GET /api/calls?agent=");

            // meanwhile, others are served on both ports
            List<SpanSpec> quick = OtlpRequests.allowed(2);
            String quickAgent = agent + "-quick";
            for (int i = 0; i < 3; i++) {
                Http.Response r = Http.post(collector.tracesUrl(), PROTOBUF, OtlpRequests.protobuf(quickAgent, quick));
                assertThat(r.status()).as(ctx(r)).isEqualTo(200);
            }
            JsonNode q = Http.getJson(collector.api() + "/api/calls?agent=" + quickAgent);
            assertThat(q.path("count").asInt()).as(q.toPrettyString()).isEqualTo(2);
            assertThat(Http.getJson(collector.api() + "/api/health").path("status").asText()).isEqualTo("ok");

            // the slow client finishes: its request is taken as any other
            slow.getOutputStream().write(slowBody, half, slowBody.length - half);
            slow.getOutputStream().flush();
            RawResponse r = RawResponse.read(slow.getInputStream());
            assertThat(r.status()).as(r + "\n" + collector.describe()).isEqualTo(200);
            assertThat(ExportTraceServiceResponse.parseFrom(r.body()).hasPartialSuccess()).isFalse();
            JsonNode s = Http.getJson(collector.api() + "/api/calls?agent=" + agent);
            List<String> ids = new ArrayList<>();
            s.path("calls").forEach(c -> ids.add(c.path("traceId").asText() + "/" + c.path("spanId").asText()));
            assertThat(ids).as(s.toPrettyString()).containsExactlyInAnyOrderElementsOf(OtlpRequests.ids(slowSpans));
        }
    }

    // ---- and after all of that

    @Test
    @Order(Integer.MAX_VALUE)
    void afterEverythingAValidRequestIsStillTakenAndAnswered() throws Exception {
        assertThat(collector.isAlive()).as(collector.describe()).isTrue();
        String agent = "robust-after-" + UUID.randomUUID();
        List<SpanSpec> specs = List.of(SpanSpec.random("SELECT id FROM customers", "allow", "default"),
                SpanSpec.random("DROP TABLE customers", "deny", "no-ddl"));
        Http.Response r = Http.post(collector.tracesUrl(), PROTOBUF, OtlpRequests.protobuf(agent, specs));
        assertThat(r.status()).as(ctx(r)).isEqualTo(200);
        assertThat(ExportTraceServiceResponse.parseFrom(r.body()).getPartialSuccess().getRejectedSpans()).isZero();
        JsonNode calls = Http.getJson(collector.api() + "/api/calls?agent=" + agent);
        assertThat(calls.path("count").asInt()).as(calls.toPrettyString()).isEqualTo(2);
        JsonNode denied = Http.getJson(collector.api() + "/api/calls?agent=" + agent + "&decision=deny");
        assertThat(denied.path("count").asInt()).as(denied.toPrettyString()).isEqualTo(1);
        assertThat(denied.path("calls").get(0).path("ruleId").asText()).isEqualTo("no-ddl");
        assertThat(denied.path("calls").get(0).path("blocked").asBoolean()).isTrue();
        JsonNode trace = Http.getJson(collector.api() + "/api/traces/" + specs.get(1).traceId());
        assertThat(trace.path("spans")).as(trace.toPrettyString()).hasSize(1);
        assertThat(collector.stderr()).as(collector.describe()).doesNotContain("internal error");
    }

    // ---- raw HTTP/1.1, for what HttpClient will not do

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(30_000);
        return s;
    }

    private static void write(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    record RawResponse(int status, Map<String, String> headers, byte[] body) {
        static RawResponse read(InputStream in) throws IOException {
            String statusLine = line(in);
            String[] parts = statusLine.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP response: '" + statusLine + "'");
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            String cl = headers.get("content-length");
            byte[] body = cl == null ? new byte[0] : in.readNBytes(Integer.parseInt(cl));
            return new RawResponse(Integer.parseInt(parts[1]), headers, body);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed in the middle of a response head: " + b);
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.ISO_8859_1);
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + " " + body.length + " bytes";
        }
    }
}
