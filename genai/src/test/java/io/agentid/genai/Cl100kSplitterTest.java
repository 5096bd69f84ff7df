package io.agentid.genai;

import static io.agentid.genai.O200kSplitterTest.escape;
import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.JtokkitPieces;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential tests for cl100k_base: {@link Cl100kSplitter}'s pieces against jtokkit 1.1.0's own cl100k_base
 * pre-tokeniser ({@code Cl100kParser}, which its encoding uses instead of a regex) byte for byte, and
 * {@link BpeCounter}'s counts against jtokkit's cl100k_base {@code countTokensOrdinary}, on the o200k tests'
 * samples and on tens of thousands of seeded random strings. Zero differences allowed.
 */
class Cl100kSplitterTest {
    /** tiktoken's cl100k_base pattern, which jtokkit's parser implements by hand; a second, independent check. */
    static final Pattern PATTERN = Pattern.compile("'(?i:[sdmt]|ll|ve|re)|[^\\r\\n\\p{L}\\p{N}]?+\\p{L}+"
            + "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]++[\\r\\n]*|\\s*[\\r\\n]|\\s+(?!\\S)|\\s+", Pattern.UNICODE_CHARACTER_CLASS);

    static Encoding reference;
    static BpeCounter counter;

    @BeforeAll
    static void load() {
        JtokkitPieces.init();
        reference = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.CL100K_BASE);
        counter = BpeCounter.cl100k();
    }

    @Test
    void samples() {
        for (String s : O200kSplitterTest.SAMPLES) {
            check(s);
        }
        for (String s : new String[] {"'S 'LL 'Ve 'rE 'ſ 'm'd't x'sy", "''s '' 's", "don't DON'T You'RE", "\n\n  \n x",
                "a\r\n\r\n\tb", "  \u00a0x", "\u3000\u3000y", "1234567890", "???\n\n", " ???\r\n x"}) {
            check(s);
        }
    }

    @Test
    void loneSurrogatesAreEncodedAsJtokkitDoes() {
        // jtokkit's cl100k_base writes a lone surrogate as three bytes (not as '?', as o200k_base's getBytes does):
        // the counts differ from the '?' encoding, so this fails if BpeCounter picks the wrong one.
        for (String s : new String[] {"\ud800", "a\udc00b", "x\ud83d", "\udbff\udbff", "!\ud800!"}) {
            check(s);
        }
    }

    @Test
    void randomMixedStrings() {
        Random random = new Random(20261202L);
        int[][] pools = O200kSplitterTest.pools();
        for (int n = 0; n < 20_000; n++) {
            int length = random.nextInt(n < 10_000 ? 12 : 60);
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < length; i++) {
                int[] pool = pools[random.nextInt(pools.length)];
                b.appendCodePoint(pool[random.nextInt(pool.length)]);
            }
            check(b.toString());
        }
    }

    @Test
    void randomCodePoints() {
        Random random = new Random(8L);
        for (int n = 0; n < 5_000; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(20);
            for (int i = 0; i < length; i++) {
                int cp = random.nextInt(4) == 0 ? random.nextInt(0x110000) : random.nextInt(0x3000);
                b.appendCodePoint(cp);
            }
            check(b.toString());
        }
    }

    @Test
    void randomWordsAndCode() {
        for (String s : O200kSplitterTest.wordsAndCode(new Random(43L), 5_000)) {
            check(s);
        }
    }

    @Test
    void longPieces() {
        for (String s : O200kSplitterTest.longPieces(new Random(11L), 300)) {
            check(s);
        }
    }

    static void check(String s) {
        // Compare first, describe only on failure: escaping every input would cost more than the comparison.
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < s.length(); ) {
            int end = Cl100kSplitter.next(s, start);
            if (end <= start) {
                assertThat(end).as("progress in %s", escape(s)).isGreaterThan(start);
            }
            pieces.add(s.substring(start, end));
            start = end;
        }
        List<byte[]> expected = JtokkitPieces.cl100k(s);
        boolean same = pieces.size() == expected.size();
        for (int i = 0; same && i < pieces.size(); i++) {
            same = java.util.Arrays.equals(jtokkitUtf8(pieces.get(i)), expected.get(i));
        }
        if (!same) {
            List<String> jtokkit = new ArrayList<>();
            expected.forEach(b -> jtokkit.add(escape(new String(b, StandardCharsets.UTF_8))));
            List<String> ours = new ArrayList<>();
            pieces.forEach(p -> ours.add(escape(p)));
            assertThat(ours).as("pieces of %s", escape(s)).isEqualTo(jtokkit);
        }
        if (!hasLoneSurrogate(s)) {
            List<String> regex = regexSplit(s);
            if (!pieces.equals(regex)) {
                assertThat(pieces).as("regex pieces of %s", escape(s)).isEqualTo(regex);
            }
        }
        int count = counter.count(s);
        int expectedCount = reference.countTokensOrdinary(s);
        if (count != expectedCount) {
            assertThat(count).as("count of %s", escape(s)).isEqualTo(expectedCount);
        }
    }

    /** UTF-8 as jtokkit's Cl100kParser writes it: a lone surrogate as its three-byte form. */
    static byte[] jtokkitUtf8(String s) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        s.codePoints().forEach(cp -> {
            if (Character.isSurrogate((char) cp) && cp < 0x10000) {
                out.write(0xe0 | (cp >> 12));
                out.write(0x80 | ((cp >> 6) & 0x3f));
                out.write(0x80 | (cp & 0x3f));
            } else {
                byte[] b = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                out.write(b, 0, b.length);
            }
        });
        return out.toByteArray();
    }

    static boolean hasLoneSurrogate(String s) {
        return s.codePoints().anyMatch(cp -> cp < 0x10000 && Character.isSurrogate((char) cp));
    }

    static List<String> regexSplit(String s) {
        List<String> pieces = new ArrayList<>();
        Matcher m = PATTERN.matcher(s);
        while (m.find()) {
            pieces.add(m.group());
        }
        return pieces;
    }
}
