package io.agentid.interceptors.jdbc;

import io.agentid.bootstrap.JdbcHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code Driver.connect(String url, Properties info)}: SQL the URL asks the driver to run as it connects (H2's
 * {@code INIT=RUNSCRIPT ...}) is decided before the driver sees the URL.
 */
public final class ConnectUrlAdvice {
    private ConnectUrlAdvice() {}

    @Advice.OnMethodEnter
    public static boolean enter(@Advice.This Object driver, @Advice.Argument(0) String url, @Advice.Argument(1) Object info) throws Exception {
        return JdbcHooks.enterConnect(driver, url, info);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter boolean entered) {
        JdbcHooks.exitConnect(entered);
    }
}
