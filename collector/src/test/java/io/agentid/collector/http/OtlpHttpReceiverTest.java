package io.agentid.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.collector.ingest.Ingest;
import io.agentid.collector.store.CallQuery;
import io.agentid.collector.store.RocksSpanStore;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** OTLP/HTTP answers for good and bad requests, over a real store; the receiver keeps serving after each. */
class OtlpHttpReceiverTest {

    @TempDir
    Path dir;
    private RocksSpanStore store;
    private Ingest ingest;
    private OtlpHttpReceiver receiver;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws Exception {
        store = RocksSpanStore.open(dir);
        ingest = new Ingest(store, 10_000, null, 60_000);
        receiver = new OtlpHttpReceiver("127.0.0.1", 0, ingest, 64 * 1024);
    }

    @AfterEach
    void stop() {
        receiver.close();
        ingest.close();
        store.close();
    }

    private HttpResponse<byte[]> send(String method, String path, String type, String encoding, byte[] body)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + receiver.address().getPort()
                + path)).timeout(Duration.ofSeconds(10)).method(method, body == null
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        if (type != null) {
            b.header("Content-Type", type);
        }
        if (encoding != null) {
            b.header("Content-Encoding", encoding);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static String message(HttpResponse<byte[]> r) throws Exception {
        String type = r.headers().firstValue("Content-Type").orElse("");
        return type.equals("application/json") ? ApiJson.MAPPER.readTree(r.body()).get("message").asText()
                : com.google.rpc.Status.parseFrom(r.body()).getMessage();
    }

    private static byte[] gzip(byte[] b) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    @Test
    void storesProtobufJsonAndGzipAndAnswersInTheRequestsEncoding() throws Exception {
        HttpResponse<byte[]> pb = send("POST", "/v1/traces", "application/x-protobuf", null,
                ReceiverBackPressureTest.request(3, 1));
        assertThat(pb.statusCode()).isEqualTo(200);
        assertThat(pb.headers().firstValue("Content-Type")).hasValue("application/x-protobuf");

        HttpResponse<byte[]> gz = send("POST", "/v1/traces", "application/x-protobuf", "gzip",
                gzip(ReceiverBackPressureTest.request(2, 2)));
        assertThat(gz.statusCode()).isEqualTo(200);

        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":\"5b8aa5a2d2c872e8321cf37308d69df2\","
                + "\"spanId\":\"051581bf3cb55c13\",\"name\":\"x\",\"kind\":3,\"startTimeUnixNano\":\"1000\","
                + "\"endTimeUnixNano\":\"2000\",\"futureField\":{\"a\":1}}]}]}]}";
        HttpResponse<byte[]> js = send("POST", "/v1/traces", "application/json; charset=utf-8", null,
                json.getBytes(StandardCharsets.UTF_8));
        assertThat(js.statusCode()).isEqualTo(200);
        assertThat(new String(js.body(), StandardCharsets.UTF_8)).isEqualTo("{}");

        assertThat(store.calls(CallQuery.all(100))).hasSize(6);
        assertThat(store.trace("5b8aa5a2d2c872e8321cf37308d69df2")).hasSize(1);
    }

    @Test
    void getIsRefused() throws Exception {
        HttpResponse<byte[]> get = send("GET", "/v1/traces", null, null, null);
        assertThat(get.statusCode()).isEqualTo(405);
    }

    @Test
    void partialSuccessNamesTheRejectedSpans() throws Exception {
        String json = "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":["
                + "{\"traceId\":\"5b8aa5a2d2c872e8321cf37308d69df3\",\"spanId\":\"051581bf3cb55c14\",\"name\":\"ok\"},"
                + "{\"traceId\":\"00000000000000000000000000000000\",\"spanId\":\"051581bf3cb55c15\",\"name\":\"bad\"}]}]}]}";
        HttpResponse<byte[]> r = send("POST", "/v1/traces", "application/json", null, json.getBytes());
        assertThat(r.statusCode()).isEqualTo(200);
        var partial = ApiJson.MAPPER.readTree(r.body()).get("partialSuccess");
        assertThat(partial.get("rejectedSpans").asLong()).isEqualTo(1);
        assertThat(partial.get("errorMessage").asText()).contains("trace id");
        assertThat(store.calls(CallQuery.all(100))).hasSize(1);
    }

    @Test
    void badRequestsGetTheRightStatusAndTheReceiverKeepsServing() throws Exception {
        HttpResponse<byte[]> garbage = send("POST", "/v1/traces", "application/x-protobuf", null,
                new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x01, 0x02});
        assertThat(garbage.statusCode()).isEqualTo(400);
        assertThat(message(garbage)).isNotBlank();

        HttpResponse<byte[]> badJson = send("POST", "/v1/traces", "application/json", null, "{\"resourceSpans\":[".getBytes());
        assertThat(badJson.statusCode()).isEqualTo(400);
        assertThat(message(badJson)).isNotBlank();

        HttpResponse<byte[]> tooBig = send("POST", "/v1/traces", "application/x-protobuf", null, new byte[100 * 1024]);
        assertThat(tooBig.statusCode()).isEqualTo(413);

        HttpResponse<byte[]> bomb = send("POST", "/v1/traces", "application/x-protobuf", "gzip",
                gzip(new byte[10 * 1024 * 1024]));
        assertThat(bomb.statusCode()).isEqualTo(413);
        assertThat(message(bomb)).contains("decompressed");

        HttpResponse<byte[]> notGzip = send("POST", "/v1/traces", "application/x-protobuf", "gzip", new byte[] {1, 2, 3});
        assertThat(notGzip.statusCode()).isEqualTo(400);

        assertThat(send("POST", "/v1/traces", "text/plain", null, "hello".getBytes()).statusCode()).isEqualTo(415);
        assertThat(send("POST", "/v1/traces", "application/x-protobuf", "br", new byte[] {1}).statusCode())
                .isEqualTo(415);
        HttpResponse<byte[]> get = send("GET", "/v1/traces", null, null, null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).hasValue("POST");
        assertThat(send("POST", "/v1/metrics", "application/x-protobuf", null, new byte[0]).statusCode())
                .isEqualTo(404);

        assertThat(send("POST", "/v1/traces", "application/x-protobuf", null, ReceiverBackPressureTest.request(4, 9))
                .statusCode()).isEqualTo(200);
        assertThat(store.calls(CallQuery.all(100))).hasSize(4);
    }
}
