package io.agentid.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.rpc.RetryInfo;
import io.agentid.collector.grpc.OtlpGrpcReceiver;
import io.agentid.collector.ingest.Ingest;
import io.agentid.collector.model.SpanRecord;
import io.agentid.collector.otlp.OtlpCodec;
import io.agentid.collector.store.CallQuery;
import io.agentid.collector.store.Retention;
import io.agentid.collector.store.SpanStore;
import io.agentid.collector.store.Stats;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * When the writer is behind, both receivers tell senders to retry (HTTP 503 + Retry-After, gRPC UNAVAILABLE +
 * RetryInfo) instead of queueing without bound, and acknowledge a request only once the store has it. The store
 * here is a stand-in whose append waits on a latch: the one way to hold a real store "behind" on purpose.
 */
class ReceiverBackPressureTest {

    /** Holds every append until released; records what it was given. */
    static final class HeldStore implements SpanStore {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final List<SpanRecord> appended = new CopyOnWriteArrayList<>();

        @Override
        public void append(List<SpanRecord> batch) {
            entered.countDown();
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            appended.addAll(batch);
        }

        @Override
        public List<SpanRecord> calls(CallQuery query) {
            return List.of();
        }

        @Override
        public List<SpanRecord> trace(String traceIdHex) {
            return List.of();
        }

        @Override
        public Stats stats(long since, long until) {
            return new Stats(since, until, 0, 0, List.of(), List.of());
        }

        @Override
        public long enforceRetention(Retention retention) {
            return 0;
        }

        @Override
        public long approximateCount() {
            return appended.size();
        }

        @Override
        public void close() {
        }
    }

    private HeldStore store;
    private Ingest ingest;
    private OtlpHttpReceiver http;
    private OtlpGrpcReceiver grpc;
    private final HttpClient client = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws IOException {
        store = new HeldStore();
        ingest = new Ingest(store, 100, null, 60_000);
        http = new OtlpHttpReceiver("127.0.0.1", 0, ingest, 1 << 20);
        grpc = new OtlpGrpcReceiver("127.0.0.1", 0, ingest, 1 << 20);
    }

    @AfterEach
    void stop() {
        store.release.countDown();
        http.close();
        grpc.close();
        ingest.close();
    }

    static byte[] request(int spans, int seed) {
        List<SpanRecord> list = new ArrayList<>();
        for (int i = 0; i < spans; i++) {
            String trace = HexFormat.of().toHexDigits((long) seed) + HexFormat.of().toHexDigits(i + 1L);
            list.add(new SpanRecord(trace, HexFormat.of().toHexDigits(i + 1L), "", "SELECT", 3, 1_000L + i, 2_000L + i,
                    0, "", Map.of("service.name", "t"), "s", Map.of("agentid.agent.id", "a"), List.of()));
        }
        return OtlpCodec.encodeRequestProtobuf(list);
    }

    private CompletableFuture<HttpResponse<byte[]>> post(byte[] body) {
        return client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http.address().getPort()
                + "/v1/traces")).header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    void httpAnswers503WithRetryAfterWhileTheWriterIsBehindAndAcknowledgesOnlyStoredSpans() throws Exception {
        CompletableFuture<HttpResponse<byte[]>> first = post(request(80, 1));
        assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();

        HttpResponse<byte[]> second = post(request(80, 2)).get(10, TimeUnit.SECONDS);
        assertThat(second.statusCode()).isEqualTo(503);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(com.google.rpc.Status.parseFrom(second.body()).getMessage()).contains("busy");
        assertThat(first).isNotDone();

        store.release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
        assertThat(store.appended).hasSize(80);
    }

    @Test
    void grpcAnswersUnavailableWithRetryInfoWhileTheWriterIsBehind() throws Exception {
        ManagedChannel ch = NettyChannelBuilder.forAddress("127.0.0.1", grpc.address().getPort()).usePlaintext()
                .build();
        try {
            CompletableFuture<HttpResponse<byte[]>> first = post(request(80, 3));
            assertThat(store.entered.await(10, TimeUnit.SECONDS)).isTrue();

            StatusRuntimeException e = catchThrowableOfType(StatusRuntimeException.class,
                    () -> ClientCalls.blockingUnaryCall(ch, EXPORT, CallOptions.DEFAULT
                            .withDeadlineAfter(10, TimeUnit.SECONDS), request(80, 4)));
            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            com.google.rpc.Status details = StatusProto.fromThrowable(e);
            assertThat(details).isNotNull();
            assertThat(details.getDetails(0).unpack(RetryInfo.class).getRetryDelay().getSeconds()).isEqualTo(1);

            store.release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            byte[] ok = ClientCalls.blockingUnaryCall(ch, EXPORT,
                    CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), request(80, 5));
            assertThat(ok).isNotNull();
            assertThat(store.appended).hasSize(160);
        } finally {
            ch.shutdownNow();
        }
    }

    static final MethodDescriptor<byte[], byte[]> EXPORT = MethodDescriptor.<byte[], byte[]>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
            .setRequestMarshaller(new Bytes()).setResponseMarshaller(new Bytes()).build();

    static final class Bytes implements MethodDescriptor.Marshaller<byte[]> {
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
    }
}
