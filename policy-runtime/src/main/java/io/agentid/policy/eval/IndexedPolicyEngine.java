package io.agentid.policy.eval;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.PolicyEngine;
import java.util.Objects;

/**
 * The production engine: an immutable, thread-safe index per kind of call ({@link SqlIndex} for
 * {@code kind: sql}, {@link HttpIndex} for {@code kind: http}), and every decision it can return prebuilt. Deciding is plain loops over arrays: no
 * allocation, no streams, iterators, {@code Optional} or boxing, and it never throws (a null agent id reads
 * as the empty id, null tables as none). Built by {@code io.agentid.policy.compile.PolicyCompiler}.
 *
 * <p>To add a kind ({@code http}, {@code cloud}): a {@code Match} record, a checker registered with the
 * compiler, an index class beside {@link SqlIndex}, a field here and a {@code decideX} method on
 * {@link PolicyEngine}. The SQL path does not change.
 */
public final class IndexedPolicyEngine implements PolicyEngine {
    private static final String[] NO_TABLES = new String[0];

    private final String source;
    private final String version;
    private final Mode mode;
    private final SqlIndex sql;
    private final HttpIndex http;
    private final Decision defaultDecision;
    private final Decision unanalysableSql;

    public IndexedPolicyEngine(String source, String version, Mode mode, SqlIndex sql, HttpIndex http,
            Decision defaultDecision, Decision unanalysableSql) {
        this.source = Objects.requireNonNull(source, "source");
        this.version = Objects.requireNonNull(version, "version");
        this.mode = Objects.requireNonNull(mode, "mode");
        this.sql = Objects.requireNonNull(sql, "sql");
        this.http = Objects.requireNonNull(http, "http");
        this.defaultDecision = Objects.requireNonNull(defaultDecision, "defaultDecision");
        this.unanalysableSql = Objects.requireNonNull(unanalysableSql, "unanalysableSql");
    }

    @Override
    public Decision decideSql(String agentId, String operation, String[] tables) {
        Decision d = sql.decide(agentId == null ? "" : agentId, operation, tables == null ? NO_TABLES : tables);
        return d != null ? d : defaultDecision;
    }

    @Override
    public Decision decideUnanalysableSql(String agentId) {
        return unanalysableSql;
    }

    @Override
    public Decision decideHttp(String agentId, String method, String scheme, String host, int port, String path,
            String model, double costUsd) {
        Decision d = http.decide(agentId, method, scheme, host, port, path, model, costUsd);
        return d != null ? d : defaultDecision;
    }

    @Override
    public Mode mode() {
        return mode;
    }

    @Override
    public String version() {
        return version;
    }

    @Override
    public String source() {
        return source;
    }

    /** The SQL index, for tests and tools. */
    public SqlIndex sqlIndex() {
        return sql;
    }

    /** The HTTP index, for tests and tools. */
    public HttpIndex httpIndex() {
        return http;
    }

    @Override
    public String toString() {
        return "IndexedPolicyEngine[" + source + ", " + version + ", " + mode.label() + "]";
    }
}
