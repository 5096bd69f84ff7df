package io.agentid.collector.store;

import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The value of a span in the {@code spans} column family: a versioned binary format. The trace id, span id and
 * start time are not repeated here; they are the key (see {@link StoreKeys}).
 *
 * <p>Format 1: {@code u8 version=1}, parent span id ({@code u8} 0 = root, 1 = 8 bytes, 2 = string), name,
 * {@code varint} kind, {@code zigzag} end - start, {@code varint} status code, status message, resource
 * attributes, scope name, attributes, {@code varint} event count and per event: name, {@code zigzag} time - start,
 * attributes. Strings are {@code varint} length + UTF-8. An attribute map is {@code varint} count + per entry a key
 * ({@code varint} n: 0 = literal string follows, n = {@link #KEYS}[n-1]) and a tagged value (see {@code T_*}).
 * {@link #KEYS} is part of format 1: append to it only, never reorder.
 */
final class SpanValueCodec {

    static final int FORMAT = 1;

    private static final int T_STRING = 1;
    private static final int T_LONG = 2;
    private static final int T_DOUBLE = 3;
    private static final int T_TRUE = 4;
    private static final int T_FALSE = 5;
    private static final int T_LIST = 6;
    private static final int T_MAP = 7;
    private static final int T_BYTES = 8;

    /** Well-known attribute keys written as one byte. Append only: the index is stored. */
    private static final String[] KEYS = {
        "service.name", "service.version", "service.instance.id", "host.name", "process.pid",
        "process.runtime.name", "process.runtime.version", "telemetry.sdk.name", "telemetry.sdk.language",
        "telemetry.sdk.version", "agentid.agent.id", "agentid.kind", "agentid.decision", "agentid.rule.id",
        "agentid.reason", "agentid.policy.version", "agentid.mode", "agentid.blocked", "agentid.would_block",
        "agentid.sql.tables", "agentid.sql.operations", "agentid.sql.statement_count", "agentid.sql.problem",
        "agentid.cost.estimate_usd", "agentid.cost.actual_usd", "agentid.db.url", "agentid.db.user",
        "agentid.version", "db.system.name", "db.system", "db.namespace", "db.operation.name", "db.operation",
        "db.collection.name", "db.sql.table", "db.query.text", "db.statement", "db.operation.batch.size",
        "db.response.returned_rows", "server.address", "server.port", "net.peer.name", "url.full", "http.url",
        "http.request.method", "http.method", "http.response.status_code", "rpc.system", "rpc.service",
        "rpc.method", "gen_ai.system", "gen_ai.operation.name", "gen_ai.request.model", "gen_ai.response.model",
        "gen_ai.usage.input_tokens", "gen_ai.usage.output_tokens", "error.type", "exception.type",
        "exception.message", "exception.stacktrace", "thread.name", "thread.id", "code.function", "code.namespace",
    };
    private static final Map<String, Integer> KEY_INDEX = new HashMap<>();

    static {
        for (int i = 0; i < KEYS.length; i++) {
            KEY_INDEX.put(KEYS[i], i + 1);
        }
    }

    private SpanValueCodec() {
    }

    /** Encodes {@code s} into {@code out} (reset first); the caller copies {@code out} out. */
    static void encode(SpanRecord s, Out out) {
        out.reset();
        out.u8(FORMAT);
        String parent = s.parentSpanId();
        if (parent.isEmpty()) {
            out.u8(0);
        } else if (StoreKeys.isLowerHex(parent, 16)) {
            out.u8(1);
            StoreKeys.hexTo(parent, out.reserve(8), out.pos - 8);
        } else {
            out.u8(2);
            out.str(parent);
        }
        out.str(s.name());
        out.varint(s.kind());
        out.zigzag(s.endEpochNanos() - s.startEpochNanos());
        out.varint(s.statusCode());
        out.str(s.statusMessage());
        attrs(s.resourceAttributes(), out);
        out.str(s.scopeName());
        attrs(s.attributes(), out);
        List<SpanEvent> events = s.events();
        out.varint(events.size());
        for (int i = 0; i < events.size(); i++) {
            SpanEvent e = events.get(i);
            out.str(e.name());
            out.zigzag(e.epochNanos() - s.startEpochNanos());
            attrs(e.attributes(), out);
        }
    }

    static SpanRecord decode(byte[] key, byte[] value) {
        In in = new In(value);
        int format = in.u8();
        if (format != FORMAT) {
            throw new IllegalStateException("span value has format " + format + "; this collector reads format "
                    + FORMAT);
        }
        long start = StoreKeys.spanKeyStart(key);
        String traceId = StoreKeys.hex(key, 8, 16);
        String spanId = StoreKeys.hex(key, 24, 8);
        String parent;
        int p = in.u8();
        if (p == 0) {
            parent = "";
        } else if (p == 1) {
            parent = StoreKeys.hex(value, in.pos, 8);
            in.pos += 8;
        } else {
            parent = in.str();
        }
        String name = in.str();
        int kind = in.varint();
        long end = start + in.zigzag();
        int status = in.varint();
        String statusMessage = in.str();
        Map<String, Object> resource = attrs(in);
        String scope = in.str();
        Map<String, Object> attributes = attrs(in);
        int n = in.varint();
        List<SpanEvent> events = n == 0 ? List.of() : new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            String en = in.str();
            long t = start + in.zigzag();
            events.add(new SpanEvent(en, t, attrs(in)));
        }
        return new SpanRecord(traceId, spanId, parent, name, kind, start, end, status, statusMessage, resource,
                scope, attributes, events);
    }

    private static void attrs(Map<String, Object> m, Out out) {
        out.varint(m.size());
        for (Map.Entry<String, Object> e : m.entrySet()) {
            Integer k = KEY_INDEX.get(e.getKey());
            if (k != null) {
                out.varint(k);
            } else {
                out.varint(0);
                out.str(e.getKey());
            }
            value(e.getValue(), out);
        }
    }

    private static void value(Object v, Out out) {
        if (v instanceof String s) {
            out.u8(T_STRING);
            out.str(s);
        } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
            out.u8(T_LONG);
            out.zigzag(((Number) v).longValue());
        } else if (v instanceof Number n) {
            out.u8(T_DOUBLE);
            out.i64(Double.doubleToRawLongBits(n.doubleValue()));
        } else if (v instanceof Boolean b) {
            out.u8(b ? T_TRUE : T_FALSE);
        } else if (v instanceof List<?> l) {
            out.u8(T_LIST);
            out.varint(l.size());
            for (Object o : l) {
                value(o, out);
            }
        } else if (v instanceof Map<?, ?> m) {
            out.u8(T_MAP);
            out.varint(m.size());
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.str(String.valueOf(e.getKey()));
                value(e.getValue(), out);
            }
        } else if (v instanceof byte[] b) {
            out.u8(T_BYTES);
            out.varint(b.length);
            System.arraycopy(b, 0, out.reserve(b.length), out.pos - b.length, b.length);
        } else {
            // Not a type SpanRecord allows; kept as its text rather than failing the whole batch.
            out.u8(T_STRING);
            out.str(String.valueOf(v));
        }
    }

    private static Map<String, Object> attrs(In in) {
        int n = in.varint();
        if (n == 0) {
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>(n * 2);
        for (int i = 0; i < n; i++) {
            int k = in.varint();
            String key = k == 0 ? in.str() : KEYS[k - 1];
            m.put(key, value(in));
        }
        return m;
    }

    private static Object value(In in) {
        int tag = in.u8();
        switch (tag) {
            case T_STRING:
                return in.str();
            case T_LONG:
                return in.zigzag();
            case T_DOUBLE:
                return Double.longBitsToDouble(in.i64());
            case T_TRUE:
                return Boolean.TRUE;
            case T_FALSE:
                return Boolean.FALSE;
            case T_LIST: {
                int n = in.varint();
                List<Object> l = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    l.add(value(in));
                }
                return l;
            }
            case T_MAP: {
                int n = in.varint();
                Map<String, Object> m = new LinkedHashMap<>(n * 2);
                for (int i = 0; i < n; i++) {
                    String k = in.str();
                    m.put(k, value(in));
                }
                return m;
            }
            case T_BYTES: {
                int n = in.varint();
                byte[] b = Arrays.copyOfRange(in.b, in.pos, in.pos + n);
                in.pos += n;
                return b;
            }
            default:
                throw new IllegalStateException("span value has unknown attribute tag " + tag);
        }
    }

    /** A reusable growable output buffer (the writer thread keeps one). */
    static final class Out {
        byte[] b = new byte[1024];
        int pos;

        void reset() {
            pos = 0;
        }

        byte[] reserve(int n) {
            if (pos + n > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, pos + n));
            }
            pos += n;
            return b;
        }

        void u8(int v) {
            reserve(1)[pos - 1] = (byte) v;
        }

        void varint(int v) {
            varlong(v & 0xFFFFFFFFL);
        }

        void zigzag(long v) {
            varlong((v << 1) ^ (v >> 63));
        }

        void varlong(long v) {
            reserve(10);
            pos -= 10;
            while ((v & ~0x7FL) != 0) {
                b[pos++] = (byte) ((v & 0x7F) | 0x80);
                v >>>= 7;
            }
            b[pos++] = (byte) v;
        }

        void i64(long v) {
            reserve(8);
            for (int i = 7; i >= 0; i--) {
                b[pos - 8 + i] = (byte) v;
                v >>>= 8;
            }
        }

        void str(String s) {
            byte[] u = s.getBytes(StandardCharsets.UTF_8);
            varint(u.length);
            System.arraycopy(u, 0, reserve(u.length), pos - u.length, u.length);
        }

        byte[] copy() {
            return Arrays.copyOf(b, pos);
        }
    }

    private static final class In {
        final byte[] b;
        int pos;

        In(byte[] b) {
            this.b = b;
        }

        int u8() {
            return b[pos++] & 0xFF;
        }

        int varint() {
            return (int) varlong();
        }

        long zigzag() {
            long v = varlong();
            return (v >>> 1) ^ -(v & 1);
        }

        long varlong() {
            long v = 0;
            for (int shift = 0; ; shift += 7) {
                byte x = b[pos++];
                v |= (long) (x & 0x7F) << shift;
                if (x >= 0) {
                    return v;
                }
            }
        }

        long i64() {
            long v = 0;
            for (int i = 0; i < 8; i++) {
                v = (v << 8) | (b[pos++] & 0xFF);
            }
            return v;
        }

        String str() {
            int n = varint();
            String s = new String(b, pos, n, StandardCharsets.UTF_8);
            pos += n;
            return s;
        }
    }
}
