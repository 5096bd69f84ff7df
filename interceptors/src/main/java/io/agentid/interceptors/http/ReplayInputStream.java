package io.agentid.interceptors.http;

import java.io.IOException;
import java.io.InputStream;

/**
 * The response body a guard read ahead of the application (Apache HttpClient and HttpURLConnection, for a model
 * response's usage), given back to it as it came: the same bytes, then what the original stream still has
 * ({@code rest}, if it did not end), or the very failure the read ended with (the same instance, so the same class
 * and message the application would have caught; its stack trace is the read-ahead's), on every read past the bytes.
 */
final class ReplayInputStream extends InputStream {
    private final byte[] bytes;
    private final int length;
    private final IOException failure;
    private final InputStream rest;
    private int pos;

    ReplayInputStream(byte[] bytes, int length, IOException failure, InputStream rest) {
        this.bytes = bytes;
        this.length = length;
        this.failure = failure;
        this.rest = rest;
    }

    @Override
    public int read() throws IOException {
        if (pos < length) {
            return bytes[pos++] & 0xff;
        }
        return rest != null && failure == null ? rest.read() : end();
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        java.util.Objects.checkFromIndexSize(off, len, b.length);
        if (len == 0) {
            return 0;
        }
        if (pos >= length) {
            return rest != null && failure == null ? rest.read(b, off, len) : end();
        }
        int n = Math.min(len, length - pos);
        System.arraycopy(bytes, pos, b, off, n);
        pos += n;
        return n;
    }

    private int end() throws IOException {
        if (failure != null) {
            throw failure;
        }
        return -1;
    }

    @Override
    public int available() throws IOException {
        return pos < length ? length - pos : rest != null && failure == null ? rest.available() : 0;
    }

    @Override
    public void close() throws IOException {
        if (rest != null) {
            rest.close();
        }
    }
}
