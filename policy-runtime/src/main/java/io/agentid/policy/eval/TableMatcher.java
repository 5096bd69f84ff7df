package io.agentid.policy.eval;

import io.agentid.policy.model.NamePattern;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * All the {@code table} and {@code table_not} conditions of one {@link SqlSegment}, compiled together: given
 * one table, {@link #matchBits} says which conditions (one bit each, at most 64) it matches, in one pass
 * however many rules share a pattern. Each distinct pattern is placed once:
 * <ul>
 *   <li>all parts {@code *} ({@code *}, {@code *.*}): matches every table, so its bits are always set;</li>
 *   <li>with an exact part (the rightmost one is the key): in the {@link PartIndex} of that position, found by
 *       one hash lookup of the table's part there;</li>
 *   <li>otherwise ({@code tmp_*}, {@code *_invoices}, {@code *secret*}, {@code partner_*.*}): matched one
 *       by one, but a one-part glob only on table names that end with its suffix's last character (or, without
 *       a suffix, start with its prefix's first character), are long enough, and (for globs with neither)
 *       contain every character of its literals; see {@link GlobList}.</li>
 * </ul>
 * Allocates nothing.
 */
public final class TableMatcher {
    private final long always;
    private final PartIndex key1;
    private final PartIndex key2;
    private final PartIndex key3;
    private final GlobList[] bySuffix = new GlobList[128];
    private final GlobList[] byPrefix = new GlobList[128];
    private final boolean dispatched;
    private final GlobList others;
    private final DottedGlob[] dotted;
    private final long[] dottedBits;
    // Per dotted glob, an inline filter on its rightmost part that is not *: its position from the right (1 to
    // 3; a table with fewer parts lacks it, and a missing part matches only *), its minimum length and the
    // first character of its prefix (-1 when none).
    private final int[] dottedKey;
    private final int[] dottedMin;
    private final int[] dottedFirst;

    /** @param conditions condition {@code i} (bit {@code i}, {@code i < 64}) is the list of its patterns */
    public TableMatcher(List<List<NamePattern>> conditions) {
        if (conditions.size() > 64) {
            throw new IllegalArgumentException("at most 64 conditions per matcher: " + conditions.size());
        }
        Map<String, long[]> bitsByPattern = new LinkedHashMap<>();
        Map<String, NamePattern> patterns = new LinkedHashMap<>();
        for (int c = 0; c < conditions.size(); c++) {
            for (NamePattern p : conditions.get(c)) {
                if (p.parts().size() > 3) {
                    throw new IllegalArgumentException("a table pattern has 1 to 3 parts: " + p.text());
                }
                bitsByPattern.computeIfAbsent(p.text(), k -> new long[1])[0] |= 1L << c;
                patterns.putIfAbsent(p.text(), p);
            }
        }
        long always = 0;
        PartIndex.Builder[] keyed = {null, new PartIndex.Builder(), new PartIndex.Builder(), new PartIndex.Builder()};
        GlobList.Builder[] suffixes = new GlobList.Builder[128];
        GlobList.Builder[] prefixes = new GlobList.Builder[128];
        GlobList.Builder others = new GlobList.Builder();
        List<DottedGlob> dotted = new ArrayList<>();
        List<Long> dottedBits = new ArrayList<>();
        for (Map.Entry<String, NamePattern> e : patterns.entrySet()) {
            DottedGlob glob = new DottedGlob(e.getValue());
            long bits = bitsByPattern.get(e.getKey())[0];
            int count = glob.partCount();
            if (glob.matchesEveryTable()) {
                always |= bits;
                continue;
            }
            int key = 0;
            for (int k = 1; k <= count && key == 0; k++) {
                if (glob.partFromRight(k).isExact()) {
                    key = k;
                }
            }
            if (key == 0) {
                NameGlob part = glob.partFromRight(1);
                String suffix = part.suffix();
                String prefix = part.prefix();
                if (count > 1) {
                    dotted.add(glob);
                    dottedBits.add(bits);
                } else if (!suffix.isEmpty() && suffix.charAt(suffix.length() - 1) < 128) {
                    builder(suffixes, suffix.charAt(suffix.length() - 1)).add(part, bits);
                } else if (!prefix.isEmpty() && prefix.charAt(0) < 128) {
                    builder(prefixes, prefix.charAt(0)).add(part, bits);
                } else {
                    others.add(part, bits); // only middles (*secret*), or non-ASCII ends
                }
                continue;
            }
            boolean othersAny = true;
            for (int k = 1; k <= count; k++) {
                if (k != key && !glob.partFromRight(k).isAny()) {
                    othersAny = false;
                }
            }
            String keyText = glob.partFromRight(key).text();
            if (othersAny) {
                keyed[key].addDirect(keyText, bits); // the other parts are *, which match anything, even nothing
            } else {
                keyed[key].addVerified(keyText, glob, bits);
            }
        }
        this.always = always;
        this.key1 = keyed[1].build();
        this.key2 = keyed[2].build();
        this.key3 = keyed[3].build();
        boolean anyDispatched = false;
        for (int c = 0; c < 128; c++) {
            if (suffixes[c] != null) {
                bySuffix[c] = suffixes[c].build(false);
                anyDispatched = true;
            }
            if (prefixes[c] != null) {
                byPrefix[c] = prefixes[c].build(false);
                anyDispatched = true;
            }
        }
        this.dispatched = anyDispatched;
        this.others = others.build(true);
        this.dotted = dotted.toArray(new DottedGlob[0]);
        this.dottedBits = new long[dottedBits.size()];
        this.dottedKey = new int[this.dotted.length];
        this.dottedMin = new int[this.dotted.length];
        this.dottedFirst = new int[this.dotted.length];
        for (int i = 0; i < this.dottedBits.length; i++) {
            this.dottedBits[i] = dottedBits.get(i);
            DottedGlob g = this.dotted[i];
            int k = 1;
            while (g.partFromRight(k).isAny()) {
                k++; // some part is not *: matchesEveryTable() globs are not here
            }
            NameGlob part = g.partFromRight(k);
            String prefix = part.prefix();
            dottedKey[i] = k;
            dottedMin[i] = part.minLength();
            dottedFirst[i] = prefix.isEmpty() || prefix.charAt(0) >= 128 ? -1 : prefix.charAt(0);
        }
    }

    private static GlobList.Builder builder(GlobList.Builder[] table, char c) {
        if (table[c] == null) {
            table[c] = new GlobList.Builder();
        }
        return table[c];
    }

    /** The bits of the conditions that {@code t} (parts joined by {@code .}, compared folded to lower case) matches. */
    public long matchBits(String t) {
        // One forward pass: where each of the last three parts starts, its folded hash and, when some glob
        // needs it, a mask of the last part's characters.
        boolean needMask = others != null;
        int len = t.length();
        int start = 0;
        int h = 0;
        long m = 0L;
        int n = 0;
        int s1 = 0;
        int s2 = 0;
        int s3 = 0;
        int h1 = 0;
        int h2 = 0;
        int h3 = 0;
        for (int i = 0; i < len; i++) {
            char c = t.charAt(i);
            if (c == '.') {
                s3 = s2;
                h3 = h2;
                s2 = s1;
                h2 = h1;
                s1 = start;
                h1 = h;
                n++;
                start = i + 1;
                h = 0;
                m = 0L;
            } else {
                c = Fold.lower(c);
                h = 31 * h + c;
                if (needMask) {
                    m |= 1L << (c & 63);
                }
            }
        }
        s3 = s2;
        h3 = h2;
        s2 = s1;
        h2 = h1;
        s1 = start;
        h1 = h;
        n = n >= 2 ? 3 : n + 1;
        return lookup(t, len, n, s1, s2, s3, h1, h2, h3, m);
    }

    /**
     * The bits of the conditions that match, given the table's parts: {@code n} (at most 3) parts, the last
     * three starting at {@code s1}, {@code s2}, {@code s3} (as in {@link DottedGlob#matchesTableParts}), their
     * folded hashes {@code h1..h3}, and the last part's character mask {@code m} (when {@code others} needs it).
     */
    private long lookup(String t, int len, int n, int s1, int s2, int s3, int h1, int h2, int h3, long m) {
        long bits = always;
        if (key1 != null) {
            bits |= key1.lookup(t, s1, len, h1, n, s1, s2, s3);
        }
        if (key2 != null && n >= 2) {
            bits |= key2.lookup(t, s2, s1 - 1, h2, n, s1, s2, s3);
        }
        if (key3 != null && n >= 3) {
            bits |= key3.lookup(t, s3, s2 - 1, h3, n, s1, s2, s3);
        }
        int lastLen = len - s1;
        if (lastLen > 0) {
            if (dispatched) {
                char last = Fold.lower(t.charAt(len - 1));
                GlobList g;
                if (last < 128 && (g = bySuffix[last]) != null && lastLen >= g.minLength) {
                    bits |= g.match(t, s1, len, -1L);
                }
                char first = Fold.lower(t.charAt(s1));
                if (first < 128 && (g = byPrefix[first]) != null && lastLen >= g.minLength) {
                    bits |= g.match(t, s1, len, -1L);
                }
            }
            GlobList o = others;
            if (o != null && lastLen >= o.minLength && (o.commonMask & ~m) == 0L) {
                bits |= o.match(t, s1, len, m);
            }
        }
        DottedGlob[] ds = dotted;
        for (int i = 0; i < ds.length; i++) {
            int k = dottedKey[i];
            if (k > n) {
                continue;
            }
            int from = k == 1 ? s1 : k == 2 ? s2 : s3;
            int to = k == 1 ? len : k == 2 ? s1 - 1 : s2 - 1;
            int f = dottedFirst[i];
            if (to - from < dottedMin[i] || (f >= 0 && (from == to || Fold.lower(t.charAt(from)) != f))) {
                continue;
            }
            if (ds[i].matchesTableParts(t, n, s1, s2, s3)) {
                bits |= dottedBits[i];
            }
        }
        return bits;
    }
}
