package io.agentid.collector.otlp;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads an ExportTraceServiceRequest field by field from a {@link CodedInputStream} straight into
 * {@link SpanRecord}s, skipping the generated message objects (they cost about a third of the decode time and
 * keep unknown fields we drop anyway). {@link ProtoMessageDecoder} is the reference it is tested against.
 *
 * <p>Fields may come in any order on the wire; the rare request whose resource (or scope) comes after its spans
 * has those spans rebuilt. Message nesting is limited to 100, as in the generated parsers, so nested AnyValues
 * cannot exhaust the stack.
 */
final class ProtoWireDecoder {

    private static final int MAX_DEPTH = 100;

    private static final int LEN = WireFormat.WIRETYPE_LENGTH_DELIMITED;
    private static final int VARINT = WireFormat.WIRETYPE_VARINT;
    private static final int FIXED64 = WireFormat.WIRETYPE_FIXED64;

    private final CodedInputStream in;
    private final List<SpanRecord> out = new ArrayList<>();
    private final Rejections rejections = new Rejections();
    private int depth;

    private ProtoWireDecoder(CodedInputStream in) {
        this.in = in;
    }

    static Decoded decode(byte[] body, int offset, int length) throws OtlpDecodeException {
        ProtoWireDecoder d = new ProtoWireDecoder(CodedInputStream.newInstance(body, offset, length));
        try {
            d.request();
        } catch (IOException e) {
            throw new OtlpDecodeException(OtlpCodec.NOT_PROTOBUF + e.getMessage(), e);
        }
        return new Decoded(d.out, d.rejections.count(), d.rejections.message());
    }

    private static int tag(int field, int wireType) {
        return field << 3 | wireType;
    }

    private int enter() throws IOException {
        if (++depth > MAX_DEPTH) {
            throw new IOException("messages are nested too deeply (the limit is " + MAX_DEPTH + ")");
        }
        return in.pushLimit(in.readRawVarint32());
    }

    private void leave(int oldLimit) {
        in.popLimit(oldLimit);
        depth--;
    }

    private void skip(int tag) throws IOException {
        if (!in.skipField(tag)) {
            throw new IOException("unexpected end-group tag");
        }
    }

