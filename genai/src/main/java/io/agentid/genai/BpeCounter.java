package io.agentid.genai;

/**
 * Exact token counts for one OpenAI encoding, the same as jtokkit's {@code countTokensOrdinary}: a hand-written
 * pre-tokeniser ({@link O200kSplitter} or {@link Cl100kSplitter}) cuts the text into pieces, each piece is
 * encoded to UTF-8 in a per-call buffer and counted by {@link Vocabulary#count} (one hash lookup when the whole
 * piece is a token, as most are; else the byte pair merge). Nothing is allocated per piece and nothing is cached.
 *
 * <p>The UTF-8 of a lone surrogate follows jtokkit for each encoding: o200k_base pieces go through
 * {@code String.getBytes(UTF_8)}, which writes {@code ?}; jtokkit's cl100k_base parser writes the surrogate's
 * three-byte form. Thread-safe.
 */
final class BpeCounter {
    static final String O200K = "/com/knuddels/jtokkit/o200k_base.tiktoken";
    static final String CL100K = "/com/knuddels/jtokkit/cl100k_base.tiktoken";

    private final Vocabulary vocabulary;
    private final boolean o200k;

    private BpeCounter(Vocabulary vocabulary, boolean o200k) {
        this.vocabulary = vocabulary;
        this.o200k = o200k;
    }

    static BpeCounter o200k() {
        return new BpeCounter(Vocabulary.load(O200K), true);
    }

    static BpeCounter cl100k() {
        return new BpeCounter(Vocabulary.load(CL100K), false);
    }

    int count(String text) {
        int len = text.length();
        byte[] buf = new byte[Math.min(4 * len, 256)];
        Vocabulary.Scratch scratch = null;
        int tokens = 0;
        for (int start = 0; start < len; ) {
            int end = o200k ? O200kSplitter.next(text, start) : Cl100kSplitter.next(text, start);
            int chars = end - start;
            if (chars <= Vocabulary.SHORT) {
                // Most pieces: a few ASCII chars, one token. Their key straight from the chars, no UTF-8 buffer.
                long key = (long) chars << 56;
                int i = 0;
                for (char c; i < chars && (c = text.charAt(start + i)) < 0x80; i++) {
                    key |= (long) c << (8 * i);
                }
                if (i == chars && (chars == 1 && vocabulary.allBytes || vocabulary.shortRank(key) != Vocabulary.NONE)) {
                    tokens++;
                    start = end;
                    continue;
                }
            }
            if (buf.length < 3 * (end - start)) {
                buf = new byte[Math.max(3 * (end - start), 2 * buf.length)];
            }
            int n = utf8(text, start, end, buf);
            if (n <= Vocabulary.SHORT) {
                if (n == 1 && vocabulary.allBytes
                        || vocabulary.shortRank(Vocabulary.key(buf, 0, n)) != Vocabulary.NONE) {
                    tokens++;
                    start = end;
                    continue;
                }
                if (scratch == null) {
                    scratch = new Vocabulary.Scratch();
                }
                tokens += vocabulary.merge(buf, 0, n, scratch);
            } else {
                if (scratch == null) {
                    scratch = new Vocabulary.Scratch();
                }
                tokens += vocabulary.count(buf, 0, n, scratch);
            }
            start = end;
        }
        return tokens;
    }

    /** The UTF-8 of {@code s[start, end)} into {@code buf}; its length (at most 3 bytes per char). */
    private int utf8(String s, int start, int end, byte[] buf) {
        int p = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                buf[p++] = (byte) c;
            } else if (c < 0x800) {
                buf[p++] = (byte) (0xc0 | (c >> 6));
                buf[p++] = (byte) (0x80 | (c & 0x3f));
            } else if (Character.isSurrogate(c)) {
                if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(s.charAt(i + 1))) {
                    int cp = Character.toCodePoint(c, s.charAt(++i));
                    buf[p++] = (byte) (0xf0 | (cp >> 18));
                    buf[p++] = (byte) (0x80 | ((cp >> 12) & 0x3f));
                    buf[p++] = (byte) (0x80 | ((cp >> 6) & 0x3f));
                    buf[p++] = (byte) (0x80 | (cp & 0x3f));
                } else if (o200k) {
                    buf[p++] = '?';
                } else {
                    p = three(c, buf, p);
                }
            } else {
                p = three(c, buf, p);
            }
        }
        return p;
    }

    private static int three(char c, byte[] buf, int p) {
        buf[p++] = (byte) (0xe0 | (c >> 12));
        buf[p++] = (byte) (0x80 | ((c >> 6) & 0x3f));
        buf[p++] = (byte) (0x80 | (c & 0x3f));
        return p;
    }
}
