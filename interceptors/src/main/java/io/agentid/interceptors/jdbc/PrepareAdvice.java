package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** {@code Connection.prepareStatement(String sql, ...)} / {@code prepareCall(String sql, ...)}: capture the SQL. */
public final class PrepareAdvice {
    private PrepareAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object connection, @Advice.Argument(0) String sql,
            @Advice.Return Object statement) {
        JdbcHooks.prepared(connection, sql, statement);
    }
}
