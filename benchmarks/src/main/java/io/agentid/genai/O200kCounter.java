package io.agentid.genai;

import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.GptBytePairEncodingParams;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * <b>Benchmark baseline only</b> (moved here from genai, which now counts with {@link BpeCounter}): the o200k_base
 * counter genai used before, kept so that {@code PricingBenchmark} can compare old and new in one run.
 *
 * <p>Exact o200k_base token counts, the same as jtokkit's {@code countTokensOrdinary}, without its
 * {@code java.util.regex} pre-tokenisation: {@link O200kSplitter} cuts the text into the regex's pieces, and each
 * piece goes through jtokkit's byte pair encoder. jtokkit does not expose per-piece encoding, so the o200k_base
 * ranks (read from jtokkit's own resource) are registered as a custom encoding whose pattern takes the whole
 * input as one piece. jtokkit's built-in o200k_base encoding is then never loaded, so the vocabulary is parsed
 * once, as before.
 */
final class O200kCounter {
    static final String RANKS = "/com/knuddels/jtokkit/o200k_base.tiktoken";
    private static final String NAME = "agentid-o200k_base-pieces";

    /** Pieces longer than this are not cached (rare in text: long runs of white space, digits or symbols). */
    static final int MAX_CACHED_LENGTH = 24;
    static final int CACHE_SLOTS = 4096;

    /** A piece and its token count; immutable, so safe to publish through the racy cache array. */
    private static final class Entry {
        final String piece;
        final int hash;
        final int tokens;

        Entry(String piece, int hash, int tokens) {
            this.piece = piece;
            this.hash = hash;
            this.tokens = tokens;
        }
    }

    private final Encoding pieces;
    /**
     * A direct-mapped cache of the pure function piece → token count. Racy by design: a slot is overwritten by
     * whichever thread writes last, and a reader sees either a complete entry (final fields) or another one,
     * whose piece it compares before use. Bounded: {@value #CACHE_SLOTS} entries of at most
     * {@value #MAX_CACHED_LENGTH} chars, about 300 KB when full.
     */
    private volatile Entry[] cache = new Entry[CACHE_SLOTS];

    O200kCounter(EncodingRegistry registry) {
        Map<byte[], Integer> ranks = loadRanks();
        registry.registerGptBytePairEncoding(
                new GptBytePairEncodingParams(NAME, Pattern.compile("(?s).+"), ranks, Map.of()));
        this.pieces = registry.getEncoding(NAME).orElseThrow();
    }

    int count(String text) {
        int tokens = 0;
        int len = text.length();
        Entry[] slots = cache;
        for (int start = 0; start < len; ) {
            int end = O200kSplitter.next(text, start);
            int n = end - start;
            if (n > MAX_CACHED_LENGTH) {
                tokens += pieces.countTokensOrdinary(text.substring(start, end));
            } else {
                int h = 0;
                for (int i = start; i < end; i++) {
                    h = 31 * h + text.charAt(i);
                }
                int slot = (h ^ (h >>> 13)) & (CACHE_SLOTS - 1);
                Entry e = slots[slot];
                if (e != null && e.hash == h && e.piece.length() == n && text.regionMatches(start, e.piece, 0, n)) {
                    tokens += e.tokens;
                } else {
                    String piece = text.substring(start, end);
                    int count = pieces.countTokensOrdinary(piece);
                    slots[slot] = new Entry(piece, h, count);
                    tokens += count;
                }
            }
            start = end;
        }
        return tokens;
    }

    /** Forgets the cached piece counts. */
    void clearCache() {
        cache = new Entry[CACHE_SLOTS];
    }

    private static Map<byte[], Integer> loadRanks() {
        Map<byte[], Integer> ranks = new HashMap<>(400_000);
        Base64.Decoder base64 = Base64.getDecoder();
        try (InputStream in = Encoding.class.getResourceAsStream(RANKS)) {
            if (in == null) {
                throw new IllegalStateException("jtokkit resource " + RANKS + " not found");
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1), 1 << 16);
            for (String line; (line = r.readLine()) != null; ) {
                int space = line.indexOf(' ');
                if (space <= 0) {
                    continue;
                }
                ranks.put(base64.decode(line.substring(0, space)), Integer.parseInt(line, space + 1, line.length(), 10));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading jtokkit resource " + RANKS, e);
        }
        return ranks;
    }
}
