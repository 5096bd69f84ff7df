package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** {@code Statement.execute*(String sql, ...)}: decide on the SQL before the driver sees it. */
public final class StatementExecuteAdvice {
    private StatementExecuteAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object statement, @Advice.Argument(0) String sql) throws Exception {
        return JdbcHooks.enterSql(statement, sql);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
        JdbcHooks.exit(scope, thrown);
    }
}
