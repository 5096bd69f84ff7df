package io.agentid.policy.eval;

import io.agentid.policy.Decision;

/**
 * A {@code kind: sql} rule as compiled into one {@link SqlSegment}: its prebuilt decision, the bits its
 * {@code table} and {@code table_not} conditions have in the segment's {@link TableMatcher} (0 when absent),
 * and its agent conditions (null when absent). A rule matches when: {@code table} is absent or some table
 * matches it (its bit is in the OR of the tables' match bits); {@code table_not} is absent or some table does
 * not match it (its bit is in the OR of the complements); and the agent conditions hold. The operation
 * conditions are not here: the {@link SqlIndex} has resolved them by placing the rule only in the buckets of
 * operations it can match.
 */
public record SqlRule(String id, Decision decision, long tableBit, long tableNotBit, AgentCondition agent,
        AgentCondition agentNot) {}
