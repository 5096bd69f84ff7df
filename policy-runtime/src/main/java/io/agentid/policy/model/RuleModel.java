package io.agentid.policy.model;

import io.agentid.policy.Verdict;
import io.agentid.policy.parse.Position;
import java.util.Objects;

/**
 * One checked rule.
 *
 * @param id unique within the policy, matches {@code [a-z0-9][a-z0-9._-]*}
 * @param decision what the rule decides when it matches
 * @param reason the decision's reason: as written, or {@code allowed by rule '<id>'} for an allow rule without one
 * @param match the conditions, of one kind
 * @param index the rule's position in the file, from 0
 * @param position where the rule's mapping starts
 */
public record RuleModel(String id, Verdict decision, String reason, Match match, int index, Position position) {
    public RuleModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(decision, "decision");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(position, "position");
    }
}
