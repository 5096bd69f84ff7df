package io.agentid.interceptors.jdbc;

/**
 * What the agent knows of one connection. The static parts are read once; the current schema is read
 * lazily and forgotten whenever something may have changed it ({@code setSchema}, {@code SET SCHEMA},
 * {@code USE}), so the driver stays the source of truth.
 */
final class ConnInfo {
    static final ConnInfo UNKNOWN = new ConnInfo("other_sql", null, null, null, -1, false);

    final String system;
    final String url;
    final String user;
    final String host;
    final int port;
    /** MySQL and MariaDB call the schema a catalog. */
    final boolean schemaIsCatalog;
    /** Lower case; null when the database has none or it could not be read. */
    volatile String schema;
    volatile boolean schemaKnown;

    /** What a connection URL (credentials removed) and user say of a connection. */
    static ConnInfo of(String url, String user) {
        String system = JdbcUrls.system(url);
        return new ConnInfo(system, JdbcUrls.sanitize(url), user, JdbcUrls.host(url), JdbcUrls.port(url, system),
                system.equals("mysql") || system.equals("mariadb"));
    }

    ConnInfo(String system, String url, String user, String host, int port, boolean schemaIsCatalog) {
        this.system = system;
        this.url = url;
        this.user = user;
        this.host = host;
        this.port = port;
        this.schemaIsCatalog = schemaIsCatalog;
    }

    void forgetSchema() {
        schemaKnown = false;
    }
}
