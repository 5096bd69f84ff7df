package io.agentid.policy.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Table patterns keyed by one exact name part at a fixed position from the right: a table from that part's
 * text to the condition bits of the patterns that need nothing else ({@code payroll}, {@code hr.*},
 * {@code *.salaries}) and the patterns that need their other parts checked ({@code hr.payroll},
 * {@code h*.payroll}). One lookup replaces matching each of those patterns. The table is built collision-free
 * ({@link PerfectHash}), so a lookup is one slot: compare the hash, then the characters. Allocates nothing.
 */
final class PartIndex {
    private final PerfectHash slots;
    private final char[][] keys;
    private final int[] hashes;
    private final long[] direct;
    private final DottedGlob[][] verify;
    private final long[][] verifyBits;

    /** Collects the patterns of one position before the table is built. */
    static final class Builder {
        private final Map<String, long[]> direct = new LinkedHashMap<>();
        private final Map<String, List<DottedGlob>> verify = new LinkedHashMap<>();
        private final Map<String, List<Long>> verifyBits = new LinkedHashMap<>();

        void addDirect(String key, long bits) {
            entry(key)[0] |= bits;
        }

        void addVerified(String key, DottedGlob glob, long bits) {
            entry(key);
            verify.get(key).add(glob);
            verifyBits.get(key).add(bits);
        }

        private long[] entry(String key) {
            verify.computeIfAbsent(key, k -> new ArrayList<>());
            verifyBits.computeIfAbsent(key, k -> new ArrayList<>());
            return direct.computeIfAbsent(key, k -> new long[1]);
        }

        /** The index, or null when no pattern was added. */
        PartIndex build() {
            return direct.isEmpty() ? null : new PartIndex(this);
        }
    }

    private PartIndex(Builder b) {
        List<String> names = new ArrayList<>(b.direct.keySet());
        slots = PerfectHash.of(names);
        int capacity = slots.capacity();
        keys = new char[capacity][];
        hashes = new int[capacity];
        direct = new long[capacity];
        verify = new DottedGlob[capacity][];
        verifyBits = new long[capacity][];
        for (String key : names) {
            int i = slots.slot(key.hashCode());
            keys[i] = key.toCharArray();
            hashes[i] = key.hashCode();
            direct[i] = b.direct.get(key)[0];
            verify[i] = b.verify.get(key).toArray(new DottedGlob[0]);
            List<Long> bits = b.verifyBits.get(key);
            verifyBits[i] = new long[bits.size()];
            for (int j = 0; j < bits.size(); j++) {
                verifyBits[i][j] = bits.get(j);
            }
        }
    }

    /**
     * The condition bits of the patterns keyed by {@code t[from, to)} that match {@code t}; {@code h} is the
     * part's folded hash ({@link Fold#hashLower}); the other arguments locate the table's parts as in
     * {@link DottedGlob#matchesTableParts}.
     */
    long lookup(String t, int from, int to, int h, int n, int s1, int s2, int s3) {
        int i = slots.slot(h);
        char[] k = keys[i];
        if (k == null || hashes[i] != h || k.length != to - from || !Fold.regionEqualsLower(t, from, k)) {
            return 0L;
        }
        long bits = direct[i];
        DottedGlob[] gs = verify[i];
        for (int j = 0; j < gs.length; j++) {
            if (gs[j].matchesTableParts(t, n, s1, s2, s3)) {
                bits |= verifyBits[i][j];
            }
        }
        return bits;
    }
}
