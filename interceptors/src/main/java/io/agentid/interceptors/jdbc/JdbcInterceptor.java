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
import io.agentid.runtime.Interceptor;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Every way to run SQL through {@code java.sql}: every concrete {@code Statement} (so prepared and callable
 * statements, and pool wrappers such as HikariCP's proxies) and every concrete {@code Connection}. Pools and
 * drivers that call one instrumented method from another are handled by the guard's call depth: only the
 * outermost call is decided and traced.
 */
public final class JdbcInterceptor implements Interceptor {
    private static final ElementMatcher.Junction<MethodDescription> CODE = isMethod().and(isPublic()).and(not(isAbstract()));

    @Override
    public String name() {
        return "jdbc";
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentRuntime runtime) {
        JdbcHooks.install(new JdbcGuard(runtime));
        return agent
                .type(not(isInterface()).and(hasSuperType(named("java.sql.Statement"))
                        // base classes that implement the methods for a subclass that implements Statement
                        // (sqlite-jdbc's JDBC3Statement); the guard ignores calls on non-Statements
                        .or(declaresMethod(named("executeQuery").and(returns(named("java.sql.ResultSet")))))))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(StatementExecuteAdvice.class).on(CODE
                                .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                                .and(takesArgument(0, String.class))))
                        .visit(Advice.to(PreparedExecuteAdvice.class).on(CODE
                                .and(namedOneOf("execute", "executeQuery", "executeUpdate", "executeLargeUpdate"))
                                .and(takesArguments(0))))
                        .visit(Advice.to(BatchExecuteAdvice.class).on(CODE
                                .and(namedOneOf("executeBatch", "executeLargeBatch"))
                                .and(takesArguments(0))))
                        .visit(Advice.to(AddBatchAdvice.class).on(CODE
                                .and(named("addBatch")).and(takesArguments(String.class))))
                        .visit(Advice.to(PreparedAddBatchAdvice.class).on(CODE
                                .and(named("addBatch")).and(takesArguments(0))))
                        .visit(Advice.to(ClearBatchAdvice.class).on(CODE
                                .and(named("clearBatch")).and(takesArguments(0)))))
                .type(not(isInterface()).and(hasSuperType(named("java.sql.Connection"))
                        .or(declaresMethod(named("prepareStatement").and(returns(named("java.sql.PreparedStatement")))))))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(PrepareAdvice.class).on(CODE
                                .and(namedOneOf("prepareStatement", "prepareCall"))
                                .and(takesArgument(0, String.class))))
                        .visit(Advice.to(SetSchemaAdvice.class).on(CODE
                                .and(namedOneOf("setSchema", "setCatalog"))
                                .and(takesArguments(1))))
                        .visit(Advice.to(InternalCallAdvice.class).on(CODE
                                .and(namedOneOf("getSchema", "getCatalog", "setReadOnly", "isReadOnly",
                                        "setTransactionIsolation", "getTransactionIsolation", "setAutoCommit",
                                        "getAutoCommit", "setClientInfo", "getClientInfo", "isValid", "getMetaData",
                                        "setNetworkTimeout", "getNetworkTimeout", "setHoldability")))))
                // only the methods that can run SQL of the driver's own: weaving every setter of a pool's
                // DataSource or all ~180 metadata methods would cost start-up for nothing
                .type(not(isInterface()).and(hasSuperType(namedOneOf("java.sql.Driver", "javax.sql.DataSource"))))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ConnectUrlAdvice.class).on(CODE
                                .and(named("connect")).and(takesArguments(2)).and(takesArgument(0, String.class))))
                        .visit(Advice.to(InternalCallAdvice.class).on(CODE
                                .and(namedOneOf("connect", "getConnection")))))
                .type(not(isInterface()).and(hasSuperType(named("java.sql.DatabaseMetaData"))))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(InternalCallAdvice.class).on(CODE
                                .and(returns(named("java.sql.ResultSet"))))));
    }
}
