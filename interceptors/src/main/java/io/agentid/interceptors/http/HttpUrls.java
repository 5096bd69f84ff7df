package io.agentid.interceptors.http;

import java.util.Locale;

/**
 * The {@code url.full} agentid exports: scheme, host, port, path and query as the request was made, with
 * secrets replaced by {@value #REDACTED} (the token OpenTelemetry's HTTP conventions use). Credentials in the
 * user-info part become {@code REDACTED:REDACTED}; the value of every query parameter whose name looks like a
 * secret becomes {@code REDACTED} (see {@link #secretName}); the fragment, which is never sent, is dropped.
 */
final class HttpUrls {
    static final String REDACTED = "REDACTED";

    private HttpUrls() {}

    /**
     * @param userInfo raw user info or null
     * @param host as written in the URL (IPv6 in brackets)
     * @param port the explicit port, or -1
     * @param rawPath percent-encoded, may be null or empty
     * @param rawQuery percent-encoded, without {@code ?}, or null
     */
    static String redact(String scheme, String userInfo, String host, int port, String rawPath, String rawQuery) {
        StringBuilder sb = new StringBuilder(64);
        sb.append(scheme).append("://");
        if (userInfo != null) {
            sb.append(REDACTED).append(':').append(REDACTED).append('@');
        }
        sb.append(host);
        if (port >= 0) {
            sb.append(':').append(port);
        }
        sb.append(rawPath == null || rawPath.isEmpty() ? "/" : rawPath);
        if (rawQuery != null) {
            sb.append('?');
            appendQuery(sb, rawQuery);
        }
        return sb.toString();
    }

    private static void appendQuery(StringBuilder sb, String query) {
        int i = 0;
        int n = query.length();
        while (i <= n) {
            int amp = query.indexOf('&', i);
            int end = amp < 0 ? n : amp;
            int eq = query.indexOf('=', i);
            if (eq >= 0 && eq < end && secretName(query, i, eq)) {
                sb.append(query, i, eq + 1).append(REDACTED);
            } else {
                // not a secret, or a bare name (`?token`), which carries no value
                sb.append(query, i, end);
            }
            if (amp < 0) {
                break;
            }
            sb.append('&');
            i = amp + 1;
        }
    }

    /**
     * Whether the query parameter named {@code query[from, to)} holds a secret: {@code sig}, names ending in
     * {@code key} or {@code _sig} ({@code key}, {@code api_key}, {@code apikey}, {@code access-key}), or containing {@code token}, {@code secret}, {@code passw}, {@code pwd},
     * {@code signature}, {@code credential}, {@code session} or {@code auth} (so {@code X-Amz-Signature},
     * {@code X-Amz-Credential}, {@code X-Goog-Signature}, {@code access_token}, {@code client_secret},
     * {@code authorization}); case-insensitive, after percent-decoding. Redacting too much is the safe mistake.
     */
    static boolean secretName(String query, int from, int to) {
        String name = decode(query.substring(from, to)).toLowerCase(Locale.ROOT);
        if (name.equals("sig") || name.equals("key") || name.endsWith("key") || name.endsWith("_sig")) {
            return true;
        }
        return name.contains("token") || name.contains("secret") || name.contains("passw") || name.contains("pwd")
                || name.contains("signature") || name.contains("credential") || name.contains("session")
                || name.contains("auth");
    }

    private static String decode(String s) {
        if (s.indexOf('%') < 0 && s.indexOf('+') < 0) {
            return s;
        }
        try {
            return java.net.URLDecoder.decode(s, java.nio.charset.StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
