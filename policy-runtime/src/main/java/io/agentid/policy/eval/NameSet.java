package io.agentid.policy.eval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * An immutable set of exact, non-empty lower-case names in a collision-free table ({@link PerfectHash}).
 * Looks up a region of a string case-insensitively, given the region's folded hash: one slot, one hash
 * compare, then the characters. Allocates nothing.
 */
public final class NameSet {
    private final PerfectHash slots;
    private final char[][] keys;
    private final int[] hashes;
    private final int size;

    private NameSet(List<String> names) {
        this.slots = PerfectHash.of(names);
        this.keys = new char[slots.capacity()][];
        this.hashes = new int[slots.capacity()];
        for (String k : names) {
            int i = slots.slot(k.hashCode());
            keys[i] = k.toCharArray();
            hashes[i] = k.hashCode();
        }
        this.size = names.size();
    }

    /** A set of {@code names}, folded to lower case; null when {@code names} is empty. */
    public static NameSet of(Collection<String> names) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        for (String n : names) {
            if (n.isEmpty()) {
                throw new IllegalArgumentException("empty name");
            }
            distinct.add(Fold.lower(n));
        }
        return distinct.isEmpty() ? null : new NameSet(new ArrayList<>(distinct));
    }

    public int size() {
        return size;
    }

    /** Whether {@code s[from, to)}, folded to lower case, is in the set, given its {@link Fold#hashLower folded hash}. */
    public boolean contains(String s, int from, int to, int hash) {
        int i = slots.slot(hash);
        char[] k = keys[i];
        return k != null && hashes[i] == hash && k.length == to - from && Fold.regionEqualsLower(s, from, k);
    }

    /** Whether {@code s[from, to)}, folded to lower case, is in the set. */
    public boolean contains(String s, int from, int to) {
        return contains(s, from, to, Fold.hashLower(s, from, to));
    }

    /** Whether {@code s}, folded to lower case, is in the set. */
    public boolean contains(String s) {
        return contains(s, 0, s.length());
    }
}
