package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/** {@code PreparedStatement.addBatch()}: count the batch's rows. */
public final class PreparedAddBatchAdvice {
    private PreparedAddBatchAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object statement) {
        JdbcHooks.addBatch(statement, null);
    }
}
