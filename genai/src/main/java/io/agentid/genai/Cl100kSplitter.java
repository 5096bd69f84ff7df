package io.agentid.genai;

import static io.agentid.genai.O200kSplitter.LETTER;
import static io.agentid.genai.O200kSplitter.NEWLINE;
import static io.agentid.genai.O200kSplitter.NUMBER;
import static io.agentid.genai.O200kSplitter.SPACE;

/**
 * cl100k_base's pre-tokenisation, one piece at a time: the pieces of
 *
 * <pre>
 * '(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]++[\r\n]*|\s*[\r\n]|\s+(?!\S)|\s+
 * </pre>
 *
 * as jtokkit 1.1.0 cuts them (its cl100k_base encoding uses no regex but a hand-written parser,
 * {@code Cl100kParser}, which {@code Cl100kSplitterTest} compares this with piece by piece, and with the regex).
 * The contraction's case-insensitive letters are jtokkit's: {@code sdtmSDTMſ}, and for the two-letter ones those
 * whose {@link Character#toUpperCase(int)} is {@code LL}, {@code VE} or {@code RE}. Works on code points; a lone
 * surrogate is neither letter, number nor space.
 */
final class Cl100kSplitter {
    private Cl100kSplitter() {
    }

    private static int bitsAt(String s, int i) {
        char c = s.charAt(i);
        return c < 128 ? O200kSplitter.ASCII[c] : O200kSplitter.classOf(s.codePointAt(i));
    }

    private static int after(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) ? i + Character.charCount(s.codePointAt(i)) : i + 1;
    }

    /** [^\s\p{L}\p{N}] */
    private static boolean isSymbol(int bits) {
        return (bits & (SPACE | LETTER | NUMBER)) == 0;
    }

    /** The end of the piece that starts at {@code start} ({@code start < s.length()}). */
    static int next(String s, int start) {
        int len = s.length();
        char c0 = s.charAt(start);
        // 1) '(?i:[sdmt]|ll|ve|re)
        if (c0 == '\'' && start + 1 < len) {
            int c1 = s.codePointAt(start + 1);
            if ("sdtmSDTM\u017f".indexOf(c1) >= 0) {
                return start + 2;
            }
            if (start + 2 < len && isLong(c1, s.codePointAt(start + 2))) {
                return start + 3;
            }
        }
        int first = bitsAt(s, start);
        int second = after(s, start);
        int secondBits = second < len ? bitsAt(s, second) : -1;
        // 2) [^\r\n\p{L}\p{N}]?+\p{L}+
        boolean prefix = (first & (NEWLINE | LETTER | NUMBER)) == 0;
        if ((first & LETTER) != 0 || prefix && secondBits >= 0 && (secondBits & LETTER) != 0) {
            int i = second;
            while (i < len && (bitsAt(s, i) & LETTER) != 0) {
                i = after(s, i);
            }
            return i;
        }
        // 3) \p{N}{1,3}
        if ((first & NUMBER) != 0) {
            int i = second;
            for (int n = 1; n < 3 && i < len && (bitsAt(s, i) & NUMBER) != 0; n++) {
                i = after(s, i);
            }
            return i;
        }
        // 4) ' ?[^\s\p{L}\p{N}]++[\r\n]*'
        int symbolStart = -1;
        if (isSymbol(first)) {
            symbolStart = start;
        } else if (c0 == ' ' && secondBits >= 0 && isSymbol(secondBits)) {
            symbolStart = second;
        }
        if (symbolStart >= 0) {
            int i = symbolStart;
            while (i < len && isSymbol(bitsAt(s, i))) {
                i = after(s, i);
            }
            while (i < len && (s.charAt(i) == '\r' || s.charAt(i) == '\n')) {
                i++;
            }
            return i;
        }
        // White space: its maximal run and the last [\r\n] in it.
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
        // 5) \s*[\r\n]: up to the run's last newline.
        if (lastNewline >= 0) {
            return lastNewline + 1;
        }
        // 6) \s+(?!\S): the whole run at the end of the text, else all but its last code point; 7) \s+
        if (i == len || lastStart == start) {
            return i;
        }
        return lastStart;
    }

    private static boolean isLong(int c1, int c2) {
        int u1 = Character.toUpperCase(c1);
        int u2 = Character.toUpperCase(c2);
        return u1 == 'L' && u2 == 'L' || u1 == 'V' && u2 == 'E' || u1 == 'R' && u2 == 'E';
    }
}
