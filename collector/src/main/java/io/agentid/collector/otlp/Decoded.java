package io.agentid.collector.otlp;

import io.agentid.collector.model.SpanRecord;
import java.util.List;

/**
 * A decoded OTLP trace export request: the spans that are valid, and how many were rejected and why (for OTLP
 * partial success). {@code rejectedReason} is {@code ""} when nothing was rejected.
 */
public record Decoded(List<SpanRecord> spans, long rejected, String rejectedReason) {
}
