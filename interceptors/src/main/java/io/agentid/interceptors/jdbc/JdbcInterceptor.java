package io.agentid.interceptors.jdbc;

import static net.bytebuddy.matcher.ElementMatchers.declaresMethod;
import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isInterface;
import static net.bytebuddy.matcher.ElementMatchers.isMethod;
import static net.bytebuddy.matcher.ElementMatchers.isPublic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.returns;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentid.bootstrap.JdbcHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.ClassCandidates;
import io.agentid.runtime.Interceptor;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every way to run SQL through {@code java.sql}: every concrete {@code Statement} (so prepared and callable
 * statements, and pool wrappers such as HikariCP's proxies) and every concrete {@code Connection}. Pools and
 * drivers that call one instrumented method from another are handled by the guard's call depth: only the
 * outermost call is decided and traced.
 */
public final class JdbcInterceptor implements Interceptor {
    static final ElementMatcher.Junction<TypeDescription> STATEMENTS = not(isInterface())
            .and(hasSuperType(named("java.sql.Statement"))
                    // base classes that implement the methods for a subclass that implements Statement
                    // (sqlite-jdbc's JDBC3Statement); the guard ignores calls on non-Statements
                    .or(declaresMethod(named("executeQuery").and(returns(named("java.sql.ResultSet"))))));
    static final ElementMatcher.Junction<TypeDescription> CONNECTIONS = not(isInterface())
            .and(hasSuperType(named("java.sql.Connection"))
                    .or(declaresMethod(named("prepareStatement").and(returns(named("java.sql.PreparedStatement"))))));
    static final ElementMatcher.Junction<TypeDescription> DRIVERS = not(isInterface())
            .and(hasSuperType(namedOneOf("java.sql.Driver", "javax.sql.DataSource")));
    static final ElementMatcher.Junction<TypeDescription> METADATA = not(isInterface())
            .and(hasSuperType(named("java.sql.DatabaseMetaData")));
    private static final ElementMatcher.Junction<MethodDescription> CODE = isMethod().and(isPublic()).and(not(isAbstract()));

    @Override
    public String name() {
        return "jdbc";
    }

    /**
     * A class this interceptor transforms either names a {@code java.sql}/{@code javax.sql} type (it implements
     * one, or a method it declares returns or throws one: {@code ResultSet}, {@code Connection},
     * {@code SQLException}), or extends a class that does and declares one of the methods below without naming
     * any (an {@code execute(String)} with no {@code throws SQLException}); the method names cover that case
     * ({@code execute} covers {@code executeQuery} and the rest; {@code prepareStatement}, {@code connect} and
     * {@code getConnection} return {@code java.sql} types). Anything else inherits its JDBC methods from an
     * instrumented superclass, or overrides only the connection methods marked internal (where a miss means the
     * driver's own SQL is decided, never that the application's is not).
     */
    static final String[] MARKERS = {"java/sql/", "javax/sql/", "execute", "addBatch", "clearBatch", "setSchema",
            "setCatalog"};

    @Override
    public ClassCandidates candidates() {
        return ClassCandidates.containing(MARKERS);
    }

    private static final ElementMatcher.Junction<MethodDescription> EXECUTE_SQL = CODE
            .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
            .and(takesArgument(0, String.class));
    private static final ElementMatcher.Junction<MethodDescription> EXECUTE_PREPARED = CODE
            .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate")).and(takesArguments(0));
    private static final ElementMatcher.Junction<MethodDescription> EXECUTE_BATCH = CODE
            .and(namedOneOf("executeBatch", "executeLargeBatch")).and(takesArguments(0));
    private static final ElementMatcher.Junction<MethodDescription> ADD_BATCH = CODE
            .and(named("addBatch")).and(takesArguments(String.class));
    private static final ElementMatcher.Junction<MethodDescription> ADD_PREPARED_BATCH = CODE
            .and(named("addBatch")).and(takesArguments(0));
    private static final ElementMatcher.Junction<MethodDescription> CLEAR_BATCH = CODE
            .and(named("clearBatch")).and(takesArguments(0));
    private static final ElementMatcher.Junction<MethodDescription> PREPARE = CODE
            .and(namedOneOf("prepareStatement", "prepareCall")).and(takesArgument(0, String.class));
    private static final ElementMatcher.Junction<MethodDescription> SET_SCHEMA = CODE
            .and(namedOneOf("setSchema", "setCatalog")).and(takesArguments(1));
    private static final ElementMatcher.Junction<MethodDescription> CONNECT_URL = CODE
            .and(named("connect")).and(takesArguments(2)).and(takesArgument(0, String.class));
    /** The methods whose advice sees the application's SQL or the schema it resolves against. */
    static final ElementMatcher.Junction<MethodDescription> GUARDED = EXECUTE_SQL.or(EXECUTE_PREPARED)
            .or(EXECUTE_BATCH).or(ADD_BATCH).or(ADD_PREPARED_BATCH).or(CLEAR_BATCH).or(PREPARE).or(SET_SCHEMA)
            .or(CONNECT_URL);

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentRuntime runtime) {
        JdbcHooks.install(new JdbcGuard(runtime));
        return agent
                .type(STATEMENTS)
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(StatementExecuteAdvice.class).on(EXECUTE_SQL))
                        .visit(Advice.to(PreparedExecuteAdvice.class).on(EXECUTE_PREPARED))
                        .visit(Advice.to(BatchExecuteAdvice.class).on(EXECUTE_BATCH))
                        .visit(Advice.to(AddBatchAdvice.class).on(ADD_BATCH))
                        .visit(Advice.to(PreparedAddBatchAdvice.class).on(ADD_PREPARED_BATCH))
                        .visit(Advice.to(ClearBatchAdvice.class).on(CLEAR_BATCH)))
                .type(CONNECTIONS)
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(PrepareAdvice.class).on(PREPARE))
                        .visit(Advice.to(SetSchemaAdvice.class).on(SET_SCHEMA))
                        .visit(Advice.to(InternalCallAdvice.class).on(CODE
                                .and(namedOneOf("getSchema", "getCatalog", "setReadOnly", "isReadOnly",
                                        "setTransactionIsolation", "getTransactionIsolation", "setAutoCommit",
                                        "getAutoCommit", "setClientInfo", "getClientInfo", "isValid", "getMetaData",
                                        "setNetworkTimeout", "getNetworkTimeout", "setHoldability")))))
                // only the methods that can run SQL of the driver's own: weaving every setter of a pool's
                // DataSource or all ~180 metadata methods would cost start-up for nothing
                .type(DRIVERS)
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ConnectUrlAdvice.class).on(CONNECT_URL))
                        .visit(Advice.to(InternalCallAdvice.class).on(CODE
                                .and(namedOneOf("connect", "getConnection")))))
                .type(METADATA)
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(InternalCallAdvice.class).on(CODE
                                .and(returns(named("java.sql.ResultSet"))))));
    }
}
