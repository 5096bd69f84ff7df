package io.agentid.interceptors.jdbc;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agentid.bootstrap.Faults;
import io.agentid.bootstrap.JdbcHooks;
import io.agentid.policy.Decision;
import io.agentid.policy.PolicyEngine;
import io.agentid.runtime.AgentRuntime;
import io.agentid.sql.SqlAnalyzer;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Decides JDBC calls. Implementation notes.
 *
 * <p><b>One decision per logical call.</b> A thread-local depth counts the guarded calls in progress on this
 * thread; only a call made at depth 0 is decided and traced, so a pool proxy's call into its driver, or a
 * driver's {@code executeQuery} calling its own {@code execute}, is not decided twice. The agent's own
 * reads of connection metadata run at depth 1 for the same reason.
 *
 * <p><b>What is cached.</b> The analysis of each SQL text (bounded); per connection its URL, user and
 * current schema; per prepared statement the analysed SQL and connection; per statement its pending
 * batch. The per-object maps hold their keys weakly, so the agent never keeps a statement or connection
 * alive. Decisions are never cached: they are cheap, and later rules (budgets, rates) must not be.
 */
final class JdbcGuard extends JdbcHooks {
    static final String BLOCKED_SQLSTATE = "42501";
    private static final SqlInfo NO_SQL =
            new SqlInfo(new io.agentid.sql.SqlAnalysis(List.of(), "", "the sql of this statement was not seen"));

    private final AgentRuntime runtime;
    private final ThreadLocal<int[]> depth = ThreadLocal.withInitial(() -> new int[1]);
    private final Cache<String, SqlInfo> analyses =
            Caffeine.newBuilder().maximumSize(4096).executor(Runnable::run).build();
    private final Cache<Object, ConnInfo> connections = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    private final Cache<Object, Prepared> prepared = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();
    private final Cache<Object, Batch> batches = Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

