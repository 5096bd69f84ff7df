package io.agentid.genai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link Vocabulary}: the table holds every token of the resource, and both merges agree. */
class VocabularyTest {
    static Vocabulary o200k;

    @BeforeAll
    static void load() {
        o200k = Vocabulary.load(BpeCounter.O200K);
    }

    @Test
    void everyTokenIsFoundWithItsRank() throws Exception {
        for (String resource : new String[] {BpeCounter.O200K, BpeCounter.CL100K}) {
            Vocabulary v = resource.equals(BpeCounter.O200K) ? o200k : Vocabulary.load(resource);
            java.util.Base64.Decoder base64 = java.util.Base64.getDecoder();
            int lines = 0;
            try (java.io.BufferedReader r = new java.io.BufferedReader(new java.io.InputStreamReader(
                    com.knuddels.jtokkit.api.Encoding.class.getResourceAsStream(resource), StandardCharsets.ISO_8859_1))) {
                for (String line; (line = r.readLine()) != null; ) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    int space = line.indexOf(' ');
                    byte[] token = base64.decode(line.substring(0, space));
                    assertThat(v.rank(token, 0, token.length)).as("%s line %d", resource, lines)
                            .isEqualTo(Integer.parseInt(line.substring(space + 1)));
                    lines++;
                }
            }
            assertThat(v.size()).isEqualTo(lines).isGreaterThan(100_000);
        }
        assertThat(o200k.rank("zzqqxxjj".getBytes(StandardCharsets.US_ASCII), 0, 8)).isEqualTo(Vocabulary.NONE);
    }

    @Test
    void scanAndHeapMergesAgree() {
        // Both are exact implementations of the same merge; on random bytes and on random text bytes they must
        // give the same count (the heap is what pieces over SCAN_LIMIT bytes use).
        Random random = new Random(3L);
        Vocabulary.Scratch scratch = new Vocabulary.Scratch();
        Vocabulary.Scratch scratch2 = new Vocabulary.Scratch();
        String letters = "etaoinshrdlu ETAOIN,.'\n0123éß中文ж";
        for (int n = 0; n < 3_000; n++) {
            byte[] b;
            if (n % 2 == 0) {
                b = new byte[2 + random.nextInt(Vocabulary.SCAN_LIMIT - 1)];
                random.nextBytes(b);
            } else {
                StringBuilder s = new StringBuilder();
                int len = 2 + random.nextInt(30);
                for (int i = 0; i < len; i++) {
                    s.append(letters.charAt(random.nextInt(letters.length())));
                }
                b = s.toString().getBytes(StandardCharsets.UTF_8);
                if (b.length > Vocabulary.SCAN_LIMIT) {
                    continue;
                }
            }
            int scan = o200k.mergeScan(b, 0, b.length, scratch);
            int heap = o200k.mergeHeap(b, 0, b.length, scratch2);
            assertThat(heap).as("bytes %s", java.util.Arrays.toString(b)).isEqualTo(scan);
            assertThat(scan).isBetween(1, b.length);
        }
    }
}
