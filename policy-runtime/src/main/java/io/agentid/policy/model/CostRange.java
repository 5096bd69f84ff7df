package io.agentid.policy.model;

/**
 * A checked {@code cost_usd} condition: the estimated cost lies within the stated bounds. An absent bound is
 * NaN. Holds only for a known cost: a NaN cost (unknown) never satisfies a cost condition.
 *
 * @param lower the lower bound ({@code gt} or {@code gte}), or NaN
 * @param lowerInclusive {@code gte} rather than {@code gt}
 * @param upper the upper bound ({@code lt} or {@code lte}), or NaN
 * @param upperInclusive {@code lte} rather than {@code lt}
 */
public record CostRange(double lower, boolean lowerInclusive, double upper, boolean upperInclusive) {

    /** Whether {@code costUsd} (NaN when unknown) satisfies the condition. */
    public boolean holds(double costUsd) {
        if (Double.isNaN(costUsd)) {
            return false;
        }
        if (!Double.isNaN(lower) && (lowerInclusive ? costUsd < lower : costUsd <= lower)) {
            return false;
        }
        return Double.isNaN(upper) || (upperInclusive ? costUsd <= upper : costUsd < upper);
    }
}
