package io.agentid.policy.eval;

import java.util.Map;

/**
 * An immutable open-addressing table from canonical host names (or suffixes) to condition bits, looked up by
 * a region of a string and the region's {@link String#hashCode}-compatible hash. Compares characters exactly
 * (hosts are canonical, so lower case). Allocates nothing.
 */
public final class HostTable {
    private final String[] keys;
    private final int[] hashes;
    private final long[] values;
    private final int mask;

    public HostTable(Map<String, Long> entries) {
        int cap = 2;
        while (cap < entries.size() * 2) {
            cap <<= 1;
        }
        keys = new String[cap];
        hashes = new int[cap];
        values = new long[cap];
        mask = cap - 1;
        for (Map.Entry<String, Long> e : entries.entrySet()) {
            int h = e.getKey().hashCode();
            int i = spread(h) & mask;
            while (keys[i] != null) {
                i = (i + 1) & mask;
            }
            keys[i] = e.getKey();
            hashes[i] = h;
            values[i] = e.getValue();
        }
    }

    private static int spread(int h) {
        return (h ^ (h >>> 16)) * 0x9E3779B9 >>> 7;
    }

    /** The bits of {@code s[from, to)}, 0 when absent. */
    long get(String s, int from, int to, int hash) {
        int len = to - from;
        for (int i = spread(hash) & mask; ; i = (i + 1) & mask) {
            String k = keys[i];
            if (k == null) {
                return 0L;
            }
            if (hashes[i] == hash && k.length() == len && s.regionMatches(from, k, 0, len)) {
                return values[i];
            }
        }
    }
}
