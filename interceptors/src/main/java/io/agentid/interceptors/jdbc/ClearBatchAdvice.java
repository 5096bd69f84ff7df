package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** {@code Statement.clearBatch()}. */
public final class ClearBatchAdvice {
    private ClearBatchAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement) {
        JdbcHooks.clearBatch(statement);
    }
}
