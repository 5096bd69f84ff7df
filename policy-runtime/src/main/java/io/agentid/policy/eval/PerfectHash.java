package io.agentid.policy.eval;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * A collision-free slot function for a fixed set of names, found when the policy is compiled:
 * {@code slot(h) = (h * multiplier) >>> shift}, with a power-of-two table at least twice the number of
 * names and a multiplier tried until no two names' hashes share a slot. A lookup is then one multiply, one
 * shift and one compare: no probing loop.
 */
final class PerfectHash {
    private final int multiplier;
    private final int shift;
    private final int capacity;

    private PerfectHash(int multiplier, int bits) {
        this.multiplier = multiplier;
        this.shift = 32 - bits;
        this.capacity = 1 << bits;
    }

    /** A slot function for the {@code String.hashCode()} of {@code names} (lower case, distinct). */
    static PerfectHash of(List<String> names) {
        Set<Integer> distinct = new HashSet<>();
        int[] hashes = new int[names.size()];
        for (int i = 0; i < hashes.length; i++) {
            hashes[i] = names.get(i).hashCode();
            distinct.add(hashes[i]);
        }
        if (distinct.size() < hashes.length) {
            // Two names with the same hash (possible, if unlikely): no slot function can separate them.
            throw new IllegalStateException("names with equal hashes: " + names);
        }
        int bits = 1;
        while ((1 << bits) < Math.max(2, names.size() * 2)) {
            bits++;
        }
        java.util.Random random = new java.util.Random(0x5eed);
        for (; bits <= 24; bits++) {
            for (int attempt = 0; attempt < 64; attempt++) {
                int multiplier = attempt == 0 ? 0x9E3779B9 : random.nextInt() | 1;
                PerfectHash candidate = new PerfectHash(multiplier, bits);
                boolean[] used = new boolean[candidate.capacity];
                boolean ok = true;
                for (int h : hashes) {
                    int s = candidate.slot(h);
                    if (used[s]) {
                        ok = false;
                        break;
                    }
                    used[s] = true;
                }
                if (ok) {
                    return candidate;
                }
            }
        }
        throw new IllegalStateException("no collision-free slot function for " + names.size() + " names");
    }

    int capacity() {
        return capacity;
    }

    /** The slot of a hash; distinct names' hashes have distinct slots. */
    int slot(int hash) {
        return (hash * multiplier) >>> shift;
    }
}
