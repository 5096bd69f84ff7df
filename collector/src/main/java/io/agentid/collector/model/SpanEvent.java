package io.agentid.collector.model;

import java.util.Map;

/** A span event: name, time, attributes (values as in {@link SpanRecord}). */
public record SpanEvent(String name, long epochNanos, Map<String, Object> attributes) {
    public SpanEvent {
        name = name == null ? "" : name;
        attributes = attributes == null ? Map.of() : attributes;
    }
}