    private void request() throws IOException {
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == tag(1, LEN)) {
                int old = enter();
                resourceSpans();
                leave(old);
            } else {
                skip(t);
            }
        }
    }

    private void resourceSpans() throws IOException {
        Map<String, Object> resource = Map.of();
        int first = out.size();
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == tag(1, LEN)) {
                int old = enter();
                resource = resource();
                leave(old);
                for (int i = first; i < out.size(); i++) {
                    out.set(i, with(out.get(i), resource, out.get(i).scopeName()));
                }
            } else if (t == tag(2, LEN)) {
                int old = enter();
                scopeSpans(resource);
                leave(old);
            } else {
                skip(t);
            }
        }
    }

    private Map<String, Object> resource() throws IOException {
        Map<String, Object> attributes = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == tag(1, LEN)) {
                attributes = keyValue(attributes);
            } else {
                skip(t);
            }
        }
        return attributes == null ? Map.of() : attributes;
    }

    private void scopeSpans(Map<String, Object> resource) throws IOException {
        String scope = "";
        int first = out.size();
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == tag(1, LEN)) {
                int old = enter();
                scope = scopeName();
                leave(old);
                for (int i = first; i < out.size(); i++) {
                    out.set(i, with(out.get(i), out.get(i).resourceAttributes(), scope));
                }
            } else if (t == tag(2, LEN)) {
                int old = enter();
                span(resource, scope);
                leave(old);
            } else {
                skip(t);
            }
        }
    }

    private String scopeName() throws IOException {
        String name = "";
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == tag(1, LEN)) {
                name = in.readStringRequireUtf8();
            } else {
                skip(t);
            }
        }
        return name;
    }

    private void span(Map<String, Object> resource, String scope) throws IOException {
        byte[] traceId = null;
        byte[] spanId = null;
        byte[] parent = null;
        String name = "";
        int kind = 0;
        long start = 0;
        long end = 0;
        int statusCode = 0;
        String statusMessage = "";
        Map<String, Object> attributes = null;
        List<SpanEvent> events = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (t) {
                case 1 << 3 | LEN -> traceId = in.readByteArray();
                case 2 << 3 | LEN -> spanId = in.readByteArray();
                case 4 << 3 | LEN -> parent = in.readByteArray();
                case 5 << 3 | LEN -> name = in.readStringRequireUtf8();
                case 6 << 3 | VARINT -> kind = in.readEnum();
                case 7 << 3 | FIXED64 -> start = in.readFixed64();
                case 8 << 3 | FIXED64 -> end = in.readFixed64();
                case 9 << 3 | LEN -> attributes = keyValue(attributes);
                case 11 << 3 | LEN -> {
                    if (events == null) {
                        events = new ArrayList<>(2);
                    }
                    int old = enter();
                    events.add(event());
                    leave(old);
                }
                case 15 << 3 | LEN -> {
                    int old = enter();
                    for (int s = in.readTag(); s != 0; s = in.readTag()) {
                        if (s == tag(2, LEN)) {
                            statusMessage = in.readStringRequireUtf8();
                        } else if (s == tag(3, VARINT)) {
                            statusCode = in.readEnum();
                        } else {
                            skip(s);
                        }
                    }
                    leave(old);
                }
                default -> skip(t);
            }
        }
        if (traceId == null || traceId.length != 16 || Hex.allZero(traceId, 0, 16)) {
            rejections.add(Rejections.BAD_TRACE_ID);
            return;
        }
        if (spanId == null || spanId.length != 8 || Hex.allZero(spanId, 0, 8)) {
            rejections.add(Rejections.BAD_SPAN_ID);
            return;
        }
        String parentHex = "";
        if (parent != null && parent.length != 0) {
            if (parent.length != 8) {
                rejections.add(Rejections.BAD_PARENT_ID);
                return;
            }
            if (!Hex.allZero(parent, 0, 8)) {
                parentHex = Hex.encode(parent, 0, 8);
            }
        }
        out.add(new SpanRecord(Hex.encode(traceId, 0, 16), Hex.encode(spanId, 0, 8), parentHex, name, kind, start, end,
                statusCode, statusMessage, resource, scope, attributes == null ? Map.of() : attributes,
                events == null ? List.of() : events));
    }

    private SpanEvent event() throws IOException {
        long time = 0;
        String name = "";
        Map<String, Object> attributes = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (t) {
                case 1 << 3 | FIXED64 -> time = in.readFixed64();
                case 2 << 3 | LEN -> name = in.readStringRequireUtf8();
                case 3 << 3 | LEN -> attributes = keyValue(attributes);
                default -> skip(t);
            }
        }
        return new SpanEvent(name, time, attributes == null ? Map.of() : attributes);
    }

    /** Reads one KeyValue message into {@code into} (created if null); one without a value is left out. */
    private Map<String, Object> keyValue(Map<String, Object> into) throws IOException {
        if (into == null) {
            into = new LinkedHashMap<>(32);
        }
        int old = enter();
        String key = "";
        Object value = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            if (t == tag(1, LEN)) {
                key = in.readStringRequireUtf8();
            } else if (t == tag(2, LEN)) {
                int o = enter();
                value = anyValue();
                leave(o);
            } else {
                skip(t);
            }
        }
        leave(old);
        if (value != null) {
            into.put(key, value);
        }
        return into;
    }

    /** The AnyValue's value, or null when unset (or string_value_strindex, which only profiles use). */
    private Object anyValue() throws IOException {
        Object v = null;
        for (int t = in.readTag(); t != 0; t = in.readTag()) {
            switch (t) {
                case 1 << 3 | LEN -> v = in.readStringRequireUtf8();
                case 2 << 3 | VARINT -> v = in.readBool();
                case 3 << 3 | VARINT -> v = in.readInt64();
                case 4 << 3 | FIXED64 -> v = in.readDouble();
                case 5 << 3 | LEN -> {
                    List<Object> l = new ArrayList<>();
                    int old = enter();
                    for (int a = in.readTag(); a != 0; a = in.readTag()) {
                        if (a == tag(1, LEN)) {
                            int o = enter();
                            Object e = anyValue();
                            leave(o);
                            if (e != null) {
                                l.add(e);
                            }
                        } else {
                            skip(a);
                        }
                    }
                    leave(old);
                    v = l;
                }
                case 6 << 3 | LEN -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    int old = enter();
                    for (int a = in.readTag(); a != 0; a = in.readTag()) {
                        if (a == tag(1, LEN)) {
                            keyValue(m);
                        } else {
                            skip(a);
                        }
                    }
                    leave(old);
                    v = m;
                }
                case 7 << 3 | LEN -> v = in.readByteArray();
                case 8 << 3 | VARINT -> {
                    in.readInt32();
                    v = null;
                }
                default -> skip(t);
            }
        }
        return v;
    }

    private static SpanRecord with(SpanRecord s, Map<String, Object> resource, String scope) {
        return new SpanRecord(s.traceId(), s.spanId(), s.parentSpanId(), s.name(), s.kind(), s.startEpochNanos(),
                s.endEpochNanos(), s.statusCode(), s.statusMessage(), resource, scope, s.attributes(), s.events());
    }
}
