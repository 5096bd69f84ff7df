package io.agentid.interceptors.jdbc;

import java.util.Locale;

/** Reads the database system, host and port from a JDBC URL, and removes credentials from it. */
final class JdbcUrls {
    private JdbcUrls() {}

    /** The OpenTelemetry {@code db.system.name} for a URL's sub-protocol. */
    static String system(String url) {
        String sub = subProtocol(url);
        switch (sub) {
            case "postgresql":
            case "pgsql":
                return "postgresql";
            case "sqlserver":
            case "jtds":
                return "microsoft.sql_server";
            case "oracle":
                return "oracle.db";
            case "db2":
                return "ibm.db2";
            case "":
                return "other_sql";
            default:
                return sub;
        }
    }

    private static String subProtocol(String url) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:", 0, 5)) {
            return "";
        }
        int end = url.indexOf(':', 5);
        return end < 0 ? "" : url.substring(5, end).toLowerCase(Locale.ROOT);
    }

    /**
     * The URL without credentials: user-info before {@code @} in an authority, and {@code user}/{@code password}
     * style parameters whether {@code ?&}- or {@code ;}-separated, are removed.
     */
    static String sanitize(String url) {
        if (url == null) {
            return null;
        }
        String u = url;
        int authority = u.indexOf("//");
        if (authority >= 0) {
            int at = u.indexOf('@', authority + 2);
            int stop = firstOf(u, authority + 2, "/?;");
            if (at >= 0 && (stop < 0 || at < stop)) {
                u = u.substring(0, authority + 2) + u.substring(at + 1);
            }
        }
        // split into parameters at ? & ; and drop the secret ones, keeping the first delimiter a `?`
        StringBuilder out = new StringBuilder(u.length());
        int start = firstOf(u, 0, "?&;");
        if (start < 0) {
            return u;
        }
        out.append(u, 0, start);
        char carry = 0;
        int i = start;
        while (i < u.length()) {
            char delim = u.charAt(i);
            int next = firstOf(u, i + 1, "?&;");
            String param = u.substring(i + 1, next < 0 ? u.length() : next);
            int eq = param.indexOf('=');
            String key = (eq < 0 ? param : param.substring(0, eq)).trim().toLowerCase(Locale.ROOT);
            if (isSecret(key)) {
                if (delim == '?') {
                    carry = '?';
                }
            } else {
                out.append(carry != 0 ? carry : delim).append(param);
                carry = 0;
            }
            i = next < 0 ? u.length() : next;
        }
        return out.toString();
    }

    private static boolean isSecret(String key) {
        return key.equals("user") || key.equals("username") || key.equals("password") || key.equals("pwd")
                || key.equals("passwd") || key.contains("secret") || key.contains("token")
                || key.equals("sslpassword") || key.equals("accesskey") || key.equals("apikey");
    }

    private static int firstOf(String s, int from, String chars) {
        for (int i = from; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return i;
            }
        }
        return -1;
    }

    /** The host of a network URL ({@code jdbc:x://host:port/...}), or null for embedded databases. */
    static String host(String url) {
        int[] span = hostSpan(url);
        if (span == null) {
            return null;
        }
        String hostPort = url.substring(span[0], span[1]);
        if (hostPort.startsWith("[")) {
            int close = hostPort.indexOf(']');
            return close > 0 ? hostPort.substring(1, close) : hostPort;
        }
        int colon = hostPort.indexOf(':');
        String host = colon < 0 ? hostPort : hostPort.substring(0, colon);
        return host.isEmpty() ? null : host;
    }

    /** The port of a network URL, the system's default port when none is written, or -1. */
    static int port(String url, String system) {
        int[] span = hostSpan(url);
        if (span == null) {
            return -1;
        }
        String hostPort = url.substring(span[0], span[1]);
        int close = hostPort.lastIndexOf(']');
        int colon = hostPort.indexOf(':', Math.max(close, 0));
        if (colon >= 0) {
            try {
                return Integer.parseInt(hostPort.substring(colon + 1));
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        switch (system) {
            case "postgresql":
                return 5432;
            case "mysql":
            case "mariadb":
                return 3306;
            case "microsoft.sql_server":
                return 1433;
            case "oracle.db":
                return 1521;
            default:
                return -1;
        }
    }

    private static int[] hostSpan(String url) {
        if (url == null) {
            return null;
        }
        int authority = url.indexOf("//");
        if (authority < 0) {
            return null;
        }
        int start = authority + 2;
        int at = url.indexOf('@', start);
        int stop = firstOf(url, start, "/?;,");
        if (at >= 0 && (stop < 0 || at < stop)) {
            start = at + 1;
            stop = firstOf(url, start, "/?;,");
        }
        return new int[] {start, stop < 0 ? url.length() : stop};
    }

    /**
     * The SQL of H2's {@code INIT} setting, from the URL ({@code ;INIT=...}, up to the next unescaped {@code ;},
     * with {@code \;} standing for {@code ;}) or from the connection properties; {@code null} when there is none or
     * the URL is not H2's. Setting names are case-insensitive, as H2 reads them.
     */
    static String h2Init(String url, java.util.Properties info) {
        if (url == null || !url.regionMatches(true, 0, "jdbc:h2:", 0, 8)) {
            return null;
        }
        if (info != null) {
            for (String name : info.stringPropertyNames()) {
                if (name.equalsIgnoreCase("INIT")) {
                    String v = info.getProperty(name);
                    if (v != null && !v.isBlank()) {
                        return v;
                    }
                }
            }
        }
        String lower = url.toLowerCase(java.util.Locale.ROOT);
        int at = lower.indexOf(";init=");
        if (at < 0) {
            return null;
        }
        StringBuilder sql = new StringBuilder();
        for (int i = at + 6; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c == '\\' && i + 1 < url.length() && url.charAt(i + 1) == ';') {
                sql.append(';');
                i++;
            } else if (c == ';') {
                break;
            } else {
                sql.append(c);
            }
        }
        return sql.toString().isBlank() ? null : sql.toString();
    }
}
