package io.agentid.genai;

/**
 * A hand-written equivalent of o200k_base's pre-tokenisation regex as jtokkit 1.1.0 compiles it (with
 * {@code UNICODE_CHARACTER_CLASS}):
 *
 * <pre>
 * [^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]*[\p{Ll}\p{Lm}\p{Lo}\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * |[^\r\n\p{L}\p{N}]?[\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]+[\p{Ll}\p{Lm}\p{Lo}\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?
 * |\p{N}{1,3}
 * | ?[^\s\p{L}\p{N}]+[\r\n/]*
 * |\s*[\r\n]+
 * |\s+(?!\S)
 * |\s+
 * </pre>
 *
 * Each alternative's backtracking is resolved in closed form (see the comments in {@link #next}); the pieces are
 * the same as {@code Matcher.find()}'s, which {@code O200kSplitterTest} checks against the regex and against
 * jtokkit's own o200k_base counts. Works on code points, as {@code java.util.regex} does; a lone surrogate is a
 * code point of type {@code SURROGATE}.
 */
final class O200kSplitter {
    private O200kSplitter() {
    }

    // Classes of a code point, as bits.
    static final int UPPER = 1;      // [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
    static final int LOWER = 2;      // [\p{Ll}\p{Lm}\p{Lo}\p{M}]
    static final int LETTER = 4;     // \p{L}
    static final int NUMBER = 8;     // \p{N}
    static final int SPACE = 16;     // \s (Unicode White_Space, as UNICODE_CHARACTER_CLASS defines it)
    static final int NEWLINE = 32;   // [\r\n]

    static final byte[] ASCII = new byte[128];

    static {
        for (int c = 0; c < 128; c++) {
            ASCII[c] = (byte) classify(c);
        }
    }

    static int classOf(int cp) {
        return cp < 128 ? ASCII[cp] : classify(cp);
    }

    private static int classify(int cp) {
        int type = Character.getType(cp);
        int bits = 0;
        switch (type) {
            case Character.UPPERCASE_LETTER:
            case Character.TITLECASE_LETTER:
                bits = UPPER | LETTER;
                break;
            case Character.LOWERCASE_LETTER:
                bits = LOWER | LETTER;
                break;
            case Character.MODIFIER_LETTER:
            case Character.OTHER_LETTER:
                bits = UPPER | LOWER | LETTER;
                break;
            case Character.NON_SPACING_MARK:
            case Character.ENCLOSING_MARK:
            case Character.COMBINING_SPACING_MARK:
                bits = UPPER | LOWER;
                break;
            case Character.DECIMAL_DIGIT_NUMBER:
            case Character.LETTER_NUMBER:
            case Character.OTHER_NUMBER:
                bits = NUMBER;
                break;
            case Character.SPACE_SEPARATOR:
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
                bits = SPACE;
                break;
            default:
                break;
        }
        if ((cp >= 0x9 && cp <= 0xd) || cp == 0x85) {
            bits |= SPACE;
        }
        if (cp == '\r' || cp == '\n') {
            bits |= NEWLINE;
        }
        return bits;
    }

    /** [^\r\n\p{L}\p{N}] */
    private static boolean isPrefix(int bits) {
        return (bits & (NEWLINE | LETTER | NUMBER)) == 0;
    }

    /** [^\s\p{L}\p{N}] */
    private static boolean isSymbol(int bits) {
        return (bits & (SPACE | LETTER | NUMBER)) == 0;
    }

    private static int bitsAt(String s, int i) {
        char c = s.charAt(i);
        return c < 128 ? ASCII[c] : classOf(s.codePointAt(i));
    }

