package io.agentid.bootstrap;

/**
 * The JDBC hooks advice calls. Static entry points forward to the delegate the agent installs; the delegate
 * lives in the agent's class loader.
 *
 * <p>Contract of the {@code enter*} methods: they return a scope to hand to {@link #exit}, or null when
 * this call is not traced (a nested call, or no agent). A delegate signals a deliberate block by
 * <em>returning</em> the exception to throw (a {@code java.sql.SQLException}); anything the delegate throws
 * is a fault of ours: it is reported to {@link Faults} and the call proceeds.
 */
public abstract class JdbcHooks {
    private static volatile JdbcHooks delegate;

    protected JdbcHooks() {}

    public static void install(JdbcHooks hooks) {
        delegate = hooks;
    }

    /** {@code Statement.execute*(String sql, ...)}. */
    public static Object enterSql(Object statement, String sql) throws Exception {
        JdbcHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object scope;
        try {
            scope = d.sql(statement, sql);
        } catch (Throwable t) {
            Faults.report("jdbc.enter", t);
            return null;
        }
        if (scope instanceof Exception) {
            throw (Exception) scope;
        }
        return scope;
    }

    /**
     * {@code Driver.connect(url, info)}: SQL the URL or the properties ask the driver to run at connect (H2's
     * {@code INIT=}) is the application's, and is decided like a statement.
     */
    public static boolean enterConnect(Object driver, String url, Object info) throws Exception {
        JdbcHooks d = delegate;
        if (d == null || url == null) {
            return false;
        }
        Object r;
        try {
            r = d.connectSql(driver, url, info);
        } catch (Throwable t) {
            Faults.report("jdbc.connect", t);
            return false;
        }
        if (r instanceof Exception) {
            throw (Exception) r;
        }
        return Boolean.TRUE.equals(r);
    }

    /** Leaves a {@code Driver.connect} that {@link #enterConnect} entered ({@code entered} is its answer). */
    public static void exitConnect(boolean entered) {
        JdbcHooks d = delegate;
        if (d == null || !entered) {
            return;
        }
        try {
            d.connectExit();
        } catch (Throwable t) {
            Faults.report("jdbc.connect", t);
        }
    }

    /** {@code PreparedStatement.execute*()}: the SQL was captured when the statement was prepared. */
    public static Object enterPrepared(Object statement) throws Exception {
        JdbcHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object scope;
        try {
            scope = d.prepared(statement);
        } catch (Throwable t) {
            Faults.report("jdbc.enter", t);
            return null;
        }
        if (scope instanceof Exception) {
            throw (Exception) scope;
        }
        return scope;
    }

    /** {@code executeBatch()} / {@code executeLargeBatch()} on any statement. */
    public static Object enterBatch(Object statement) throws Exception {
        JdbcHooks d = delegate;
        if (d == null) {
            return null;
        }
        Object scope;
        try {
            scope = d.batch(statement);
        } catch (Throwable t) {
            Faults.report("jdbc.enter", t);
            return null;
        }
        if (scope instanceof Exception) {
            throw (Exception) scope;
        }
        return scope;
    }

    public static void exit(Object scope, Throwable thrown) {
        if (scope == null) {
            return;
        }
        JdbcHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.end(scope, thrown);
        } catch (Throwable t) {
            Faults.report("jdbc.exit", t);
        }
    }

    /** {@code Connection.prepareStatement(sql, ...)} / {@code prepareCall(sql, ...)} returned {@code statement}. */
    public static void prepared(Object connection, String sql, Object statement) {
        JdbcHooks d = delegate;
        if (d == null || statement == null) {
            return;
        }
        try {
            d.onPrepare(connection, sql, statement);
        } catch (Throwable t) {
            Faults.report("jdbc.prepare", t);
        }
    }

    /** {@code addBatch(sql)} on a statement, or {@code addBatch()} on a prepared statement ({@code sql} null). */
    public static void addBatch(Object statement, String sql) {
        JdbcHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.onAddBatch(statement, sql);
        } catch (Throwable t) {
            Faults.report("jdbc.addBatch", t);
        }
    }

    public static void clearBatch(Object statement) {
        JdbcHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.onClearBatch(statement);
        } catch (Throwable t) {
            Faults.report("jdbc.clearBatch", t);
        }
    }

    /**
     * A driver method whose own SQL is not the application's call ({@code Driver.connect}, metadata, session
     * settings): guarded calls made inside it are neither decided nor traced. Returns a token for
     * {@link #exitInternal}.
     */
    public static Object enterInternal() {
        JdbcHooks d = delegate;
        if (d == null) {
            return null;
        }
        try {
            return d.internalEnter();
        } catch (Throwable t) {
            Faults.report("jdbc.internal", t);
            return null;
        }
    }

    /**
     * True while a guarded JDBC call or a driver-internal method ({@code Driver.connect}) runs on this thread:
     * the connections a driver opens to its own database then are the JDBC rules' business, not egress rules'.
     */
    public static boolean inCall() {
        JdbcHooks d = delegate;
        if (d == null) {
            return false;
        }
        try {
            return d.callInProgress();
        } catch (Throwable t) {
            Faults.report("jdbc.inCall", t);
            return false;
        }
    }

    public static void exitInternal(Object token) {
        JdbcHooks d = delegate;
        if (d == null || token == null) {
            return;
        }
        try {
            d.internalExit(token);
        } catch (Throwable t) {
            Faults.report("jdbc.internal", t);
        }
    }

    /** {@code Connection.setSchema(..)} returned: the connection's current schema may have changed. */
    public static void schemaChanged(Object connection) {
        JdbcHooks d = delegate;
        if (d == null) {
            return;
        }
        try {
            d.onSchemaChanged(connection);
        } catch (Throwable t) {
            Faults.report("jdbc.setSchema", t);
        }
    }

    protected abstract Object sql(Object statement, String sql) throws Exception;

    protected abstract Object prepared(Object statement) throws Exception;

    protected abstract Object batch(Object statement) throws Exception;

    protected abstract void end(Object scope, Throwable thrown);

    protected abstract void onPrepare(Object connection, String sql, Object statement);

    protected abstract void onAddBatch(Object statement, String sql);

    protected abstract void onClearBatch(Object statement);

    protected abstract void onSchemaChanged(Object connection);

    protected abstract Object internalEnter();

    protected abstract void internalExit(Object token);

    /** See {@link #inCall()}; false unless a delegate knows better. */
    /**
     * Decides SQL a connection URL runs at connect: returns the exception to throw, {@code Boolean.TRUE} when this
     * is the outermost connect on the thread (then {@link #connectExit} follows), or null.
     */
    protected Object connectSql(Object driver, String url, Object info) throws Exception {
        return null;
    }

    protected void connectExit() {
    }

    protected boolean callInProgress() {
        return false;
    }
}
