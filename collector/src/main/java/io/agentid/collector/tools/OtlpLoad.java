package io.agentid.collector.tools;

import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import io.agentid.collector.grpc.OtlpGrpcReceiver;
import io.agentid.collector.otlp.OtlpCodec;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.MethodDescriptor;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Load generator for the collector, run as its own process (docs/PERFORMANCE.md has the commands):
 *
 * <pre>
 * java -cp collector/target/agentid-collector.jar io.agentid.collector.tools.OtlpLoad \
 *     ingest --protocol http|grpc --target 127.0.0.1:4318 --api 127.0.0.1:8418 --spans 2000000 --batch 512 --senders 4
 * java -cp collector/target/agentid-collector.jar io.agentid.collector.tools.OtlpLoad \
 *     query --api 127.0.0.1:8418 --queries 1000 --path '/api/calls?decision=deny&amp;limit=100'
 * </pre>
 *
 * <p>Ingest sends realistic agentid JDBC spans (the attributes agentid.jar exports; 3% denied, 20 agents) in
 * OTLP/protobuf requests of {@code --batch} spans. Requests are made from a few templates encoded once; each
 * request gets fresh trace and span ids and current times patched into the template bytes, so the generator
 * spends its CPU sending, not encoding. It prints spans/s acknowledged, and, sampled every 200 ms, how long
 * after a request was sent its span could be read back from {@code /api/traces/{id}}.
 */
public final class OtlpLoad {

    private static final HexFormat HEX = HexFormat.of();

    public static void main(String[] args) throws Exception {
        Map<String, String> o = options(args);
        String mode = args.length > 0 ? args[0] : "";
        switch (mode) {
            case "ingest" -> ingest(o);
            case "query" -> query(o);
            default -> {
                System.err.println("usage: OtlpLoad ingest|query [--option value]... (see the class comment)");
                System.exit(2);
            }
        }
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        for (int i = 1; i + 1 < args.length; i += 2) {
            o.put(args[i].replaceFirst("^--", ""), args[i + 1]);
        }
        return o;
    }

    /** One encoded request whose ids and times can be rewritten in place. */
    private record Template(byte[] body, int[] traceIdAt, int[] spanIdAt, int[] timeAt, long[] timeOffset) {
    }

