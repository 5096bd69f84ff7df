package io.agentid.genai;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Differential tests: {@link O200kSplitter}'s pieces against the o200k_base regex compiled as jtokkit 1.1.0
 * compiles it, and {@link BpeCounter}'s counts against jtokkit's own o200k_base {@code countTokensOrdinary},
 * on fixed samples and on thousands of seeded random strings of mixed character classes. Zero differences allowed.
 */
class O200kSplitterTest {
    /** o200k_base's pattern, as jtokkit 1.1.0's EncodingFactory joins it (checked in {@link #patternIsJtokkits}). */
    static final String REGEX = String.join("|",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?",
            "\\p{N}{1,3}",
            " ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*",
            "\\s*[\\r\\n]+",
            "\\s+(?!\\S)",
            "\\s+");
    static final Pattern PATTERN = Pattern.compile(REGEX, Pattern.UNICODE_CHARACTER_CLASS);

    static Encoding reference;
    static BpeCounter counter;

    @BeforeAll
    static void load() {
        com.knuddels.jtokkit.JtokkitPieces.init();
        reference = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
        counter = BpeCounter.o200k();
    }

    static final String[] SAMPLES = {
        "", " ", "  ", "\n", "\r\n", " \r\n \r\n  x", "a", "Hello, world!", "  leading and trailing  ",
        "I'm sure they'll say it's fine, we've done what we'd said. YOU'RE RIGHT, I'M SURE THEY'LL. It'S", "'s 're'",
        "don'T Don'T DON'T", "the ſ test: it'ſ", "HTTPServer parseJSON XMLHttpRequest iPhone McDonald's",
        "1234567 12.5% 3,000,000 ٣٤٥٦ ²³ ⅫⅩ", "foo//bar/\n\r\n//", "  \t\t\n\n   x\u00a0\u00a0y\u2028z\u3000w ",
        "public static void main(String[] args) {\n    System.out.println(\"hi\");\r\n}\n",
        "def f(x):\n\treturn x**2  # square\n\n\n", "日本語のテキストと中文文本。한국어 텍스트", "emoji 😀👍🏽 👨‍👩‍👧 🇩🇪!",
        "e\u0301 cafe\u0301 \u0301\u0301x !\u0301a \u20dd", "ǅungla ǈ ǋ ᾈ", "ʰʲ ʼn", "\ud800 lone \udc00 x\ud83d",
        "tab\tseparated\tvalues\t\n", "{\"status\": \"LABEL_CREATED\", \"events\": []}", "....!!!???   ---",
        "   \n", "x   ", "a \u0085b", "\u000b\u000c\u001c\u001d\u001e\u001f", "<|endoftext|> <|im_start|>",
    };

    @Test
    void patternIsJtokkits() throws Exception {
        // jtokkit keeps the compiled pattern in a private field of its encoding; read it to be sure the regex
        // this test compares against is exactly the one jtokkit uses, with the same flags.
        java.lang.reflect.Field field = reference.getClass().getDeclaredField("pattern");
        field.setAccessible(true);
        Pattern actual = (Pattern) field.get(reference);
        assertThat(actual.pattern()).isEqualTo(REGEX);
        assertThat(actual.flags()).isEqualTo(PATTERN.flags());
    }

    @Test
    void samples() {
        for (String s : SAMPLES) {
            check(s);
        }
    }

    @Test
    void randomMixedStrings() {
        Random random = new Random(20261201L);
        int[][] pools = pools();
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
        Random random = new Random(7L);
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
        for (String s : wordsAndCode(new Random(42L), 5_000)) {
            check(s);
        }
    }

    @Test
    void longPieces() {
        for (String s : longPieces(new Random(10L), 300)) {
            check(s);
        }
    }

