package io.agentid.runtime;

import java.io.PrintStream;

/**
 * The agent's own log: one line per event on standard error, prefixed {@code [agentid]}. The agent carries no
 * logging framework, so the application's logging configuration is never touched.
 */
public final class AgentLog {
    public enum Level { DEBUG, INFO, WARN, ERROR, OFF }

    private static volatile Level threshold = Level.INFO;
    private static final PrintStream OUT = System.err;

    private AgentLog() {}

    public static void setLevel(Level level) {
        threshold = level;
    }

    public static boolean debugEnabled() {
        return threshold == Level.DEBUG;
    }

    public static void debug(String message) {
        log(Level.DEBUG, message, null);
    }

    public static void info(String message) {
        log(Level.INFO, message, null);
    }

    public static void warn(String message) {
        log(Level.WARN, message, null);
    }

    public static void error(String message, Throwable t) {
        log(Level.ERROR, message, t);
    }

    private static void log(Level level, String message, Throwable t) {
        if (level.ordinal() < threshold.ordinal()) {
            return;
        }
        String prefix = level == Level.INFO ? "[agentid] " : "[agentid] " + level.name().toLowerCase() + ": ";
        OUT.println(prefix + message);
        if (t != null && threshold == Level.DEBUG) {
            t.printStackTrace(OUT);
        }
    }
}
