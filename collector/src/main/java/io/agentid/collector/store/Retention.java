package io.agentid.collector.store;

import java.time.Duration;

/**
 * What the store keeps: spans younger than {@code maxAge} (by start time), and at most {@code maxBytes} of data
 * on disk, deleting oldest first. {@code null} means no limit of that kind.
 */
public record Retention(Duration maxAge, Long maxBytes) {
}
