package io.agentid.interceptors.http;

/**
 * A response body a guard read ahead of the application for a model call's usage (Apache HttpClient, and
 * HttpURLConnection): its bytes (whole when {@code complete}), and the stream the application gets in place of the
 * original, which replays exactly what was read.
 */
final class BodyCopy {
    /** The first buffer for a body of unknown length (chunked): most model answers fit; it grows up to the cap. */
    private static final int FIRST_BUFFER = 16 * 1024;

    final byte[] bytes;
    final int length;
    final boolean complete;
    final java.io.InputStream replay;

    private BodyCopy(byte[] bytes, int length, boolean complete, java.io.InputStream replay) {
        this.bytes = bytes;
        this.length = length;
        this.complete = complete;
        this.replay = replay;
    }

    /** The body for its usage: as read, or gunzipped (at most the cap), or null if incomplete. */
    byte[] decoded(boolean gzip) {
        if (!complete) {
            return null;
        }
        if (!gzip) {
            return java.util.Arrays.copyOf(bytes, length);
        }
        return gunzip(bytes, length);
    }

    /** The first {@code length} bytes of {@code bytes} gunzipped (at most the cap), or null. */
    static byte[] gunzip(byte[] bytes, int length) {
        try (java.io.InputStream z = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(bytes, 0, length))) {
            byte[] out = z.readNBytes(ModelCalls.RESPONSE_CAP + 1);
            return out.length <= ModelCalls.RESPONSE_CAP ? out : null;
        } catch (java.io.IOException e) {
            return null;
        }
    }

    /**
     * Reads {@code in} up to its end and returns the stream to give the application in its place, which replays
     * exactly what was read, then the rest of {@code in} if it had not ended, or the failure the read ended with.
     * With a known {@code length} (at most the cap) it reads at most {@code length} + 1 bytes (a length-delimited
     * stream ends there) and the copy is complete when exactly {@code length} came before the end. With
     * {@code length} < 0 (chunked, or delimited by the connection's close) it reads at most
     * {@link ModelCalls#RESPONSE_CAP} + 1 bytes, and the copy is complete when the stream ended within the cap; a
     * longer body is left where the read stopped, its prefix replayed before the rest.
     */
    static BodyCopy read(java.io.InputStream in, long length) {
        boolean known = length >= 0;
        int limit = known ? (int) length + 1 : ModelCalls.RESPONSE_CAP + 1;
        byte[] b = new byte[known ? limit : Math.min(limit, FIRST_BUFFER)];
        int n = 0;
        java.io.IOException failure = null;
        boolean ended = false;
        try {
            while (n < limit) {
                if (n == b.length) {
                    b = java.util.Arrays.copyOf(b, (int) Math.min(limit, 2L * b.length));
                }
                int k = in.read(b, n, b.length - n);
                if (k < 0) {
                    ended = true;
                    break;
                }
                n += k;
            }
        } catch (java.io.IOException e) {
            failure = e;
        }
        if (ended) {
            try {
                in.close(); // at its end: the connection goes back to its pool, as when the application reads it all
            } catch (java.io.IOException e) {
                // the body was read whole
            }
        }
        boolean complete = ended && (known ? n == length : n <= ModelCalls.RESPONSE_CAP);
        return new BodyCopy(b, n, complete, new ReplayInputStream(b, n, failure, ended ? null : in));
    }

    static boolean identity(String encoding) {
        return encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity");
    }

    static boolean gzip(String encoding) {
        return encoding != null && (encoding.trim().equalsIgnoreCase("gzip")
                || encoding.trim().equalsIgnoreCase("x-gzip"));
    }
}
