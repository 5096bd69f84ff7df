package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** {@code Statement.addBatch(String sql)}: remember the SQL for the decision at {@code executeBatch}. */
public final class AddBatchAdvice {
    private AddBatchAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement, @Advice.Argument(0) String sql) {
        JdbcHooks.addBatch(statement, sql);
    }
}
