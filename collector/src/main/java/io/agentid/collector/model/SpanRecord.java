package io.agentid.collector.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One span as the collector keeps it: the OTLP span flattened with its resource and scope, independent of the
 * protocol classes. Ids are lowercase hex (32 and 16 characters); {@code parentSpanId} is {@code ""} for a root.
 * Attribute values are {@code String}, {@code Long}, {@code Double}, {@code Boolean}, {@code List<Object>} (OTLP
 * arrays), {@code Map<String, Object>} (OTLP kvlists) or {@code byte[]}.
 *
 * <p>{@link #call()} is the derived review view (agent, kind, decision, ...), computed once.
 */
public final class SpanRecord {

    private final String traceId;
    private final String spanId;
    private final String parentSpanId;
    private final String name;
    private final int kind;
    private final long startEpochNanos;
    private final long endEpochNanos;
    private final int statusCode;
    private final String statusMessage;
    private final Map<String, Object> resourceAttributes;
    private final String scopeName;
    private final Map<String, Object> attributes;
    private final List<SpanEvent> events;
    private CallView call;

    public SpanRecord(String traceId, String spanId, String parentSpanId, String name, int kind,
            long startEpochNanos, long endEpochNanos, int statusCode, String statusMessage,
            Map<String, Object> resourceAttributes, String scopeName, Map<String, Object> attributes,
            List<SpanEvent> events) {
        this.traceId = Objects.requireNonNull(traceId, "traceId");
        this.spanId = Objects.requireNonNull(spanId, "spanId");
        this.parentSpanId = parentSpanId == null ? "" : parentSpanId;
        this.name = name == null ? "" : name;
        this.kind = kind;
        this.startEpochNanos = startEpochNanos;
        this.endEpochNanos = endEpochNanos;
        this.statusCode = statusCode;
        this.statusMessage = statusMessage == null ? "" : statusMessage;
        this.resourceAttributes = resourceAttributes == null ? Map.of() : resourceAttributes;
        this.scopeName = scopeName == null ? "" : scopeName;
        this.attributes = attributes == null ? Map.of() : attributes;
        this.events = events == null ? List.of() : events;
    }

    public String traceId() { return traceId; }
    public String spanId() { return spanId; }
    public String parentSpanId() { return parentSpanId; }
    public String name() { return name; }
    /** OTLP {@code SpanKind} number: 0 unspecified, 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
    public int kind() { return kind; }
    public long startEpochNanos() { return startEpochNanos; }
    public long endEpochNanos() { return endEpochNanos; }
    /** OTLP {@code StatusCode} number: 0 unset, 1 ok, 2 error. */
    public int statusCode() { return statusCode; }
    public String statusMessage() { return statusMessage; }
    public Map<String, Object> resourceAttributes() { return resourceAttributes; }
    public String scopeName() { return scopeName; }
    public Map<String, Object> attributes() { return attributes; }
    public List<SpanEvent> events() { return events; }

    /** {@code service.name} of the resource, or {@code ""}. */
    public String serviceName() {
        Object v = resourceAttributes.get("service.name");
        return v instanceof String s ? s : "";
    }

    public CallView call() {
        CallView c = call;
        if (c == null) {
            c = CallView.of(this);
            call = c;
        }
        return c;
    }

    @Override
    public String toString() {
        return "SpanRecord[" + traceId + "/" + spanId + " " + name + "]";
    }
}
