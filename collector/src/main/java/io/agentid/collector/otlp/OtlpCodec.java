package io.agentid.collector.otlp;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.google.protobuf.ByteString;
import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTracePartialSuccess;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * OTLP trace requests and responses, protobuf and JSON, to and from {@link SpanRecord}. This package is the only
 * place that sees the {@code io.opentelemetry.proto} and protobuf classes (their artifact is unstable).
 *
 * <p>Decoding follows OTLP partial success: a span with a bad trace or span id is dropped and counted in
 * {@link Decoded#rejected()}, the rest are kept; a body that cannot be read at all is an
 * {@link OtlpDecodeException} whose message can go back to the client. An all-zero 8-byte parent span id is read
 * as a root span.
 */
public final class OtlpCodec {

    static final String NOT_PROTOBUF = "body is not a valid OTLP ExportTraceServiceRequest protobuf: ";

    private static final JsonFactory JSON = new JsonFactory();

    private OtlpCodec() {
    }

    public static Decoded decodeProtobuf(byte[] body) throws OtlpDecodeException {
        return decodeProtobuf(body, 0, body.length);
    }

    public static Decoded decodeProtobuf(byte[] body, int offset, int length) throws OtlpDecodeException {
        Objects.checkFromIndexSize(offset, length, body.length);
        return ProtoWireDecoder.decode(body, offset, length);
    }

    public static Decoded decodeJson(byte[] body) throws OtlpDecodeException {
        return decodeJson(body, 0, body.length);
    }

    /**
     * OTLP/JSON: ids are hex, enums are numbers or names, 64-bit integers are strings or numbers, lowerCamelCase
     * or snake_case keys, unknown keys ignored.
     */
    public static Decoded decodeJson(byte[] body, int offset, int length) throws OtlpDecodeException {
        Objects.checkFromIndexSize(offset, length, body.length);
        return JsonTraceDecoder.decode(JSON, body, offset, length);
    }

    /** An ExportTraceServiceResponse; partial_success is set only when something was rejected or said. */
    public static byte[] responseProtobuf(long rejected, String message) {
        ExportTraceServiceResponse.Builder b = ExportTraceServiceResponse.newBuilder();
        if (rejected > 0 || (message != null && !message.isEmpty())) {
            b.setPartialSuccess(ExportTracePartialSuccess.newBuilder()
                    .setRejectedSpans(Math.max(rejected, 0))
                    .setErrorMessage(message == null ? "" : message));
        }
        return b.build().toByteArray();
    }

    /** {@code {}} when all was accepted, else {@code {"partialSuccess":{"rejectedSpans":"2","errorMessage":"..."}}}. */
    public static byte[] responseJson(long rejected, String message) {
        boolean hasMessage = message != null && !message.isEmpty();
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + (hasMessage ? message.length() : 0));
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            if (rejected > 0 || hasMessage) {
                g.writeObjectFieldStart("partialSuccess");
                if (rejected > 0) {
                    g.writeStringField("rejectedSpans", Long.toString(rejected));
                }
                if (hasMessage) {
                    g.writeStringField("errorMessage", message);
                }
                g.writeEndObject();
            }
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** An ExportTraceServiceRequest with one ResourceSpans/ScopeSpans per (resource attributes, scope name). */
    public static byte[] encodeRequestProtobuf(List<SpanRecord> spans) {
        ExportTraceServiceRequest.Builder req = ExportTraceServiceRequest.newBuilder();
        for (Map.Entry<Map<String, Object>, Map<String, List<SpanRecord>>> r : group(spans).entrySet()) {
            ResourceSpans.Builder rs = ResourceSpans.newBuilder()
                    .setResource(Resource.newBuilder().addAllAttributes(keyValues(r.getKey())));
            for (Map.Entry<String, List<SpanRecord>> sc : r.getValue().entrySet()) {
                ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName(sc.getKey()));
                for (SpanRecord s : sc.getValue()) {
                    Span.Builder sb = Span.newBuilder()
                            .setTraceId(ByteString.copyFrom(Hex.decode(s.traceId())))
                            .setSpanId(ByteString.copyFrom(Hex.decode(s.spanId())))
                            .setParentSpanId(ByteString.copyFrom(Hex.decode(s.parentSpanId())))
                            .setName(s.name())
                            .setKindValue(s.kind())
                            .setStartTimeUnixNano(s.startEpochNanos())
                            .setEndTimeUnixNano(s.endEpochNanos())
                            .addAllAttributes(keyValues(s.attributes()));
                    if (s.statusCode() != 0 || !s.statusMessage().isEmpty()) {
                        sb.setStatus(Status.newBuilder().setCodeValue(s.statusCode()).setMessage(s.statusMessage()));
                    }
                    for (SpanEvent e : s.events()) {
                        sb.addEvents(Span.Event.newBuilder().setName(e.name()).setTimeUnixNano(e.epochNanos())
                                .addAllAttributes(keyValues(e.attributes())));
                    }
                    ss.addSpans(sb);
                }
                rs.addScopeSpans(ss);
            }
            req.addResourceSpans(rs);
        }
        return req.build().toByteArray();
    }

    /** The OTLP/JSON form of {@link #encodeRequestProtobuf}: hex ids, int64 as strings, enums as numbers. */
    public static byte[] encodeRequestJson(List<SpanRecord> spans) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256 + spans.size() * 1024);
        try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeArrayFieldStart("resourceSpans");
            for (Map.Entry<Map<String, Object>, Map<String, List<SpanRecord>>> r : group(spans).entrySet()) {
                g.writeStartObject();
                g.writeObjectFieldStart("resource");
                writeAttributes(g, "attributes", r.getKey());
                g.writeEndObject();
                g.writeArrayFieldStart("scopeSpans");
                for (Map.Entry<String, List<SpanRecord>> sc : r.getValue().entrySet()) {
                    g.writeStartObject();
                    g.writeObjectFieldStart("scope");
                    g.writeStringField("name", sc.getKey());
                    g.writeEndObject();
                    g.writeArrayFieldStart("spans");
                    for (SpanRecord s : sc.getValue()) {
                        writeSpan(g, s);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static Map<Map<String, Object>, Map<String, List<SpanRecord>>> group(List<SpanRecord> spans) {
        Map<Map<String, Object>, Map<String, List<SpanRecord>>> groups = new LinkedHashMap<>();
        for (SpanRecord s : spans) {
            groups.computeIfAbsent(s.resourceAttributes(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(s.scopeName(), k -> new ArrayList<>()).add(s);
        }
        return groups;
    }

    private static List<KeyValue> keyValues(Map<String, Object> attributes) {
        List<KeyValue> l = new ArrayList<>(attributes.size());
        for (Map.Entry<String, Object> e : attributes.entrySet()) {
            l.add(KeyValue.newBuilder().setKey(e.getKey()).setValue(anyValue(e.getValue())).build());
        }
        return l;
    }

    private static AnyValue anyValue(Object v) {
        AnyValue.Builder b = AnyValue.newBuilder();
        if (v instanceof String s) {
            b.setStringValue(s);
        } else if (v instanceof Boolean z) {
            b.setBoolValue(z);
        } else if (v instanceof Double || v instanceof Float) {
            b.setDoubleValue(((Number) v).doubleValue());
        } else if (v instanceof Number n) {
            b.setIntValue(n.longValue());
        } else if (v instanceof byte[] a) {
            b.setBytesValue(ByteString.copyFrom(a));
        } else if (v instanceof List<?> l) {
            ArrayValue.Builder a = ArrayValue.newBuilder();
            for (Object o : l) {
                a.addValues(anyValue(o));
            }
            b.setArrayValue(a);
        } else if (v instanceof Map<?, ?> m) {
            KeyValueList.Builder kv = KeyValueList.newBuilder();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                kv.addValues(KeyValue.newBuilder().setKey(String.valueOf(e.getKey())).setValue(anyValue(e.getValue())));
            }
            b.setKvlistValue(kv);
        } else if (v != null) {
            b.setStringValue(String.valueOf(v));
        }
        return b.build();
    }

    private static void writeSpan(JsonGenerator g, SpanRecord s) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", s.traceId());
        g.writeStringField("spanId", s.spanId());
        if (!s.parentSpanId().isEmpty()) {
            g.writeStringField("parentSpanId", s.parentSpanId());
        }
        g.writeStringField("name", s.name());
        g.writeNumberField("kind", s.kind());
        g.writeStringField("startTimeUnixNano", Long.toUnsignedString(s.startEpochNanos()));
        g.writeStringField("endTimeUnixNano", Long.toUnsignedString(s.endEpochNanos()));
        writeAttributes(g, "attributes", s.attributes());
        if (!s.events().isEmpty()) {
            g.writeArrayFieldStart("events");
            for (SpanEvent e : s.events()) {
                g.writeStartObject();
                g.writeStringField("timeUnixNano", Long.toUnsignedString(e.epochNanos()));
                g.writeStringField("name", e.name());
                writeAttributes(g, "attributes", e.attributes());
                g.writeEndObject();
            }
            g.writeEndArray();
        }
        if (s.statusCode() != 0 || !s.statusMessage().isEmpty()) {
            g.writeObjectFieldStart("status");
            if (!s.statusMessage().isEmpty()) {
                g.writeStringField("message", s.statusMessage());
            }
            g.writeNumberField("code", s.statusCode());
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    private static void writeAttributes(JsonGenerator g, String field, Map<?, ?> attributes) throws IOException {
        g.writeArrayFieldStart(field);
        for (Map.Entry<?, ?> e : attributes.entrySet()) {
            g.writeStartObject();
            g.writeStringField("key", String.valueOf(e.getKey()));
            g.writeFieldName("value");
            writeValue(g, e.getValue());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    private static void writeValue(JsonGenerator g, Object v) throws IOException {
        g.writeStartObject();
        if (v instanceof String s) {
            g.writeStringField("stringValue", s);
        } else if (v instanceof Boolean z) {
            g.writeBooleanField("boolValue", z);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isFinite(d)) {
                g.writeNumberField("doubleValue", d);
            } else {
                g.writeStringField("doubleValue", Double.isNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
            }
        } else if (v instanceof Number n) {
            g.writeStringField("intValue", Long.toString(n.longValue()));
        } else if (v instanceof byte[] a) {
            g.writeStringField("bytesValue", Base64.getEncoder().encodeToString(a));
        } else if (v instanceof List<?> l) {
            g.writeObjectFieldStart("arrayValue");
            g.writeArrayFieldStart("values");
            for (Object o : l) {
                writeValue(g, o);
            }
            g.writeEndArray();
            g.writeEndObject();
        } else if (v instanceof Map<?, ?> m) {
            g.writeObjectFieldStart("kvlistValue");
            writeAttributes(g, "values", m);
            g.writeEndObject();
        } else if (v != null) {
            g.writeStringField("stringValue", String.valueOf(v));
        }
        g.writeEndObject();
    }
}
