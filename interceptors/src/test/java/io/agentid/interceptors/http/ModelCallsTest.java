package io.agentid.interceptors.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ModelCalls#utf8}: a request body's text in UTF-8 for the parser, from the charset its content type names; bytes
 * not in that charset become U+FFFD.
 */
class ModelCallsTest {
    private static final String TEXT = "{\"content\":\"caf\u00e9 na\u00efve Z\u00fcrich\"}";

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "application/json; charset=ISO-8859-1|ISO-8859-1",
        "application/json;charset=\"utf-16\"|UTF-16",
        "application/json; CHARSET=UTF-16LE|UTF-16LE",
        "application/json; charset=windows-1252|windows-1252",
    })
    void transcodesFromTheNamedCharset(String type, String charset) {
        ByteBuffer body = ByteBuffer.wrap(TEXT.getBytes(java.nio.charset.Charset.forName(charset)));
        assertThat(ModelCalls.utf8(body, type)).isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
        assertThat(body.position()).isZero();
    }

    @ParameterizedTest(name = "{0}")
    @NullSource
    @ValueSource(strings = {"application/json", "application/json; charset=UTF-8", "application/json; charset=us-ascii",
        "application/json; charset=no-such-charset", "application/json; charset=", "application/json; x=1"})
    void leavesTheBytesAsTheyAreWithoutAnotherKnownCharset(String type) {
        byte[] latin1 = TEXT.getBytes(StandardCharsets.ISO_8859_1);
        assertThat(ModelCalls.utf8(ByteBuffer.wrap(latin1), type)).isEqualTo(latin1);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        // an odd number of bytes is no UTF-16: the last one stands alone
        "application/json; charset=UTF-16LE|UTF-16LE|7B",
        "application/json; charset=UTF-16|UTF-16|00",
        // 0x81 is no letter in windows-1252
        "application/json; charset=windows-1252|windows-1252|81",
    })
    void bytesNotInTheNamedCharsetAreReadWithAReplacementCharacter(String type, String charset, String hex) {
        byte[] text = TEXT.getBytes(java.nio.charset.Charset.forName(charset));
        byte[] bad = java.util.Arrays.copyOf(text, text.length + 1);
        bad[text.length] = (byte) Integer.parseInt(hex, 16);
        ByteBuffer body = ByteBuffer.wrap(bad);
        assertThat(new String(ModelCalls.utf8(body, type), StandardCharsets.UTF_8)).isEqualTo(TEXT + "\ufffd");
        assertThat(body.position()).isZero();
        assertThat(body.array()).as("the bytes sent").isEqualTo(bad);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "application/json; charset=ISO-8859-1|ISO-8859-1",
        "application/json; charset=UTF-16|UTF-16",
    })
    void transcodesACopiedBodyFromItsRange(String type, String charset) {
        byte[] text = TEXT.getBytes(java.nio.charset.Charset.forName(charset));
        byte[] padded = new byte[text.length + 5];
        System.arraycopy(text, 0, padded, 3, text.length);
        HttpGuard.Body out = ModelCalls.utf8(new HttpGuard.Body(padded, 3, text.length), type);
        assertThat(java.util.Arrays.copyOfRange(out.bytes, out.off, out.off + out.len))
                .isEqualTo(TEXT.getBytes(StandardCharsets.UTF_8));
    }

    @ParameterizedTest(name = "{0}")
    @NullSource
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json; charset=nope"})
    void givesBackACopiedBodyItselfWithoutAnotherKnownCharset(String type) {
        HttpGuard.Body body = new HttpGuard.Body(TEXT.getBytes(StandardCharsets.UTF_8), 0, 3);
        assertThat(ModelCalls.utf8(body, type)).isSameAs(body);
    }

    @Test
    void aCopiedBodyNotInItsCharsetIsReadWithAReplacementCharacter() {
        byte[] copy = {'{', 0, '}'};
        HttpGuard.Body out = ModelCalls.utf8(new HttpGuard.Body(copy, 0, 3), "application/json; charset=UTF-16LE");
        assertThat(new String(out.bytes, out.off, out.len, StandardCharsets.UTF_8)).isEqualTo("{\ufffd");
        assertThat(copy).containsExactly('{', 0, '}');
    }
}
