package io.agentid.runtime;

import io.agentid.policy.Decision;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * One guarded call, as captured on the application thread; interceptors use it as their scope object too. Kept small and cheap to build: everything that
 * is expensive (ids, attributes, the span itself) is derived on the export thread.
 */
public abstract class CallRecord {
    final long startNanoTime;
    final Decision decision;
    /** True when the call was stopped; false for allowed calls and for monitor-mode denials. */
    final boolean blocked;
    long endNanoTime;
    /** The class name of what the call threw (not our block), or null. */
    String errorType;
    /** Ids chosen on the application thread (when they were propagated, as a traceparent), or null. */
    String traceId;
    String spanId;

    protected CallRecord(long startNanoTime, Decision decision, boolean blocked) {
        this.startNanoTime = startNanoTime;
        this.decision = decision;
        this.blocked = blocked;
    }

    /**
     * Marks the end of the call. Called once, on the thread that made the call, before the record is handed
     * to {@link AgentRuntime#record}; the queue hand-off publishes these writes to the export thread.
     */
    public final void finish(long endNanoTime, Throwable thrown) {
        this.endNanoTime = endNanoTime;
        this.errorType = thrown == null ? null : thrown.getClass().getName();
    }

    /**
     * Fixes this call's span ids now rather than on the export thread, for an interceptor that propagates
     * them (a W3C {@code traceparent} header): 32 and 16 lower-case hex digits.
     */
    protected final void presetIds(String traceId, String spanId) {
        this.traceId = traceId;
        this.spanId = spanId;
    }

    /**
     * Marks the call failed without an exception (an HTTP 5xx answer): {@code error.type} and status ERROR.
     * Call after {@link #finish}.
     */
    protected final void failed(String errorType) {
        this.errorType = errorType;
    }

    public final Decision decision() {
        return decision;
    }

    /** Spans of denied calls are evidence and travel in their own queue, never crowded out by allowed calls. */
    final boolean isEvidence() {
        return decision.isDeny();
    }

    /** The call kind, {@code sql}, {@code http}, ...: the value of {@code agentid.kind}. */
    protected abstract String kind();

    protected abstract String spanName();

    /** Adds the kind's semantic-convention attributes; the {@code agentid.*} decision attributes are added for it. */
    protected abstract void addAttributes(AttributesBuilder attributes);
}
