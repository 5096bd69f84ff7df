package io.agentid.runtime;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A thread of agentid's own (the export thread, the exporter's HTTP sender). Interceptors neither decide nor
 * trace what such a thread does, so agentid never blocks or records its own export: the check is an
 * {@code instanceof} on the current thread, cheap enough for every intercepted call.
 */
public final class AgentThread extends Thread {
    public AgentThread(Runnable task, String name) {
        super(task, name);
        setDaemon(true);
    }

    /** True when the calling thread is one of agentid's. */
    public static boolean current() {
        return Thread.currentThread() instanceof AgentThread;
    }

    /** Daemon agent threads named {@code name-1}, {@code name-2}, ... */
    public static ThreadFactory factory(String name) {
        AtomicInteger n = new AtomicInteger();
        return task -> new AgentThread(task, name + "-" + n.incrementAndGet());
    }
}
