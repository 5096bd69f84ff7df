package io.agentid.interceptors.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link BodyCopy#read}: a body is complete only when it ended within its length or the cap, and the replay gives
 * the application exactly the bytes of the original stream, then its rest, or the very failure the read ended with.
 */
class BodyCopyTest {
    private static final int CAP = ModelCalls.RESPONSE_CAP;

    @ParameterizedTest(name = "unknown length, {0} bytes")
    @ValueSource(ints = {0, 1, 16 * 1024 - 1, 16 * 1024, 16 * 1024 + 1, 300_000, CAP - 1, CAP})
    void unknownLengthWithinTheCapIsComplete(int size) throws IOException {
        byte[] body = bytes(size);
        Closing in = new Closing(new Trickle(body));
        BodyCopy copy = BodyCopy.read(in, -1);
        assertThat(copy.complete).isTrue();
        assertThat(copy.decoded(false)).isEqualTo(body);
        assertThat(in.closed).as("read to its end: closed, so the connection is released").isTrue();
        assertThat(copy.replay.readAllBytes()).isEqualTo(body);
    }

    @ParameterizedTest(name = "unknown length, cap + {0} bytes")
    @ValueSource(ints = {1, 2, 100_000})
    void unknownLengthAboveTheCapIsIncompleteAndReplaysPrefixThenRest(int over) throws IOException {
        byte[] body = bytes(CAP + over);
        Closing in = new Closing(new Trickle(body));
        BodyCopy copy = BodyCopy.read(in, -1);
        assertThat(copy.complete).isFalse();
        assertThat(copy.decoded(false)).isNull();
        assertThat(copy.length).as("stops one byte past the cap").isEqualTo(CAP + 1);
        assertThat(in.closed).isFalse();
        assertThat(copy.replay.readAllBytes()).isEqualTo(body);
        copy.replay.close();
        assertThat(in.closed).isTrue();
    }

    @Test
    void knownLengthIsCompleteOnlyWithExactlyThatMany() throws IOException {
        byte[] body = bytes(1000);
        assertThat(BodyCopy.read(new Trickle(body), 1000).decoded(false)).isEqualTo(body);
        BodyCopy shorter = BodyCopy.read(new Trickle(body), 1001);
        assertThat(shorter.complete).as("ended before its Content-Length").isFalse();
        assertThat(shorter.replay.readAllBytes()).isEqualTo(body);
    }

    @Test
    void aFailureIsReplayedAfterTheBytesThatArrivedAsTheSameException() throws IOException {
        byte[] prefix = bytes(5000);
        IOException broken = new java.net.SocketException("Connection reset");
        InputStream in = new SequenceInputStream(new Trickle(prefix), new InputStream() {
            @Override
            public int read() throws IOException {
                throw broken;
            }
        });
        BodyCopy copy = BodyCopy.read(in, -1);
        assertThat(copy.complete).isFalse();
        assertThat(copy.decoded(false)).isNull();
        byte[] got = new byte[prefix.length];
        int n = 0;
        while (n < got.length) {
            n += copy.replay.read(got, n, Math.min(777, got.length - n));
        }
        assertThat(got).isEqualTo(prefix);
        assertThatThrownBy(() -> copy.replay.read(new byte[10], 0, 10)).isSameAs(broken);
        assertThatThrownBy(copy.replay::read).as("and again").isSameAs(broken);
    }

    @Test
    void gzipIsDecodedWithinTheCapOnly() throws IOException {
        byte[] small = bytes(200_000);
        BodyCopy copy = BodyCopy.read(new Trickle(gzip(small)), -1);
        assertThat(copy.decoded(true)).isEqualTo(small);
        byte[] big = new byte[CAP + 1]; // compresses to a few KiB, decodes past the cap
        BodyCopy bomb = BodyCopy.read(new Trickle(gzip(big)), -1);
        assertThat(bomb.complete).isTrue();
        assertThat(bomb.decoded(true)).isNull();
    }

    private static byte[] bytes(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(b);
        }
        return out.toByteArray();
    }

    /** Gives at most 4099 bytes a read, as a socket does. */
    private static final class Trickle extends InputStream {
        private final byte[] b;
        private int pos;

        Trickle(byte[] b) {
            this.b = b;
        }

        @Override
        public int read() {
            return pos < b.length ? b[pos++] & 0xff : -1;
        }

        @Override
        public int read(byte[] to, int off, int len) {
            if (len == 0) {
                return 0;
            }
            if (pos >= b.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, 4099), b.length - pos);
            System.arraycopy(b, pos, to, off, n);
            pos += n;
            return n;
        }
    }

    private static final class Closing extends java.io.FilterInputStream {
        boolean closed;

        Closing(InputStream in) {
            super(in);
        }

        @Override
        public void close() throws IOException {
            closed = true;
            super.close();
        }
    }
}
