package io.agentid.it.support;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.zip.GZIPInputStream;

/** A real OTLP/HTTP trace receiver on loopback that keeps every span it is sent, decoded with the OTLP protobuf classes. */
public final class OtlpSink implements AutoCloseable {
    private final HttpServer server;
    private final List<SpanRecord> spans = new CopyOnWriteArrayList<>();
    private final java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
    private volatile long delayMillis;

    /** One received span, flattened for assertions. */
    public record SpanRecord(String name, String kind, Map<String, Object> attributes, Map<String, Object> resource,
            String statusCode, String statusMessage, List<String> events, String traceId, String spanId,
            long startNanos, long endNanos) {
        public String attr(String key) {
            Object v = attributes.get(key);
            return v == null ? null : v.toString();
        }
    }

    public OtlpSink() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/v1/traces", exchange -> {
            try (exchange) {
                InputStream in = exchange.getRequestBody();
                if ("gzip".equalsIgnoreCase(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
                    in = new GZIPInputStream(in);
                }
                byte[] bytes = in.readAllBytes();
                synchronized (raw) {
                    raw.write(bytes);
                }
                ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(bytes);
                if (delayMillis > 0) {
                    Thread.sleep(delayMillis);
                }
                for (ResourceSpans rs : request.getResourceSpansList()) {
                    Map<String, Object> resource = map(rs.getResource().getAttributesList());
                    for (ScopeSpans ss : rs.getScopeSpansList()) {
                        for (io.opentelemetry.proto.trace.v1.Span s : ss.getSpansList()) {
                            List<String> events = new ArrayList<>();
                            s.getEventsList().forEach(e -> events.add(e.getName()));
                            spans.add(new SpanRecord(s.getName(), s.getKind().name(), map(s.getAttributesList()), resource,
                                    s.getStatus().getCode().name(), s.getStatus().getMessage(), events,
                                    hex(s.getTraceId().toByteArray()), hex(s.getSpanId().toByteArray()),
                                    s.getStartTimeUnixNano(), s.getEndTimeUnixNano()));
                        }
                    }
                }
                byte[] body = ExportTraceServiceResponse.getDefaultInstance().toByteArray();
                exchange.getResponseHeaders().add("Content-Type", "application/x-protobuf");
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | IOException e) {
                exchange.sendResponseHeaders(400, -1);
            }
        });
        server.start();
    }

    /** Makes every export request take this long, to simulate a slow collector. */
    public OtlpSink delay(long millis) {
        this.delayMillis = millis;
        return this;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every export request body received (decompressed), concatenated: to prove what never left the process. */
    public byte[] rawBytes() {
        synchronized (raw) {
            return raw.toByteArray();
        }
    }

    public List<SpanRecord> spans() {
        return List.copyOf(spans);
    }

    public List<SpanRecord> spans(Predicate<SpanRecord> filter) {
        List<SpanRecord> out = new ArrayList<>();
        for (SpanRecord s : spans) {
            if (filter.test(s)) {
                out.add(s);
            }
        }
        return out;
    }

    /** Spans whose {@code db.query.text} equals {@code text}. */
    public List<SpanRecord> query(String text) {
        return spans(s -> text.equals(s.attr("db.query.text")));
    }

    private static Map<String, Object> map(List<KeyValue> kvs) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (KeyValue kv : kvs) {
            out.put(kv.getKey(), value(kv.getValue()));
        }
        return out;
    }

    private static Object value(AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE:
                return v.getStringValue();
            case INT_VALUE:
                return v.getIntValue();
            case BOOL_VALUE:
                return v.getBoolValue();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case ARRAY_VALUE:
                List<Object> list = new ArrayList<>();
                v.getArrayValue().getValuesList().forEach(x -> list.add(value(x)));
                return list;
            default:
                return v.toString();
        }
    }

    private static String hex(byte[] b) {
        StringBuilder sb = new StringBuilder();
        for (byte x : b) {
            sb.append(String.format("%02x", x));
        }
        return sb.toString();
    }

    @Override
    public void close() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }
}
