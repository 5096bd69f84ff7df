package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/**
 * Driver methods that run SQL of their own ({@code Driver.connect}, {@code DataSource.getConnection},
 * {@code DatabaseMetaData} queries, session
 * settings on {@code Connection}): that SQL is the driver's, not the application's call, so it is neither
 * decided nor traced.
 */
public final class InternalCallAdvice {
    private InternalCallAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter() {
        return JdbcHooks.enterInternal();
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
        JdbcHooks.exitInternal(token);
    }
}
