package io.agentid.runtime;

import io.agentid.policy.PolicyEngine;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * What every interceptor shares: who the agent is, the policy that decides its calls, and where the records
 * of those calls go. One instance per JVM, built by the agent at start.
 */
public final class AgentRuntime {
    private final String agentId;
    private volatile PolicyEngine engine;
    private final SpanPipeline pipeline;
    private final boolean blockOnInternalError;
    private final BiFunction<String, String, String> settings;
    /** Calls whose application already has its answer, and whose record is not submitted yet. */
    private final AtomicInteger unrecorded = new AtomicInteger();

    /**
     * @param pipeline where call records go, or null when export is off
     * @param blockOnInternalError when a fault of ours interrupts a decision: block the call (true) or let it
     *     proceed (false, the default)
     */
    public AgentRuntime(String agentId, PolicyEngine engine, SpanPipeline pipeline, boolean blockOnInternalError) {
        this(agentId, engine, pipeline, blockOnInternalError, (key, defaultValue) -> defaultValue);
    }

    /** @param settings the agent's configuration: {@code (key, default) -> value}, with the usual precedence */
    public AgentRuntime(String agentId, PolicyEngine engine, SpanPipeline pipeline, boolean blockOnInternalError,
            BiFunction<String, String, String> settings) {
        this.agentId = agentId;
        this.engine = engine;
        this.pipeline = pipeline;
        this.blockOnInternalError = blockOnInternalError;
        this.settings = settings;
    }

    /** An interceptor's own setting ({@code http.traceparent}), or {@code defaultValue}. */
    public String setting(String key, String defaultValue) {
        return settings.apply(key, defaultValue);
    }

    public String agentId() {
        return agentId;
    }

    public PolicyEngine engine() {
        return engine;
    }

    /** Swaps the policy; calls already being decided finish under the old one. */
    public void setEngine(PolicyEngine engine) {
        this.engine = engine;
    }

    public boolean blockOnInternalError() {
        return blockOnInternalError;
    }

    /**
     * A call's application has (or is about to get) its answer before the call is recorded: {@link #record} is
     * still to come, from another thread (HttpAsyncClient 4 records after completing the application's future). An
     * application that exits at that moment is waited for at shutdown ({@link #awaitRecords}).
     */
    public void expectRecord() {
        unrecorded.incrementAndGet();
    }

    /** The record announced by {@link #expectRecord}, or its end without one. */
    public void recordExpected(CallRecord record) {
        try {
            if (record != null) {
                record(record);
            }
        } finally {
            unrecorded.decrementAndGet();
        }
    }

    /**
     * At shutdown, before the last export: waits at most {@code timeoutMillis} for the records still to come. Returns
     * how many had not come by then.
     */
    public int awaitRecords(long timeoutMillis) {
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        while (unrecorded.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        return Math.max(0, unrecorded.get());
    }

    public void record(CallRecord record) {
        SpanPipeline p = pipeline;
        if (p != null) {
            p.submit(record);
        }
    }
}
