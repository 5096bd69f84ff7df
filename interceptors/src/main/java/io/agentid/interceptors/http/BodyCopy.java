package io.agentid.interceptors.http;

/**
 * A response body a guard read ahead of the application for a model call's usage (Apache HttpClient, and
 * HttpURLConnection): its bytes (whole when {@code complete}), and the stream the application gets in place of the
 * original, which replays exactly what was read.
 */
final class BodyCopy {
    final byte[] bytes;
    final int length;
    final boolean complete;
    final java.io.InputStream replay;

    BodyCopy(byte[] bytes, int length, java.io.IOException failure, java.io.InputStream replay) {
        this.bytes = bytes;
        this.length = length;
        this.complete = failure == null && length < bytes.length;
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
     * Reads {@code in} up to its end (at most {@code length} + 1 bytes: a length-delimited stream ends there) and
     * returns the stream to give the application in its place, which replays exactly what was read, then the
     * rest of {@code in} if it had not ended, or the failure the read ended with.
     */
    static BodyCopy read(java.io.InputStream in, long length) {
        byte[] b = new byte[(int) length + 1];
        int n = 0;
        java.io.IOException failure = null;
        boolean ended = false;
        try {
            while (n < b.length) {
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
        return new BodyCopy(b, n, ended && n == length ? null : failure,
                new ReplayInputStream(b, n, failure, ended ? null : in));
    }

    static boolean identity(String encoding) {
        return encoding == null || encoding.isBlank() || encoding.trim().equalsIgnoreCase("identity");
    }

    static boolean gzip(String encoding) {
        return encoding != null && (encoding.trim().equalsIgnoreCase("gzip")
                || encoding.trim().equalsIgnoreCase("x-gzip"));
    }
}