    JdbcGuard(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    /** What was captured when a statement was prepared. */
    private static final class Prepared {
        final SqlInfo.Resolved sql;
        final ConnInfo conn;

        Prepared(SqlInfo.Resolved sql, ConnInfo conn) {
            this.sql = sql;
            this.conn = conn;
        }
    }

    /** A statement's pending batch: the SQL texts of a plain statement, or the row count of a prepared one. */
    private static final class Batch {
        final List<String> texts = new ArrayList<>();
        int rows;
    }

    /** Nesting of {@code Driver.connect} on this thread: the outermost decides the URL's own SQL. */
    private final ThreadLocal<int[]> connecting = ThreadLocal.withInitial(() -> new int[1]);

    @Override
    protected Object sql(Object statement, String sql) {
        int[] d = depth.get();
        if (d[0] > 0 || !(statement instanceof Statement)) {
            return null;
        }
        long start = System.nanoTime();
        try {
            ConnInfo conn = connectionOf(statement, d);
            SqlInfo info = analysis(sql);
            return decide(start, info.resolve(schema(conn, statement, d)), conn, 0, null, d);
        } catch (RuntimeException | Error e) {
            return fault(e);
        }
    }

    @Override
    protected Object prepared(Object statement) {
        int[] d = depth.get();
        if (d[0] > 0 || !(statement instanceof Statement)) {
            return null;
        }
        long start = System.nanoTime();
        try {
            Prepared p = prepared.getIfPresent(statement);
            if (p == null) {
                ConnInfo conn = connectionOf(statement, d);
                return decide(start, NO_SQL.resolve(null), conn, 0, null, d);
            }
            return decide(start, p.sql, p.conn, 0, null, d);
        } catch (RuntimeException | Error e) {
            return fault(e);
        }
    }

    @Override
    protected Object batch(Object statement) {
        int[] d = depth.get();
        if (d[0] > 0 || !(statement instanceof Statement)) {
            return null;
        }
        long start = System.nanoTime();
        try {
            Batch b = batches.getIfPresent(statement);
            Prepared p = prepared.getIfPresent(statement);
            if (p != null) {
                return decide(start, p.sql, p.conn, b == null ? 0 : b.rows, statement, d);
            }
            ConnInfo conn = connectionOf(statement, d);
            List<SqlInfo> parts = new ArrayList<>();
            if (b != null) {
                synchronized (b) {
                    for (String text : b.texts) {
                        parts.add(analysis(text));
                    }
                }
            }
            SqlInfo all = SqlInfo.concat(parts);
            return decide(start, all.resolve(schema(conn, statement, d)), conn, parts.size(), statement, d);
        } catch (RuntimeException | Error e) {
            return fault(e);
        }
    }

    /**
     * H2 runs the {@code INIT} setting of its URL (or of the connection properties) as SQL while it connects, inside
     * {@code Driver.connect}, where everything else is the driver's own work. That SQL is the caller's: decide it
     * like a statement. Denied: the connect fails with the usual SQLException and the call is recorded; allowed:
     * the driver runs it (not traced: the connection does not exist yet).
     */
    @Override
    protected Object connectSql(Object driver, String url, Object info) {
        int[] c = connecting.get();
        if (c[0] > 0) {
            return null; // a driver's connect calling another's (a wrapper driver, a driver calling itself)
        }
        if (!accepts(driver, url)) {
            return null; // DriverManager offers every URL to every driver; only the one that takes it counts
        }
        Object r = decideConnect(url, info);
        if (r == null) {
            c[0]++;
            return Boolean.TRUE;
        }
        return r;
    }

    private boolean accepts(Object driver, String url) {
        if (!(driver instanceof java.sql.Driver)) {
            return true; // a DataSource's connect: it is the one connecting
        }
        int[] d = depth.get();
        d[0]++;
        try {
            return ((java.sql.Driver) driver).acceptsURL(url);
        } catch (SQLException | RuntimeException e) {
            return false;
        } finally {
            d[0]--;
        }
    }

    @Override
    protected void connectExit() {
        connecting.get()[0]--;
    }

    private Object decideConnect(String url, Object info) {
        String init = JdbcUrls.h2Init(url, info instanceof java.util.Properties ? (java.util.Properties) info : null);
        if (init == null) {
            return null;
        }
        long start = System.nanoTime();
        try {
            ConnInfo conn = ConnInfo.of(url, null);
            SqlInfo.Resolved sql = analysis(init).resolve(null);
            Decision decision = decide(runtime.engine(), runtime.agentId(), sql);
            if (!decision.blocks()) {
                return null;
            }
            SqlCall call = new SqlCall(start, decision, true, sql, conn, 0, null);
            call.finish(System.nanoTime(), null);
            runtime.record(call);
            return blocked(decision);
        } catch (RuntimeException | Error e) {
            return fault(e);
        }
    }

    private Object decide(long start, SqlInfo.Resolved sql, ConnInfo conn, int batchSize, Object batchOf, int[] d) {
        Decision decision = decide(runtime.engine(), runtime.agentId(), sql);
        if (decision.blocks()) {
            SqlCall call = new SqlCall(start, decision, true, sql, conn, batchSize, batchOf);
            call.finish(System.nanoTime(), null);
            runtime.record(call);
            return blocked(decision);
        }
        d[0]++;
        return new SqlCall(start, decision, false, sql, conn, batchSize, batchOf);
    }

    /** Statement by statement; the first denial decides the call, else the first rule that allowed. */
    static Decision decide(PolicyEngine engine, String agentId, SqlInfo.Resolved sql) {
        SqlInfo info = sql.info;
        if (!info.analysable()) {
            return engine.decideUnanalysableSql(agentId);
        }
        Decision chosen = null;
        for (int i = 0; i < info.operations.length; i++) {
            Decision d = engine.decideSql(agentId, info.operations[i], sql.tables[i]);
            if (d.isDeny()) {
                return d;
            }
            if (chosen == null || ("default".equals(chosen.ruleId()) && !"default".equals(d.ruleId()))) {
                chosen = d;
            }
        }
        return chosen != null ? chosen : engine.decideUnanalysableSql(agentId);
    }

    static SQLException blocked(Decision decision) {
        return new SQLException("agentid: blocked by rule '" + decision.ruleId() + "': " + decision.reason(),
                BLOCKED_SQLSTATE);
    }

    private Object fault(Throwable t) {
        Faults.report("jdbc.decide", t);
        if (runtime.blockOnInternalError()) {
            return new SQLException("agentid: blocked by rule 'internal-error': the agent could not decide this call ("
                    + t.getClass().getSimpleName() + "); on_internal_error is block", BLOCKED_SQLSTATE);
        }
        return null;
    }

    @Override
    protected void end(Object scope, Throwable thrown) {
        int[] d = depth.get();
        if (d[0] > 0) {
            d[0]--;
        }
        SqlCall call = (SqlCall) scope;
        call.finish(System.nanoTime(), thrown);
        if (call.sql.info.switchesSchema) {
            call.conn.forgetSchema();
        }
        if (call.batchOf != null) {
            // JDBC clears a statement's batch when executeBatch returns, whether or not it failed.
            batches.invalidate(call.batchOf);
        }
        runtime.record(call);
    }

    @Override
    protected void onPrepare(Object connection, String sql, Object statement) {
        if (sql == null || !(connection instanceof Connection)) {
            return;
        }
        int[] d = depth.get();
        ConnInfo conn = connection(connection, d);
        SqlInfo info = analysis(sql);
        prepared.put(statement, new Prepared(info.resolve(schema(conn, connection, d)), conn));
    }

    @Override
    protected void onAddBatch(Object statement, String sql) {
        Batch b = batches.get(statement, k -> new Batch());
        synchronized (b) {
            if (sql == null) {
                b.rows++;
            } else {
                b.texts.add(sql);
            }
        }
    }

    @Override
    protected void onClearBatch(Object statement) {
        batches.invalidate(statement);
    }

    @Override
    protected void onSchemaChanged(Object connection) {
        ConnInfo c = connections.getIfPresent(connection);
        if (c != null) {
            c.forgetSchema();
        }
    }

    @Override
    protected Object internalEnter() {
        int[] d = depth.get();
        d[0]++;
        return d;
    }

    @Override
    protected void internalExit(Object token) {
        int[] d = (int[]) token;
        if (d[0] > 0) {
            d[0]--;
        }
    }

    @Override
    protected boolean callInProgress() {
        return depth.get()[0] > 0;
    }

    private SqlInfo analysis(String sql) {
        if (sql == null) {
            return NO_SQL;
        }
        SqlInfo info = analyses.getIfPresent(sql);
        if (info == null) {
            info = new SqlInfo(SqlAnalyzer.analyze(sql));
            analyses.put(sql, info);
        }
        return info;
    }

    private ConnInfo connectionOf(Object statement, int[] d) {
        Connection c;
        d[0]++;
        try {
            c = ((Statement) statement).getConnection();
        } catch (SQLException | RuntimeException e) {
            return ConnInfo.UNKNOWN;
        } finally {
            d[0]--;
        }
        return c == null ? ConnInfo.UNKNOWN : connection(c, d);
    }

    private ConnInfo connection(Object connection, int[] d) {
        ConnInfo info = connections.getIfPresent(connection);
        if (info != null) {
            return info;
        }
        String url = null;
        String user = null;
        d[0]++;
        try {
            DatabaseMetaData meta = ((Connection) connection).getMetaData();
            url = meta.getURL();
            user = meta.getUserName();
        } catch (SQLException | RuntimeException e) {
            // a closed or unusual connection: describe it as far as we can
        } finally {
            d[0]--;
        }
        info = ConnInfo.of(url, user);
        connections.put(connection, info);
        return info;
    }

    /** The connection's current schema, read from the driver when not known; {@code owner} is a statement or connection. */
    private String schema(ConnInfo conn, Object owner, int[] d) {
        if (conn == ConnInfo.UNKNOWN) {
            return null;
        }
        if (conn.schemaKnown) {
            return conn.schema;
        }
        String schema = null;
        d[0]++;
        try {
            Connection c = owner instanceof Connection ? (Connection) owner : ((Statement) owner).getConnection();
            schema = conn.schemaIsCatalog ? c.getCatalog() : c.getSchema();
        } catch (SQLException | RuntimeException | AbstractMethodError e) {
            // drivers older than JDBC 4.1 have no getSchema
        } finally {
            d[0]--;
        }
        conn.schema = schema == null ? null : schema.toLowerCase(Locale.ROOT);
        conn.schemaKnown = true;
        return conn.schema;
    }
}
