package io.agentid.policy.eval;

/**
 * Case folding without allocation, one {@code char} at a time. Compile time and run time both fold through
 * these methods, so a pattern folded when the policy is compiled compares equal to a name folded while
 * deciding. ASCII takes a branch-only fast path.
 */
public final class Fold {
    private Fold() {}

    public static char lower(char c) {
        if (c < 128) {
            return c >= 'A' && c <= 'Z' ? (char) (c + 32) : c;
        }
        return Character.toLowerCase(c);
    }

    public static char upper(char c) {
        if (c < 128) {
            return c >= 'a' && c <= 'z' ? (char) (c - 32) : c;
        }
        return Character.toUpperCase(c);
    }

    /** {@code s} folded to lower case char by char (allocates; compile time and reference evaluator only). */
    public static String lower(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = lower(s.charAt(i));
        }
        return new String(out);
    }

    /** {@code s} folded to upper case char by char (allocates; compile time and reference evaluator only). */
    public static String upper(String s) {
        char[] out = new char[s.length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = upper(s.charAt(i));
        }
        return new String(out);
    }

    /** The hash of {@code s[from, to)} folded to lower case; equal to {@code lowerKey.hashCode()} when they match. */
    static int hashLower(String s, int from, int to) {
        int h = 0;
        for (int i = from; i < to; i++) {
            h = 31 * h + lower(s.charAt(i));
        }
        return h;
    }

    /** The hash of {@code s} folded to upper case; equal to {@code upperKey.hashCode()} when they match. */
    static int hashUpper(String s) {
        int h = 0;
        for (int i = 0, n = s.length(); i < n; i++) {
            h = 31 * h + upper(s.charAt(i));
        }
        return h;
    }

    /**
     * Whether {@code s[from, from + lowerKey.length)}, folded to lower case, equals {@code lowerKey}; the
     * caller checks bounds. The hot-path form: the literal is a {@code char[]}, so only the subject pays for
     * {@code String.charAt}.
     */
    static boolean regionEqualsLower(String s, int from, char[] lowerKey) {
        for (int i = 0; i < lowerKey.length; i++) {
            if (lower(s.charAt(from + i)) != lowerKey[i]) {
                return false;
            }
        }
        return true;
    }

    /** The first index in {@code [from, to - lowerKey.length]} where {@code lowerKey} (non-empty) occurs, folded, or -1. */
    static int indexOfLower(String s, char[] lowerKey, int from, int to) {
        int last = to - lowerKey.length;
        char first = lowerKey[0];
        for (int i = from; i <= last; i++) {
            if (lower(s.charAt(i)) == first && regionEqualsLower(s, i, lowerKey)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether {@code s}, folded to upper case, equals {@code upperKey}. */
    static boolean equalsUpper(String s, String upperKey) {
        int n = upperKey.length();
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (upper(s.charAt(i)) != upperKey.charAt(i)) {
                return false;
            }
        }
        return true;
    }
}
