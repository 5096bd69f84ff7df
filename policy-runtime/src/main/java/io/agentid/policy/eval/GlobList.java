package io.agentid.policy.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * One-part globs matched against one name part, each behind two inline filters that reject most names
 * without calling the glob: the part's length against the glob's minimum length, and the part's character
 * mask against the glob's literal characters ({@link NameGlob#charMask}). Returns the OR of the condition
 * bits of the globs that match. Allocates nothing.
 */
final class GlobList {
    private final NameGlob[] globs;
    private final int[] minLengths;
    private final long[] masks;
    private final long[] bits;
    /** The least of the globs' minimum lengths: a shorter part matches none of them. */
    final int minLength;
    /** The characters every glob needs (AND of their masks; 0 without masks): a part lacking one matches none. */
    final long commonMask;

    private GlobList(List<NameGlob> globs, List<Long> bits, boolean useMasks) {
        int n = globs.size();
        this.globs = globs.toArray(new NameGlob[0]);
        this.minLengths = new int[n];
        this.masks = new long[n];
        this.bits = new long[n];
        for (int i = 0; i < n; i++) {
            minLengths[i] = this.globs[i].minLength();
            masks[i] = useMasks ? this.globs[i].charMask() : 0L;
            this.bits[i] = bits.get(i);
        }
        int min = Integer.MAX_VALUE;
        long common = -1L;
        for (int i = 0; i < n; i++) {
            min = Math.min(min, minLengths[i]);
            common &= masks[i];
        }
        this.minLength = min;
        this.commonMask = common;
    }

    /** Collects globs and their bits. */
    static final class Builder {
        private final List<NameGlob> globs = new ArrayList<>();
        private final List<Long> bits = new ArrayList<>();

        void add(NameGlob glob, long bit) {
            globs.add(glob);
            bits.add(bit);
        }

        boolean isEmpty() {
            return globs.isEmpty();
        }

        /** The list, or null when empty; {@code useMasks} when callers pass a real character mask. */
        GlobList build(boolean useMasks) {
            return globs.isEmpty() ? null : new GlobList(globs, bits, useMasks);
        }
    }

    /**
     * The bits of the globs that match {@code s[from, to)}.
     *
     * @param mask the region's character mask, or -1 when the caller has none (every glob passes the filter)
     */
    long match(String s, int from, int to, long mask) {
        int len = to - from;
        long out = 0L;
        NameGlob[] gs = globs;
        int[] min = minLengths;
        long[] ms = masks;
        for (int i = 0; i < gs.length; i++) {
            if (len >= min[i] && (ms[i] & ~mask) == 0L && gs[i].matches(s, from, to)) {
                out |= bits[i];
            }
        }
        return out;
    }
}