    /** Random prose and code: words, contractions in both cases, numbers, symbols, several scripts, varied gaps. */
    static List<String> wordsAndCode(Random random, int count) {
        String[] words = ("The quick brown fox jumps over the lazy dog . , ; : ! ? ' \" ( ) [ ] { } < > = == => -> "
                + "+= // /* */ # $ % & * @ \\ | ~ ^ ` I'm you're he's we've they'll I'd can't DON'T WON'T She'S "
                + "THEY'LL We'VE YOU'RE it'ſ 's 'LL "
                + "return if else for while int String 0 1 42 3.14 1000000 2026-12-01 10:31 USD EUR café naïve "
                + "Über straße ÆØÅ Ελληνικά русский Москва עברית العربية هذا هي हिन्दी ไทย 中文 日本 한국 😀 🚀 ✓ → … — – "
                + "HTTPServer getHTTPResponseCode snake_case kebab-case CamelCase iOS eBay").split(" ");
        String[] gaps = {" ", " ", " ", "", "\n", "\r\n", "  ", "\t", "\n\n", "   \n", " \r\n ", "\u00a0", "/",
            "\r\n\r\n", "    "};
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            StringBuilder b = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                b.append(words[random.nextInt(words.length)]).append(gaps[random.nextInt(gaps.length)]);
            }
            texts.add(b.toString());
        }
        return texts;
    }

    /**
     * Strings whose pieces are long (up to about 2,000 UTF-8 bytes): runs of letters of one or several scripts
     * without spaces, of symbols, digits and white space. They take the counter's heap merge (over
     * {@value Vocabulary#SCAN_LIMIT} bytes) and jtokkit's large-piece encoder (500 bytes and more).
     */
    static List<String> longPieces(Random random, int count) {
        String[] alphabets = {"abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnop",
            "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年得就那要下以生会自着去之过家学对可她里后小么心多天而能好都然没日于起还发成事只作当想看文无开手十用主行方又如前所本见经头面公同三已老从动两长",
            "абвгдеёжзийклмнопрстуфхцчшщъыьэюяАБВГДЕ", "ابتثجحخدذرسشصضطظعغفقكلمنهوي", "éèêëàâäôöûüçñßÉÀ",
            "日本語のテキストと中文文本한국어텍스트", "=-_*#~.!?", "0123456789", " \t", "😀👍🚀🎉"};
        List<String> texts = new ArrayList<>();
        for (int n = 0; n < count; n++) {
            StringBuilder b = new StringBuilder();
            int runs = 1 + random.nextInt(3);
            for (int r = 0; r < runs; r++) {
                String alphabet = alphabets[random.nextInt(alphabets.length)];
                int[] cps = alphabet.codePoints().toArray();
                int length = 20 + random.nextInt(random.nextInt(4) == 0 ? 700 : 150);
                for (int i = 0; i < length; i++) {
                    b.appendCodePoint(cps[random.nextInt(cps.length)]);
                }
                if (random.nextBoolean()) {
                    b.append(' ');
                }
            }
            texts.add(b.toString());
        }
        return texts;
    }

    static int[][] pools() {
        return new int[][] {
            " \t\n\r\u000b\u000c\u0085\u00a0\u2028\u2029\u3000\u2009".codePoints().toArray(),
            "abcxyzsStTrReEvVmMlLdDſ".codePoints().toArray(),
            "ABCXYZ".codePoints().toArray(),
            "'''\"".codePoints().toArray(),
            "0123456789٣²½Ⅻ".codePoints().toArray(),
            "!?.,;:/\\-_()[]{}<>@#$%^&*+=|~`".codePoints().toArray(),
            "\u0301\u0308\u20dd\u0903".codePoints().toArray(),            // marks: Mn, Me, Mc
            "ǅǈʰʲªº中日本한글あア".codePoints().toArray(),                  // Lt, Lm, Lo
            "éüßøñçÉÜØÑÇΣσςЖж".codePoints().toArray(),
            "😀👍🏽🚀‍\ufe0f".codePoints().toArray(),
            new int[] {0xd800, 0xdc00, 0xdbff, 0x1d400, 0x1d41a, 0x10400, 0x10428, 0xe000, 0xfffd, 0x0378},
        };
    }

    static void check(String s) {
        // Compare first, describe only on failure: escaping every input would cost more than the comparison.
        List<String> pieces = split(s);
        List<String> expected = regexSplit(s);
        if (!pieces.equals(expected)) {
            assertThat(pieces).as("pieces of %s", escape(s)).isEqualTo(expected);
        }
        int count = counter.count(s);
        int expectedCount = reference.countTokensOrdinary(s);
        if (count != expectedCount) {
            assertThat(count).as("count of %s", escape(s)).isEqualTo(expectedCount);
        }
    }

    static List<String> split(String s) {
        List<String> pieces = new ArrayList<>();
        for (int start = 0; start < s.length(); ) {
            int end = O200kSplitter.next(s, start);
            if (end <= start) {
                assertThat(end).as("progress in %s", escape(s)).isGreaterThan(start);
            }
            pieces.add(s.substring(start, end));
            start = end;
        }
        return pieces;
    }

    static List<String> regexSplit(String s) {
        List<String> pieces = new ArrayList<>();
        Matcher m = PATTERN.matcher(s);
        int last = 0;
        while (m.find()) {
            if (m.start() != last) {
                assertThat(m.start()).as("regex skipped text in %s", escape(s)).isEqualTo(last);
            }
            pieces.add(m.group());
            last = m.end();
        }
        assertThat(last).isEqualTo(s.length());
        return pieces;
    }

    static String escape(String s) {
        StringBuilder b = new StringBuilder("\"");
        s.chars().forEach(c -> {
            if (c >= 0x20 && c < 0x7f) {
                b.append((char) c);
            } else {
                b.append(String.format("\\u%04x", c));
            }
        });
        return b.append('"').toString();
    }
}
