package io.agentid.policy.eval;

import java.util.ArrayList;
import java.util.List;

/**
 * A glob over free text (paths, model names) in which {@code *} is any run of characters, {@code /} and
 * {@code .} included: a prefix, a suffix and the literal segments between stars, matched left to right
 * (correct because {@code *} is the only wildcard). Case-sensitive, or folded to lower case. Allocates nothing.
 */
public final class TextGlob {
    private final String text;
    private final boolean star;
    private final boolean fold;
    private final String prefix;
    private final String suffix;
    private final String[] middles;
    private final int minLength;

    private TextGlob(String text, boolean fold) {
        this.text = text;
        this.fold = fold;
        int first = text.indexOf('*');
        this.star = first >= 0;
        if (!star) {
            prefix = text;
            suffix = "";
            middles = new String[0];
        } else {
            int last = text.lastIndexOf('*');
            prefix = text.substring(0, first);
            suffix = text.substring(last + 1);
            List<String> ms = new ArrayList<>();
            for (String seg : text.substring(first + 1, last + 1).split("\\*")) {
                if (!seg.isEmpty()) {
                    ms.add(seg);
                }
            }
            middles = ms.toArray(new String[0]);
        }
        int min = prefix.length() + suffix.length();
        for (String m : middles) {
            min += m.length();
        }
        this.minLength = min;
    }

    /** A glob compared exactly; {@code pattern} as written. */
    public static TextGlob caseSensitive(String pattern) {
        return new TextGlob(pattern, false);
    }

    /** A glob compared with both sides folded to lower case ({@link Fold#lower(char)}). */
    public static TextGlob caseInsensitive(String pattern) {
        return new TextGlob(Fold.lower(pattern), true);
    }

    public boolean matches(String s) {
        int n = s.length();
        if (!star) {
            return n == prefix.length() && region(s, 0, prefix);
        }
        if (n < minLength || !region(s, 0, prefix) || !region(s, n - suffix.length(), suffix)) {
            return false;
        }
        int pos = prefix.length();
        int end = n - suffix.length();
        for (String m : middles) {
            int at = indexOf(s, m, pos, end);
            if (at < 0) {
                return false;
            }
            pos = at + m.length();
        }
        return true;
    }

    private boolean region(String s, int from, String lit) {
        if (!fold) {
            return s.startsWith(lit, from);
        }
        for (int i = 0; i < lit.length(); i++) {
            if (Fold.lower(s.charAt(from + i)) != lit.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private int indexOf(String s, String lit, int from, int to) {
        for (int i = from, last = to - lit.length(); i <= last; i++) {
            if (region(s, i, lit)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public String toString() {
        return text;
    }
}
