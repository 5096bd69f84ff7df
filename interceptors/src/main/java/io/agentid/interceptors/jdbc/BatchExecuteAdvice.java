package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** {@code executeBatch()} / {@code executeLargeBatch()}: decide every batched statement as one call. */
public final class BatchExecuteAdvice {
    private BatchExecuteAdvice() {}

    @Advice.OnMethodEnter
    public static Object enter(@Advice.This Object statement) throws Exception {
        return JdbcHooks.enterBatch(statement);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object scope, @Advice.Thrown Throwable thrown) {
        JdbcHooks.exit(scope, thrown);
    }
}
