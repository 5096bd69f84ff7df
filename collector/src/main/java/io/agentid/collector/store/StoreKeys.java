package io.agentid.collector.store;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts of {@link RocksSpanStore}. All integers are big-endian so that RocksDB's bytewise order is numeric
 * order. Times are stored "inverted" ({@code ~(t ^ Long.MIN_VALUE)}) so that forward iteration is newest first.
 *
 * <pre>
 * spans   inv(start) traceId(16) spanId(8)                      = the span key, 32 bytes
 * idx_*   u16 len, UTF-8 field value, span key                  (decision, agent, rule, kind)
 * ids     traceId(16) spanId(8) -> inv(start)                   identity, for duplicates and trace()
 * stats   minute(8, sign-flipped), u16 len agent, u16 len rule, u8 denied -> u64 little-endian count
 * </pre>
 */
final class StoreKeys {

    static final int SPAN_KEY = 32;
    static final int ID_KEY = 24;
    static final long MINUTE_NANOS = 60_000_000_000L;
    /** Longer field values are truncated in index keys; queries re-check the exact value. */
    static final int MAX_INDEXED_VALUE = 1024;

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private StoreKeys() {
    }

    static long invert(long t) {
        return ~(t ^ Long.MIN_VALUE);
    }

    static long uninvert(long inv) {
        return ~inv ^ Long.MIN_VALUE;
    }

    static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int off) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[off + i] & 0xFF);
        }
        return v;
    }

    static byte[] inv8(long t) {
        byte[] b = new byte[8];
        putLong(b, 0, invert(t));
        return b;
    }

    /** Writes the span key into {@code b} at {@code off}; ids must be valid hex (see {@link #isHex}). */
    static void spanKey(long start, String traceId, String spanId, byte[] b, int off) {
        putLong(b, off, invert(start));
        hexTo(traceId, b, off + 8);
        hexTo(spanId, b, off + 24);
    }

    static long spanKeyStart(byte[] key) {
        return uninvert(getLong(key, 0));
    }

    static byte[] idKeyOfSpanKey(byte[] spanKey) {
        return Arrays.copyOfRange(spanKey, 8, SPAN_KEY);
    }

    static byte[] spanKeyOf(byte[] idKey, byte[] inv8) {
        byte[] k = new byte[SPAN_KEY];
        System.arraycopy(inv8, 0, k, 0, 8);
        System.arraycopy(idKey, 0, k, 8, ID_KEY);
        return k;
    }

    /** {@code u16 len, value}: the prefix of every index key of that value. */
    static byte[] fieldPrefix(String value) {
        byte[] u = value.getBytes(StandardCharsets.UTF_8);
        int n = Math.min(u.length, MAX_INDEXED_VALUE);
        byte[] p = new byte[2 + n];
        p[0] = (byte) (n >>> 8);
        p[1] = (byte) n;
        System.arraycopy(u, 0, p, 2, n);
        return p;
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    static byte[] indexKey(byte[] prefix, byte[] spanKey) {
        return concat(prefix, spanKey);
    }

    static byte[] statsKey(long minute, String agent, String rule, boolean denied) {
        byte[] a = fieldPrefix(agent);
        byte[] r = fieldPrefix(rule);
        byte[] k = new byte[8 + a.length + r.length + 1];
        putLong(k, 0, minute ^ Long.MIN_VALUE);
        System.arraycopy(a, 0, k, 8, a.length);
        System.arraycopy(r, 0, k, 8 + a.length, r.length);
        k[k.length - 1] = (byte) (denied ? 1 : 0);
        return k;
    }

    static byte[] minuteKey(long minute) {
        byte[] k = new byte[8];
        putLong(k, 0, minute ^ Long.MIN_VALUE);
        return k;
    }

    static long minuteOf(long epochNanos) {
        return Math.floorDiv(epochNanos, MINUTE_NANOS);
    }

    /** The smallest key greater than every key starting with {@code prefix}, or null if there is none. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] e = prefix.clone();
        for (int i = e.length - 1; i >= 0; i--) {
            if (e[i] != (byte) 0xFF) {
                e[i]++;
                return Arrays.copyOf(e, i + 1);
            }
        }
        return null;
    }

    static boolean isLowerHex(String s, int bytes) {
        if (s.length() != bytes * 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        return true;
    }

    /** Hex of either case (stored, and returned, as lower case). */
    static boolean isHex(String s, int bytes) {
        if (s.length() != bytes * 2) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F')) {
                return false;
            }
        }
        return true;
    }

    static void hexTo(String s, byte[] b, int off) {
        for (int i = 0; i < s.length(); i += 2) {
            b[off + i / 2] = (byte) (Character.digit(s.charAt(i), 16) << 4 | Character.digit(s.charAt(i + 1), 16));
        }
    }

    static byte[] hexBytes(String s) {
        byte[] b = new byte[s.length() / 2];
        hexTo(s, b, 0);
        return b;
    }

    static String hex(byte[] b, int off, int len) {
        char[] c = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int v = b[off + i] & 0xFF;
            c[2 * i] = HEX[v >>> 4];
            c[2 * i + 1] = HEX[v & 0xF];
        }
        return new String(c);
    }
}
