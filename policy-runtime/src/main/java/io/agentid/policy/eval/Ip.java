package io.agentid.policy.eval;

/**
 * IP literal parsing and formatting, without {@link java.net.InetAddress} (which may fall back to a DNS lookup
 * for text it does not recognise). An IPv4 address is a {@code long} in {@code [0, 2^32)}; an IPv6 address is
 * two {@code long}s (high and low 64 bits). The strict parsers ({@link #v4}, {@link #v6}) accept only the
 * canonical forms that {@code io.agentid.policy.Hosts#normalise} produces and allocate nothing, so the engine
 * can use them while deciding.
 */
public final class Ip {
    private Ip() {}

    /** The value of a canonical dotted quad ({@code 10.0.0.1}: four decimal parts, no leading zeros), or -1. */
    public static long v4(String s) {
        int n = s.length();
        if (n < 7 || n > 15) {
            return -1;
        }
        long value = 0;
        int parts = 0;
        int i = 0;
        while (i <= n) {
            int start = i;
            int part = 0;
            while (i < n && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    return -1;
                }
                part = part * 10 + (c - '0');
                i++;
            }
            int len = i - start;
            if (len == 0 || part > 255 || (len > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            i++; // the dot, or past the end
            if (parts == 4) {
                return i == n + 1 ? value : -1;
            }
        }
        return -1;
    }

    /**
     * The value of an IPv4 address in any spelling {@code inet_aton(3)} accepts: one to four parts separated by
     * {@code .}, each decimal, octal (leading {@code 0}) or hex ({@code 0x}); the last part fills the remaining
     * bytes ({@code 127.1}, {@code 2130706433}, {@code 0x7f.0.0.1}, {@code 0177.0.0.1}). Returns -1 when
     * {@code s} is not such an address. Bounded: at most 64 characters are looked at.
     */
    public static long inetAton(String s) {
        int n = s.length();
        if (n == 0 || n > 64) {
            return -1;
        }
        // Allocation-free: the parts so far, packed; 'value' holds the first count-1 parts as bytes.
        long value = 0;
        long last = -1;
        int count = 0;
        int i = 0;
        while (true) {
            if (count == 4) {
                return -1;
            }
            int start = i;
            while (i < n && s.charAt(i) != '.') {
                i++;
            }
            long v = number(s, start, i);
            if (v < 0) {
                return -1;
            }
            if (count > 0) {
                if (last > 255) {
                    return -1;
                }
                value = (value << 8) | last;
            }
            last = v;
            count++;
            if (i == n) {
                break;
            }
            i++; // the dot
        }
        int lastBytes = 5 - count;
        if (last >= (1L << (8 * lastBytes))) {
            return -1;
        }
        return (value << (8 * lastBytes)) | last;
    }

    /** One inet_aton part, or -1 (empty, bad digit, or larger than 2^32). */
    private static long number(String s, int from, int to) {
        if (from == to) {
            return -1;
        }
        int radix = 10;
        if (to - from >= 2 && s.charAt(from) == '0' && (s.charAt(from + 1) == 'x' || s.charAt(from + 1) == 'X')) {
            radix = 16;
            from += 2;
            if (from == to) {
                return 0; // "0x" alone is zero, as in inet_aton and the WHATWG URL parser
            }
        } else if (to - from >= 2 && s.charAt(from) == '0') {
            radix = 8;
            from += 1;
        }
        long v = 0;
        for (int i = from; i < to; i++) {
            int d = Character.digit(s.charAt(i), radix);
            if (d < 0 || s.charAt(i) > 'f') {
                return -1;
            }
            v = v * radix + d;
            if (v > 0xFFFF_FFFFL) {
                return -1;
            }
        }
        return v;
    }

    /** A dotted quad. */
    public static String v4Text(long v) {
        return ((v >>> 24) & 255) + "." + ((v >>> 16) & 255) + "." + ((v >>> 8) & 255) + "." + (v & 255);
    }

    /** Result selectors for {@link #v6}. */
    public static final int VALID = 0;
    public static final int HIGH = 1;
    public static final int LOW = 2;

    /**
     * Parses the IPv6 address {@code s[from, to)} (hex groups, one {@code ::}, an optional trailing dotted
     * quad; no brackets, no zone) and returns, per {@code which}: {@link #VALID} 1 or 0; {@link #HIGH} or
     * {@link #LOW} the upper or lower 64 bits (0 when invalid). Allocates nothing.
     */
    public static long v6(String s, int from, int to, int which) {
        int len = to - from;
        if (len < 2 || len > 45) {
            return 0;
        }
        long headHi = 0;
        long headLo = 0;
        long tailHi = 0;
        long tailLo = 0;
        int head = 0;
        int tail = 0;
        boolean compressed = false;
        int i = from;
        if (s.charAt(i) == ':') {
            if (s.charAt(i + 1) != ':') {
                return 0;
            }
            compressed = true;
            i += 2;
            if (i == to) {
                return which == VALID ? 1 : 0; // "::"
            }
        }
        while (i < to) {
            int start = i;
            int g = 0;
            while (i < to && s.charAt(i) != ':' && s.charAt(i) != '.') {
                int d = Character.digit(s.charAt(i), 16);
                if (d < 0 || s.charAt(i) > 'f' || i - start >= 4) {
                    return 0;
                }
                g = (g << 4) | d;
                i++;
            }
            int groups = head + tail;
            if (i < to && s.charAt(i) == '.') {
                // A trailing dotted quad: the last 32 bits.
                long v4 = dottedQuad(s, start, to);
                if (v4 < 0 || groups > 6) {
                    return 0;
                }
                int hiGroup = (int) (v4 >>> 16);
                int loGroup = (int) (v4 & 0xFFFF);
                if (compressed) {
                    tailHi = (tailHi << 32) | (tailLo >>> 32);
                    tailLo = (tailLo << 32) | v4;
                    tail += 2;
                } else {
                    // groups <= 6, so the two groups land in the low word
                    headLo |= ((long) hiGroup << (16 * (7 - head))) | ((long) loGroup << (16 * (6 - head)));
                    head += 2;
                }
                i = to;
                break;
            }
            if (i == start || groups >= 8) {
                return 0;
            }
            if (compressed) {
                tailHi = (tailHi << 16) | (tailLo >>> 48);
                tailLo = (tailLo << 16) | g;
                tail++;
            } else {
                if (head < 4) {
                    headHi |= (long) g << (16 * (3 - head));
                } else {
                    headLo |= (long) g << (16 * (7 - head));
                }
                head++;
            }
            if (i == to) {
                break;
            }
            i++; // ':'
            if (i == to) {
                return 0; // trailing single ':'
            }
            if (s.charAt(i) == ':') {
                if (compressed) {
                    return 0; // a second "::"
                }
                compressed = true;
                i++;
                if (i == to) {
                    break; // trailing "::"
                }
            }
        }
        int total = head + tail;
        if (compressed ? total > 7 : total != 8) {
            return 0;
        }
        switch (which) {
            case VALID:
                return 1;
            case HIGH:
                return headHi | tailHi;
            default:
                return headLo | tailLo;
        }
    }

    /** A strict dotted quad in {@code s[from, to)}, or -1. */
    private static long dottedQuad(String s, int from, int to) {
        long value = 0;
        int parts = 0;
        int i = from;
        while (parts < 4) {
            int start = i;
            int part = 0;
            while (i < to && s.charAt(i) != '.') {
                char c = s.charAt(i);
                if (c < '0' || c > '9' || i - start >= 3) {
                    return -1;
                }
                part = part * 10 + (c - '0');
                i++;
            }
            if (i == start || part > 255 || (i - start > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = (value << 8) | part;
            parts++;
            if (i == to) {
                break;
            }
            i++;
        }
        return parts == 4 && i == to ? value : -1;
    }

    /** Whether {@code hi:lo} is an IPv4-mapped address ({@code ::ffff:a.b.c.d}). */
    public static boolean isMapped(long hi, long lo) {
        return hi == 0 && (lo >>> 32) == 0xFFFFL;
    }

    /** Whether {@code s} is exactly {@link #v6Text} of the address it denotes (and not mapped). Allocates nothing. */
    public static boolean isCanonicalV6(String s) {
        int n = s.length();
        if (v6(s, 0, n, VALID) != 1) {
            return false;
        }
        long hi = v6(s, 0, n, HIGH);
        long lo = v6(s, 0, n, LOW);
        if (isMapped(hi, lo)) {
            return false;
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (group(hi, lo, k) != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && group(hi, lo, k) == 0) {
                k++;
            }
            if (k - start > bestLen) {
                bestStart = start;
                bestLen = k - start;
            }
        }
        int pos = 0;
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                if (!s.startsWith("::", pos)) {
                    return false;
                }
                pos += 2;
                k += bestLen - 1;
                continue;
            }
            if (pos > 0 && s.charAt(pos - 1) != ':') {
                if (pos >= n || s.charAt(pos) != ':') {
                    return false;
                }
                pos++;
            }
            int g = group(hi, lo, k);
            boolean started = false;
            for (int shift = 12; shift >= 0; shift -= 4) {
                int d = (g >>> shift) & 0xF;
                if (d == 0 && !started && shift > 0) {
                    continue;
                }
                started = true;
                if (pos >= n || s.charAt(pos) != Character.forDigit(d, 16)) {
                    return false;
                }
                pos++;
            }
        }
        return pos == n;
    }

    private static int group(long hi, long lo, int k) {
        return (int) ((k < 4 ? hi >>> (16 * (3 - k)) : lo >>> (16 * (7 - k))) & 0xFFFF);
    }

    /**
     * The RFC 5952 text of an IPv6 address: lower-case hex, no leading zeros, the longest run of two or more
     * zero groups (the first, on a tie) written {@code ::}.
     */
    public static String v6Text(long hi, long lo) {
        int[] g = new int[8];
        for (int k = 0; k < 4; k++) {
            g[k] = (int) ((hi >>> (16 * (3 - k))) & 0xFFFF);
            g[4 + k] = (int) ((lo >>> (16 * (3 - k))) & 0xFFFF);
        }
        int bestStart = -1;
        int bestLen = 1;
        for (int k = 0; k < 8; ) {
            if (g[k] != 0) {
                k++;
                continue;
            }
            int start = k;
            while (k < 8 && g[k] == 0) {
                k++;
            }
            if (k - start > bestLen) {
                bestStart = start;
                bestLen = k - start;
            }
        }
        StringBuilder sb = new StringBuilder(39);
        for (int k = 0; k < 8; k++) {
            if (k == bestStart) {
                sb.append("::");
                k += bestLen - 1;
                continue;
            }
            if (sb.length() > 0 && sb.charAt(sb.length() - 1) != ':') {
                sb.append(':');
            }
            sb.append(Integer.toHexString(g[k]));
        }
        return sb.toString();
    }
}
