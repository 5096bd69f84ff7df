package io.agentid.collector.store;

/**
 * Filters of {@code GET /api/calls}. A {@code null} filter matches everything. Times are epoch nanoseconds of the
 * span start: {@code since} inclusive, {@code until} exclusive.
 */
public record CallQuery(String decision, String agent, String rule, String kind, Long sinceEpochNanos,
        Long untilEpochNanos, int limit) {

    public static final int DEFAULT_LIMIT = 100;
    public static final int MAX_LIMIT = 1000;

    public static CallQuery all(int limit) {
        return new CallQuery(null, null, null, null, null, null, limit);
    }
}