    private static int after(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) ? i + Character.charCount(s.codePointAt(i)) : i + 1;
    }

    /** The end of the piece that starts at {@code start} ({@code start < s.length()}). */
    static int next(String s, int start) {
        int len = s.length();
        int first = bitsAt(s, start);
        int second = after(s, start);
        // Alternative 1, with the optional prefix taken, then without it; then alternative 2 the same way.
        if (isPrefix(first) && second < len) {
            int end = letters1(s, second, len);
            if (end >= 0) {
                return contraction(s, end, len);
            }
        }
        int end = letters1(s, start, len);
        if (end >= 0) {
            return contraction(s, end, len);
        }
        if (isPrefix(first) && second < len && (bitsAt(s, second) & UPPER) != 0) {
            return contraction(s, letters2(s, second, len), len);
        }
        if ((first & UPPER) != 0) {
            return contraction(s, letters2(s, start, len), len);
        }
        // Alternative 3: \p{N}{1,3}
        if ((first & NUMBER) != 0) {
            int i = second;
            for (int n = 1; n < 3 && i < len && (bitsAt(s, i) & NUMBER) != 0; n++) {
                i = after(s, i);
            }
            return i;
        }
        // Alternative 4: ' ?[^\s\p{L}\p{N}]+[\r\n/]*'
        int symbolStart = -1;
        if (s.charAt(start) == ' ' && second < len && isSymbol(bitsAt(s, second))) {
            symbolStart = second;
        } else if (isSymbol(first)) {
            symbolStart = start;
        }
        if (symbolStart >= 0) {
            int i = symbolStart;
            while (i < len && isSymbol(bitsAt(s, i))) {
                i = after(s, i);
            }
            while (i < len) {
                char c = s.charAt(i);
                if (c != '\r' && c != '\n' && c != '/') {
                    break;
                }
                i++;
            }
            return i;
        }
        // Here the first code point is white space. The maximal run of it, and the last [\r\n] in it.
        int i = start;
        int lastNewline = -1;
        int lastStart = start;
        while (i < len) {
            int bits = bitsAt(s, i);
            if ((bits & SPACE) == 0) {
                break;
            }
            if ((bits & NEWLINE) != 0) {
                lastNewline = i;
            }
            lastStart = i;
            i = after(s, i);
        }
        // Alternative 5: \s*[\r\n]+ backs \s* off to the last newline of the run; [\r\n]+ then takes just it.
        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        // Alternative 6: \s+(?!\S) takes the whole run at the end of the text, else all but its last code point.
        if (i == len) {
            return i;
        }
        if (lastStart > start) {
            return lastStart;
        }
        // Alternative 7: \s+, a single white space code point before a non-space.
        return i;
    }

    /**
     * Alternative 1's {@code [UPPER]*[LOWER]+} from {@code j}: the end, or -1 if it cannot match. {@code [UPPER]*}
     * takes its maximal run; if no LOWER follows, it backs off to the last LOWER code point inside the run, and
     * {@code [LOWER]+} takes just that one (the next one is not LOWER).
     */
    private static int letters1(String s, int j, int len) {
        int i = j;
        int lastLower = -1;
        while (i < len) {
            int bits = bitsAt(s, i);
            if ((bits & UPPER) == 0) {
                break;
            }
            if ((bits & LOWER) != 0) {
                lastLower = i;
            }
            i = after(s, i);
        }
        if (i < len && (bitsAt(s, i) & LOWER) != 0) {
            i = after(s, i);
            while (i < len && (bitsAt(s, i) & LOWER) != 0) {
                i = after(s, i);
            }
            return i;
        }
        return lastLower >= 0 ? after(s, lastLower) : -1;
    }

    /** Alternative 2's {@code [UPPER]+[LOWER]*} from {@code j}, where the code point at {@code j} is UPPER. */
    private static int letters2(String s, int j, int len) {
        int i = j;
        while (i < len && (bitsAt(s, i) & UPPER) != 0) {
            i = after(s, i);
        }
        while (i < len && (bitsAt(s, i) & LOWER) != 0) {
            i = after(s, i);
        }
        return i;
    }

    /** {@code (?i:'s|'t|'re|'ve|'m|'ll|'d)?} at {@code i}: the end. */
    private static int contraction(String s, int i, int len) {
        if (i + 1 >= len || s.charAt(i) != '\'') {
            return i;
        }
        char c = s.charAt(i + 1);
        if (is(c, 's') || is(c, 't') || is(c, 'm') || is(c, 'd')) {
            return i + 2;
        }
        if (i + 2 < len) {
            char d = s.charAt(i + 2);
            if ((is(c, 'r') || is(c, 'v')) && is(d, 'e') || is(c, 'l') && is(d, 'l')) {
                return i + 3;
            }
        }
        return i;
    }

    /** Case-insensitive match of one char, as java.util.regex does with UNICODE_CASE (so 'ſ' matches 's'). */
    private static boolean is(char c, char lower) {
        return c == lower || Character.toLowerCase(Character.toUpperCase(c)) == lower;
    }
}
