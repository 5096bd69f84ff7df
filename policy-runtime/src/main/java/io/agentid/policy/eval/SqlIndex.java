package io.agentid.policy.eval;

import io.agentid.policy.Decision;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code kind: sql} index: per operation, the candidate rules (those that can match a statement with that
 * operation), deny rules then allow rules, each in file order, cut into {@link SqlSegment}s of at most 64
 * rules and {@code table_not} conditions (usually one); the first rule in that order that matches decides.
 * Operations no rule names share one bucket, the rules without an {@code operation} condition. The operation
 * is looked up case-insensitively in a collision-free table ({@link PerfectHash}). {@link #decide} allocates
 * nothing.
 */
public final class SqlIndex {
    private final PerfectHash slots;
    private final String[] opKeys;
    private final int[] opBuckets;
    private final SqlSegment[][] buckets;
    private final int otherBucket;

    /**
     * @param byOperation per operation (upper case), the segments of its candidates
     * @param other the segments of the candidates for every operation not in {@code byOperation}
     */
    public SqlIndex(Map<String, SqlSegment[]> byOperation, SqlSegment[] other) {
        List<String> keys = new ArrayList<>();
        for (String op : byOperation.keySet()) {
            keys.add(Fold.upper(op));
        }
        slots = PerfectHash.of(keys);
        opKeys = new String[slots.capacity()];
        opBuckets = new int[slots.capacity()];
        buckets = new SqlSegment[byOperation.size() + 1][];
        int b = 0;
        for (Map.Entry<String, SqlSegment[]> e : byOperation.entrySet()) {
            String key = Fold.upper(e.getKey());
            int i = slots.slot(key.hashCode());
            opKeys[i] = key;
            opBuckets[i] = b;
            buckets[b++] = e.getValue().clone();
        }
        otherBucket = b;
        buckets[b] = other.clone();
    }

    private int bucket(String operation) {
        if (operation == null) {
            return otherBucket;
        }
        // Fast path: operations arrive upper case, so String's cached hash is the folded hash.
        int i = slots.slot(operation.hashCode());
        String k = opKeys[i];
        if (k != null && k.equals(operation)) {
            return opBuckets[i];
        }
        // Slow path: fold to upper case (a lower-case operation, or one no rule names).
        i = slots.slot(Fold.hashUpper(operation));
        k = opKeys[i];
        return k != null && Fold.equalsUpper(operation, k) ? opBuckets[i] : otherBucket;
    }

    /**
     * The decision of the first matching deny candidate, else of the first matching allow candidate, else null
     * (no rule matched). Arguments must not be null; null entries of {@code tables} are skipped.
     */
    public Decision decide(String agentId, String operation, String[] tables) {
        SqlSegment[] segments = buckets[bucket(operation)];
        for (int i = 0; i < segments.length; i++) {
            Decision d = segments[i].decide(agentId, tables);
            if (d != null) {
                return d;
            }
        }
        return null;
    }

    /** The ids of the candidate rules for {@code operation}, denies first then allows, each in file order (for tests and tools). */
    public List<String> candidateIds(String operation) {
        List<String> ids = new ArrayList<>();
        for (SqlSegment s : buckets[bucket(operation)]) {
            ids.addAll(List.of(s.ids()));
        }
        return ids;
    }

    /** How many segments the candidates of {@code operation} form (for tests). */
    public int segmentCount(String operation) {
        return buckets[bucket(operation)].length;
    }
}