    static Template template(int batch, SplittableRandom rnd) {
        List<SpanRecord> spans = new ArrayList<>(batch);
        String[] tables = {"customers", "orders", "order_items", "invoices", "products", "hr.payroll", "audit_log"};
        String[] ops = {"SELECT", "SELECT", "SELECT", "INSERT", "UPDATE", "DELETE"};
        long base = 1_000_000_000_000_000_000L + rnd.nextLong(1_000_000_000_000L) * 1000;
        for (int i = 0; i < batch; i++) {
            String agent = "agent-" + rnd.nextInt(20);
            boolean deny = rnd.nextInt(100) < 3;
            String op = deny ? "DROP" : ops[rnd.nextInt(ops.length)];
            String table = tables[rnd.nextInt(tables.length)];
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("db.system.name", "postgresql");
            a.put("db.query.text", op.equals("SELECT")
                    ? "SELECT c.id, c.name, c.email, o.total FROM " + table + " c JOIN orders o ON o.customer_id = c.id"
                            + " WHERE c.region = ? AND o.created_at > ? ORDER BY o.created_at DESC LIMIT ?"
                    : op + " " + (op.equals("DROP") ? "TABLE " : op.equals("INSERT") ? "INTO " : "") + table
                            + " SET status = ?, updated_at = ? WHERE id = ? AND tenant_id = ?");
            a.put("db.operation.name", op);
            a.put("db.collection.name", table);
            a.put("db.namespace", "public");
            a.put("server.address", "db.internal.example.com");
            a.put("server.port", 5432L);
            a.put("agentid.sql.tables", List.of(table, "orders"));
            a.put("agentid.sql.operations", List.of(op));
            a.put("agentid.sql.statement_count", 1L);
            a.put("agentid.db.url", "jdbc:postgresql://db.internal.example.com:5432/shop");
            a.put("agentid.db.user", "agent_rw");
            a.put("agentid.agent.id", agent);
            a.put("agentid.kind", "sql");
            a.put("agentid.decision", deny ? "deny" : "allow");
            a.put("agentid.rule.id", deny ? "no-ddl-" + rnd.nextInt(10) : "");
            a.put("agentid.reason", deny ? "agents may not change the schema" : "");
            a.put("agentid.policy.version", "sha256:3f9a1c0d2e7b");
            a.put("agentid.mode", "enforce");
            List<SpanEvent> events = deny
                    ? List.of(new SpanEvent("agentid.blocked", base + i * 1000L + 500,
                            Map.of("agentid.rule.id", a.get("agentid.rule.id"))))
                    : List.of();
            long start = base + i * 1000L;
            spans.add(new SpanRecord(randomHex(rnd, 16), randomHex(rnd, 8), "", op + " " + table, 3, start,
                    start + 400, deny ? 2 : 0, deny ? "blocked by rule" : "",
                    Map.of("service.name", "load-agents", "telemetry.sdk.name", "agentid"), "io.agentid.jdbc", a,
                    events));
        }
        byte[] body = OtlpCodec.encodeRequestProtobuf(spans);
        int[] traceAt = new int[batch];
        int[] spanAt = new int[batch];
        List<Integer> timeAt = new ArrayList<>();
        List<Long> timeOff = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
            SpanRecord s = spans.get(i);
            traceAt[i] = indexOf(body, HEX.parseHex(s.traceId()));
            spanAt[i] = indexOf(body, HEX.parseHex(s.spanId()));
            for (long t : new long[] {s.startEpochNanos(), s.endEpochNanos()}) {
                timeAt.add(indexOf(body, le(t)));
                timeOff.add(t - base);
            }
            for (SpanEvent e : s.events()) {
                timeAt.add(indexOf(body, le(e.epochNanos())));
                timeOff.add(e.epochNanos() - base);
            }
        }
        return new Template(body, traceAt, spanAt, timeAt.stream().mapToInt(Integer::intValue).toArray(),
                timeOff.stream().mapToLong(Long::longValue).toArray());
    }

    private static byte[] le(long v) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v).array();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        throw new IllegalStateException("template field not found in the encoded request");
    }

    private static String randomHex(SplittableRandom rnd, int bytes) {
        byte[] b = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            b[i] = (byte) rnd.nextInt(256);
        }
        b[0] |= 1;
        return HEX.formatHex(b);
    }

    /** Copies the template with unique ids (from {@code seq}) and times starting at {@code nowNanos}. */
    static byte[] instance(Template t, long seq, long nowNanos, String[] firstTraceId) {
        byte[] b = t.body.clone();
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
        for (int i = 0; i < t.traceIdAt.length; i++) {
            long id = seq * t.traceIdAt.length + i + 1;
            bb.putLong(t.traceIdAt[i], 0x5a5a_0000_0000_0000L | (seq >>> 16));
            bb.putLong(t.traceIdAt[i] + 8, id);
            bb.putLong(t.spanIdAt[i], id);
        }
        ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < t.timeAt.length; i++) {
            le.putLong(t.timeAt[i], nowNanos + t.timeOffset[i]);
        }
        if (firstTraceId != null) {
            firstTraceId[0] = HEX.formatHex(b, t.traceIdAt[0], t.traceIdAt[0] + 16);
        }
        return b;
    }

    private static void ingest(Map<String, String> o) throws Exception {
        String protocol = o.getOrDefault("protocol", "http");
        String target = o.getOrDefault("target", protocol.equals("grpc") ? "127.0.0.1:4317" : "127.0.0.1:4318");
        String api = o.getOrDefault("api", "127.0.0.1:8418");
        long total = Long.parseLong(o.getOrDefault("spans", "2000000"));
        int batch = Integer.parseInt(o.getOrDefault("batch", "512"));
        int senders = Integer.parseInt(o.getOrDefault("senders", "4"));
        SplittableRandom rnd = new SplittableRandom(42);
        Template[] templates = new Template[16];
        for (int i = 0; i < templates.length; i++) {
            templates[i] = template(batch, rnd);
        }
        long requests = (total + batch - 1) / batch;
        // a run id keeps ids unique across runs against the same store
        long runBase = (System.currentTimeMillis() & 0xffff_ffffL) << 24;
        AtomicLong next = new AtomicLong();
        AtomicLong acked = new AtomicLong();
        AtomicLong retries = new AtomicLong();
        ConcurrentLinkedQueue<long[]> visibility = new ConcurrentLinkedQueue<>();
        AtomicLong lastProbe = new AtomicLong();
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        ManagedChannel channel = protocol.equals("grpc")
                ? NettyChannelBuilder.forTarget(target).usePlaintext().maxInboundMessageSize(1 << 20).build()
                : null;
        MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName("opentelemetry.proto.collector.trace.v1.TraceService/Export")
                .setRequestMarshaller(OtlpGrpcReceiver.BYTES).setResponseMarshaller(OtlpGrpcReceiver.BYTES).build();
        CountDownLatch done = new CountDownLatch(senders);
        long t0 = System.nanoTime();
        for (int s = 0; s < senders; s++) {
            Thread th = new Thread(() -> {
                try {
                    long r;
                    while ((r = next.getAndIncrement()) < requests) {
                        Template t = templates[(int) (r % templates.length)];
                        String[] first = new String[1];
                        long sentAt = System.nanoTime();
                        byte[] body = instance(t, runBase + r, System.currentTimeMillis() * 1_000_000L, first);
                        while (true) {
                            int status = channel != null ? sendGrpc(channel, export, body) : sendHttp(http, target, body);
                            if (status == 200) {
                                break;
                            }
                            if (status != 503 && status != 429) {
                                throw new IllegalStateException("collector answered " + status);
                            }
                            retries.incrementAndGet();
                            Thread.sleep(50);
                        }
                        acked.addAndGet(batch);
                        long now = System.nanoTime();
                        long lp = lastProbe.get();
                        if (now - lp > 200_000_000L && lastProbe.compareAndSet(lp, now)) {
                            visibility.add(new long[] {sentAt, probe(http, api, first[0])});
                        }
                    }
                } catch (Exception e) {
                    System.err.println("sender failed: " + e);
                } finally {
                    done.countDown();
                }
            }, "sender-" + s);
            th.start();
        }
        done.await();
        double secs = (System.nanoTime() - t0) / 1e9;
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        long[] lat = visibility.stream().mapToLong(v -> v[1] - v[0]).sorted().toArray();
        System.out.printf("ingest %s: %,d spans in %,d requests of %d in %.1f s = %,.0f spans/s acknowledged"
                + " (%d senders, %d retries after 503/429)%n", protocol, acked.get(), requests, batch, secs,
                acked.get() / secs, senders, retries.get());
        if (lat.length > 0) {
            System.out.printf("send-to-queryable (%d samples): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n", lat.length,
                    lat[lat.length / 2] / 1e6, lat[(int) Math.min(lat.length - 1, lat.length * 0.99)] / 1e6,
                    lat[lat.length - 1] / 1e6);
        }
    }

    private static int sendHttp(HttpClient http, String target, byte[] body) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + target + "/v1/traces"))
                .header("Content-Type", "application/x-protobuf")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private static int sendGrpc(ManagedChannel ch, MethodDescriptor<byte[], byte[]> m, byte[] body) {
        try {
            ClientCalls.blockingUnaryCall(ch, m, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS), body);
            return 200;
        } catch (StatusRuntimeException e) {
            return e.getStatus().getCode() == io.grpc.Status.Code.UNAVAILABLE ? 503 : 500;
        }
    }

    /** Polls until the trace can be read through the review API; returns the System.nanoTime() it was seen. */
    private static long probe(HttpClient http, String api, String traceId) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + api + "/api/traces/" + traceId)).GET().build();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                return System.nanoTime();
            }
            Thread.sleep(5);
        }
        throw new IllegalStateException("trace " + traceId + " not queryable after 30 s");
    }

    private static void query(Map<String, String> o) throws Exception {
        String api = o.getOrDefault("api", "127.0.0.1:8418");
        int n = Integer.parseInt(o.getOrDefault("queries", "1000"));
        String path = o.getOrDefault("path", "/api/calls?decision=deny&limit=100");
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://" + api + path)).GET().build();
        for (int i = 0; i < Math.min(50, n); i++) {
            http.send(req, HttpResponse.BodyHandlers.ofByteArray());
        }
        long[] t = new long[n];
        long bytes = 0;
        for (int i = 0; i < n; i++) {
            long s = System.nanoTime();
            HttpResponse<byte[]> r = http.send(req, HttpResponse.BodyHandlers.ofByteArray());
            t[i] = System.nanoTime() - s;
            if (r.statusCode() != 200) {
                throw new IllegalStateException("query answered " + r.statusCode() + ": " + new String(r.body()));
            }
            bytes = r.body().length;
        }
        Arrays.sort(t);
        System.out.printf("GET %s x %d (after 50 warm-up; response %,d bytes): p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                path, n, bytes, t[n / 2] / 1e6, t[(int) (n * 0.99)] / 1e6, t[n - 1] / 1e6);
    }
}
