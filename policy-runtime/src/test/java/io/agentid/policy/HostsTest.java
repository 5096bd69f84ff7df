package io.agentid.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Hosts.normalise: every spelling of a host has one canonical form, and junk never throws. */
class HostsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            api.openai.com            | api.openai.com
            API.OpenAI.Com            | api.openai.com
            api.openai.com.           | api.openai.com
            API.OPENAI.COM.           | api.openai.com
            bücher.example            | xn--bcher-kva.example
            BÜCHER.example            | xn--bcher-kva.example
            xn--bcher-kva.example     | xn--bcher-kva.example
            XN--BCHER-KVA.EXAMPLE     | xn--bcher-kva.example
            bücher。example           | xn--bcher-kva.example
            bücher.example.           | xn--bcher-kva.example
            127.0.0.1                 | 127.0.0.1
            127.1                     | 127.0.0.1
            127.0.1                   | 127.0.0.1
            0x7f.0.0.1                | 127.0.0.1
            0X7F.0.0.1                | 127.0.0.1
            0177.0.0.1                | 127.0.0.1
            2130706433                | 127.0.0.1
            0x7f000001                | 127.0.0.1
            017700000001              | 127.0.0.1
            127.0.0.1.                | 127.0.0.1
            0                         | 0.0.0.0
            255.255.255.255           | 255.255.255.255
            4294967295                | 255.255.255.255
            4294967296                | 4294967296
            256.0.0.1                 | 256.0.0.1
            1.2.3.4.5                 | 1.2.3.4.5
            08.0.0.1                  | 08.0.0.1
            ::1                       | ::1
            [::1]                     | ::1
            [0:0:0:0:0:0:0:1]         | ::1
            2001:DB8:0:0:0:0:0:1      | 2001:db8::1
            2001:0db8:0000:0000:0000:0000:0000:0001 | 2001:db8::1
            2001:db8:0:0:1:0:0:1      | 2001:db8::1:0:0:1
            2001:db8:0:1:1:1:1:1      | 2001:db8:0:1:1:1:1:1
            2001:0:0:1:0:0:0:1        | 2001:0:0:1::1
            fe80::1%eth0              | fe80::1
            [fe80::1%25eth0]          | fe80::1
            ::                        | ::
            [::ffff:10.0.0.1]         | 10.0.0.1
            ::FFFF:a00:1              | 10.0.0.1
            ::ffff:127.0.0.1          | 127.0.0.1
            64:ff9b::1.2.3.4          | 64:ff9b::102:304
            1::2::3                   | 1::2::3
            [not-an-ip]               | [not-an-ip]
            api.openai.com:443        | api.openai.com:443
            Exa mple.COM              | exa mple.com
            """)
    void normalises(String in, String out) {
        assertThat(Hosts.normalise(in)).isEqualTo(out);
        assertThat(Hosts.normalise(out)).as("canonical forms are fixed points").isEqualTo(out);
    }

    @Test
    void nullAndEmpty() {
        assertThat(Hosts.normalise(null)).isEmpty();
        assertThat(Hosts.normalise("")).isEmpty();
        assertThat(Hosts.normalise(".")).isEqualTo(".");
    }

    @Test
    void aCanonicalHostIsReturnedAsIs() {
        String h = "api.openai.com";
        assertThat(Hosts.normalise(h)).isSameAs(h);
        String ip = "10.0.0.1";
        assertThat(Hosts.normalise(ip)).isSameAs(ip);
        String v6 = "2001:db8::1:0:0:1";
        assertThat(Hosts.normalise(v6)).isSameAs(v6);
    }

    @Test
    void junkIsLowerCasedNeverThrown() {
        String longLabel = "a".repeat(100) + ".ü";
        assertThat(Hosts.normalise(longLabel)).isEqualTo(longLabel); // IDN rejects a label over 63 characters
        String huge = "X".repeat(100_000);
        assertThat(Hosts.normalise(huge)).isEqualTo("x".repeat(100_000));
        Random random = new Random(11);
        String alphabet = "aZ09.:[]%xü。-_/ \u0000\uD800";
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int n = random.nextInt(24); n > 0; n--) {
                sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            String s = sb.toString();
            String once = Hosts.normalise(s);
            assertThat(once).isNotNull();
        }
    }
}
