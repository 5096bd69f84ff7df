package io.agentid.collector.otlp;

/** Trace and span ids between bytes and lowercase hex. */
final class Hex {

    private static final char[] DIGITS = "0123456789abcdef".toCharArray();

    private Hex() {
    }

    static String encode(byte[] b, int off, int len) {
        char[] c = new char[len * 2];
        for (int i = 0; i < len; i++) {
            int v = b[off + i];
            c[2 * i] = DIGITS[(v >> 4) & 0xf];
            c[2 * i + 1] = DIGITS[v & 0xf];
        }
        return new String(c);
    }

    static boolean allZero(byte[] b, int off, int len) {
        for (int i = 0; i < len; i++) {
            if (b[off + i] != 0) {
                return false;
            }
        }
        return true;
    }

    /**
     * The id in lowercase, or {@code null} unless {@code s} is exactly {@code digits} hex digits and not all zero.
     * Returns {@code s} itself when it is already lowercase, which is what senders write.
     */
    static String normalize(String s, int digits) {
        if (s.length() != digits) {
            return null;
        }
        boolean upper = false;
        boolean nonZero = false;
        for (int i = 0; i < digits; i++) {
            char ch = s.charAt(i);
            if (ch >= '0' && ch <= '9') {
                nonZero |= ch != '0';
            } else if (ch >= 'a' && ch <= 'f') {
                nonZero = true;
            } else if (ch >= 'A' && ch <= 'F') {
                nonZero = true;
                upper = true;
            } else {
                return null;
            }
        }
        if (!nonZero) {
            return null;
        }
        return upper ? s.toLowerCase(java.util.Locale.ROOT) : s;
    }

    static boolean isZeros(String s) {
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) != '0') {
                return false;
            }
        }
        return true;
    }

    /** Bytes of a valid lowercase or uppercase hex string (as produced by {@link #normalize}). */
    static byte[] decode(String s) {
        byte[] b = new byte[s.length() / 2];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (Character.digit(s.charAt(2 * i), 16) << 4 | Character.digit(s.charAt(2 * i + 1), 16));
        }
        return b;
    }
}
