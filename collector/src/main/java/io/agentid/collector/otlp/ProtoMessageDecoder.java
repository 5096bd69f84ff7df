package io.agentid.collector.otlp;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Decodes through the generated message classes: the reference the wire-level decoder is tested against. */
final class ProtoMessageDecoder {

    private ProtoMessageDecoder() {
    }

    static Decoded decode(byte[] body, int offset, int length) throws OtlpDecodeException {
        ExportTraceServiceRequest req;
        try {
            req = ExportTraceServiceRequest.parser().parseFrom(body, offset, length);
        } catch (InvalidProtocolBufferException e) {
            throw new OtlpDecodeException(OtlpCodec.NOT_PROTOBUF + e.getMessage(), e);
        }
        List<SpanRecord> out = new ArrayList<>();
        Rejections rejections = new Rejections();
        for (ResourceSpans rs : req.getResourceSpansList()) {
            Map<String, Object> resource = attributes(rs.getResource().getAttributesList());
            for (ScopeSpans ss : rs.getScopeSpansList()) {
                String scope = ss.getScope().getName();
                for (Span s : ss.getSpansList()) {
                    ByteString traceId = s.getTraceId();
                    ByteString spanId = s.getSpanId();
                    ByteString parent = s.getParentSpanId();
                    if (traceId.size() != 16 || zero(traceId)) {
                        rejections.add(Rejections.BAD_TRACE_ID);
                        continue;
                    }
                    if (spanId.size() != 8 || zero(spanId)) {
                        rejections.add(Rejections.BAD_SPAN_ID);
                        continue;
                    }
                    if (!parent.isEmpty() && parent.size() != 8) {
                        rejections.add(Rejections.BAD_PARENT_ID);
                        continue;
                    }
                    List<SpanEvent> events = new ArrayList<>(s.getEventsCount());
                    for (Span.Event e : s.getEventsList()) {
                        events.add(new SpanEvent(e.getName(), e.getTimeUnixNano(), attributes(e.getAttributesList())));
                    }
                    out.add(new SpanRecord(hex(traceId), hex(spanId), parent.isEmpty() || zero(parent) ? "" : hex(parent),
                            s.getName(), s.getKindValue(), s.getStartTimeUnixNano(), s.getEndTimeUnixNano(),
                            s.getStatus().getCodeValue(), s.getStatus().getMessage(), resource, scope,
                            attributes(s.getAttributesList()), events));
                }
            }
        }
        return new Decoded(out, rejections.count(), rejections.message());
    }

    private static boolean zero(ByteString b) {
        for (int i = 0; i < b.size(); i++) {
            if (b.byteAt(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private static String hex(ByteString b) {
        byte[] a = b.toByteArray();
        return Hex.encode(a, 0, a.length);
    }

    private static Map<String, Object> attributes(List<KeyValue> kvs) {
        Map<String, Object> m = new LinkedHashMap<>(kvs.size() * 4 / 3 + 1);
        for (KeyValue kv : kvs) {
            Object v = value(kv.getValue());
            if (v != null) {
                m.put(kv.getKey(), v);
            }
        }
        return m;
    }

    private static Object value(AnyValue v) {
        switch (v.getValueCase()) {
            case STRING_VALUE:
                return v.getStringValue();
            case BOOL_VALUE:
                return v.getBoolValue();
            case INT_VALUE:
                return v.getIntValue();
            case DOUBLE_VALUE:
                return v.getDoubleValue();
            case BYTES_VALUE:
                return v.getBytesValue().toByteArray();
            case ARRAY_VALUE: {
                List<Object> l = new ArrayList<>(v.getArrayValue().getValuesCount());
                for (AnyValue e : v.getArrayValue().getValuesList()) {
                    Object o = value(e);
                    if (o != null) {
                        l.add(o);
                    }
                }
                return l;
            }
            case KVLIST_VALUE:
                return attributes(v.getKvlistValue().getValuesList());
            default:
                // unset, or string_value_strindex, which only profiles' dictionaries use
                return null;
        }
    }
}
