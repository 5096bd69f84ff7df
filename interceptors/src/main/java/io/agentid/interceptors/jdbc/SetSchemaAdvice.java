package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code Connection.setSchema(..)} / {@code setCatalog(..)}: the SQL a driver runs to switch schema is its
 * own, and afterwards unqualified names may resolve elsewhere.
 */
public final class SetSchemaAdvice {
    private SetSchemaAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
        return JdbcHooks.enterInternal();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.This Object connection, @Advice.Enter Object token) {
        JdbcHooks.exitInternal(token);
        JdbcHooks.schemaChanged(connection);
    }
}
