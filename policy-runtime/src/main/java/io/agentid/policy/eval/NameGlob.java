package io.agentid.policy.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * One name part of a pattern ({@code payroll}, {@code hr_*}, {@code *_archive}, {@code a*b*c}) compiled to
 * a prefix, a suffix and the literal segments between stars (each a {@code char[]}); matching is a length
 * check, a prefix compare, a suffix compare and a left-to-right search for each middle segment (correct
 * because {@code *} is the only wildcard). Matches case-insensitively against a region of a string that
 * contains no {@code .}; allocates nothing.
 */
public final class NameGlob {
    private final String text;
    private final boolean star;
    private final boolean any;
    private final char[] prefix;
    private final char[] suffix;
    private final char[][] middles;
    private final int minLength;
    private final long charMask;

    private NameGlob(String text, boolean star, String prefix, String suffix, List<String> middles) {
        this.text = text;
        this.star = star;
        this.prefix = prefix.toCharArray();
        this.suffix = suffix.toCharArray();
        this.middles = new char[middles.size()][];
        int min = prefix.length() + suffix.length();
        for (int i = 0; i < this.middles.length; i++) {
            this.middles[i] = middles.get(i).toCharArray();
            min += this.middles[i].length;
        }
        this.any = star && min == 0;
        this.minLength = min;
        this.charMask = charMask(text);
    }

    /** The length of the literals: no shorter name can match. */
    int minLength() {
        return minLength;
    }

    /**
     * One bit ({@code c & 63}) per literal character: a name whose own mask lacks one of these bits cannot
     * match, which rejects most names with one AND.
     */
    long charMask() {
        return charMask;
    }

    /** One bit per character ({@code c & 63}) of {@code s}, ignoring {@code *}. */
    static long charMask(String s) {
        long m = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '*') {
                m |= 1L << (c & 63);
            }
        }
        return m;
    }

    /** Compiles one pattern part (no {@code .}); it is folded to lower case. */
    public static NameGlob compile(String part) {
        if (part.indexOf('.') >= 0) {
            throw new IllegalArgumentException("a name part cannot contain '.': " + part);
        }
        String lowered = Fold.lower(part);
        int firstStar = lowered.indexOf('*');
        if (firstStar < 0) {
            return new NameGlob(lowered, false, lowered, "", List.of());
        }
        int lastStar = lowered.lastIndexOf('*');
        List<String> middles = new ArrayList<>();
        for (String seg : lowered.substring(firstStar + 1, lastStar + 1).split("\\*")) {
            if (!seg.isEmpty()) {
                middles.add(seg);
            }
        }
        return new NameGlob(lowered, true, lowered.substring(0, firstStar), lowered.substring(lastStar + 1), middles);
    }

    /** True when the part has no {@code *}: it matches exactly {@link #text()}. */
    public boolean isExact() {
        return !star;
    }

    /** The part as compiled, lower case. */
    public String text() {
        return text;
    }

    /** True for {@code *}: matches every part, and stands for a part the name does not have. */
    public boolean isAny() {
        return any;
    }

    /** The literal before the first {@code *} (the whole text when exact), lower case. */
    String prefix() {
        return new String(prefix);
    }

    /** The literal after the last {@code *} (empty when exact), lower case. */
    String suffix() {
        return new String(suffix);
    }

    /** Whether {@code s[from, to)} matches; the region must not contain {@code .}. */
    public boolean matches(String s, int from, int to) {
        int len = to - from;
        char[] p = prefix;
        if (!star) {
            return len == p.length && Fold.regionEqualsLower(s, from, p);
        }
        if (len < minLength) {
            return false;
        }
        if (any) {
            return true;
        }
        if (p.length > 0 && !Fold.regionEqualsLower(s, from, p)) {
            return false;
        }
        char[] x = suffix;
        int end = to - x.length;
        if (x.length > 0 && !Fold.regionEqualsLower(s, end, x)) {
            return false;
        }
        char[][] ms = middles;
        int pos = from + p.length;
        for (int i = 0; i < ms.length; i++) {
            int at = Fold.indexOfLower(s, ms[i], pos, end);
            if (at < 0) {
                return false;
            }
            pos = at + ms[i].length;
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
