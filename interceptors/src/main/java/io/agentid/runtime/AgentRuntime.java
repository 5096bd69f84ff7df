package io.agentid.runtime;

import io.agentid.policy.PolicyEngine;
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

    public void record(CallRecord record) {
        SpanPipeline p = pipeline;
        if (p != null) {
            p.submit(record);
        }
    }
}
