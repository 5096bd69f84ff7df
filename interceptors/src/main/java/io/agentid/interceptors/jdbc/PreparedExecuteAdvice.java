package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** {@code PreparedStatement.execute*()}: decide on the SQL captured when the statement was prepared. */
public final class PreparedExecuteAdvice {
    private PreparedExecuteAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object statement) throws Exception {
        return JdbcHooks.enterPrepared(statement);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
        JdbcHooks.exit(scope, thrown);
    }
}
