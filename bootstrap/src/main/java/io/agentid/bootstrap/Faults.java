package io.agentid.bootstrap;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts faults of ours caught at the bridge, and reports the first of each site once. A fault never reaches
 * the application; the call it happened in proceeds.
 */
public final class Faults {
    private static final AtomicLong COUNT = new AtomicLong();
    private static volatile Reporter reporter;

    /** Where the agent wants fault reports to go; set once at start. */
    public interface Reporter {
        void fault(String site, Throwable t, long count);
    }

    private Faults() {}

    public static void setReporter(Reporter r) {
        reporter = r;
    }

    public static long count() {
        return COUNT.get();
    }

    public static void report(String site, Throwable t) {
        long n = COUNT.incrementAndGet();
        Reporter r = reporter;
        try {
            if (r != null) {
                r.fault(site, t, n);
            } else if (n == 1) {
                System.err.println("[agentid] internal fault at " + site + ": " + t);
            }
        } catch (Throwable ignored) {
            // reporting must never become a second fault
        }
    }
}
