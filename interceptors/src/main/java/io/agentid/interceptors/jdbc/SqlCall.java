package io.agentid.interceptors.jdbc;

import io.agentid.policy.Decision;
import io.agentid.runtime.CallRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;
import java.util.Arrays;

/** One JDBC call: the guard's scope while it runs, then the record its span is built from. */
final class SqlCall extends CallRecord {
    static final AttributeKey<String> DB_SYSTEM = AttributeKey.stringKey("db.system.name");
    static final AttributeKey<String> DB_QUERY_TEXT = AttributeKey.stringKey("db.query.text");
    static final AttributeKey<String> DB_OPERATION = AttributeKey.stringKey("db.operation.name");
    static final AttributeKey<String> DB_COLLECTION = AttributeKey.stringKey("db.collection.name");
    static final AttributeKey<String> DB_NAMESPACE = AttributeKey.stringKey("db.namespace");
    static final AttributeKey<Long> DB_BATCH_SIZE = AttributeKey.longKey("db.operation.batch.size");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<java.util.List<String>> SQL_TABLES = AttributeKey.stringArrayKey("agentid.sql.tables");
    static final AttributeKey<java.util.List<String>> SQL_OPERATIONS =
            AttributeKey.stringArrayKey("agentid.sql.operations");
    static final AttributeKey<Long> SQL_STATEMENTS = AttributeKey.longKey("agentid.sql.statement_count");
    static final AttributeKey<String> SQL_PROBLEM = AttributeKey.stringKey("agentid.sql.problem");
    static final AttributeKey<String> DB_URL = AttributeKey.stringKey("agentid.db.url");
    static final AttributeKey<String> DB_USER = AttributeKey.stringKey("agentid.db.user");

    final SqlInfo.Resolved sql;
    final ConnInfo conn;
    /** Rows of a prepared batch, statements of a plain batch; 0 when not a batch. */
    final int batchSize;
    /** The statement whose batch this call executes, so the batch can be forgotten when it has run. */
    final Object batchOf;

    SqlCall(long start, Decision decision, boolean blocked, SqlInfo.Resolved sql, ConnInfo conn, int batchSize,
            Object batchOf) {
        super(start, decision, blocked);
        this.sql = sql;
        this.conn = conn;
        this.batchSize = batchSize;
        this.batchOf = batchOf;
    }

    @Override
    protected String kind() {
        return "sql";
    }

    @Override
    protected String spanName() {
        String op = sql.operationName;
        if (op == null) {
            return conn.system;
        }
        return sql.allTables.length == 1 ? op + " " + sql.allTables[0] : op;
    }

    @Override
    protected void addAttributes(AttributesBuilder a) {
        a.put(DB_SYSTEM, conn.system);
        SqlInfo info = sql.info;
        if (info.sanitized != null) {
            a.put(DB_QUERY_TEXT, info.sanitized);
        }
        if (info.problem != null) {
            a.put(SQL_PROBLEM, info.problem);
        }
        if (sql.operationName != null) {
            a.put(DB_OPERATION, sql.operationName);
        }
        if (sql.allTables.length == 1) {
            a.put(DB_COLLECTION, sql.allTables[0]);
        }
        if (sql.allTables.length > 0) {
            a.put(SQL_TABLES, Arrays.asList(sql.allTables));
        }
        if (info.operations.length > 0) {
            a.put(SQL_OPERATIONS, Arrays.asList(info.operations));
        }
        a.put(SQL_STATEMENTS, (long) info.operations.length);
        if (sql.schema != null) {
            a.put(DB_NAMESPACE, sql.schema);
        }
        if (batchSize > 1) {
            a.put(DB_BATCH_SIZE, (long) batchSize);
        }
        if (conn.host != null) {
            a.put(SERVER_ADDRESS, conn.host);
        }
        if (conn.port > 0) {
            a.put(SERVER_PORT, (long) conn.port);
        }
        if (conn.url != null) {
            a.put(DB_URL, conn.url);
        }
        if (conn.user != null) {
            a.put(DB_USER, conn.user);
        }
    }
}
