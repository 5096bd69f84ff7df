package io.agentid.policy.compile;

import io.agentid.policy.PolicyException;
import io.agentid.policy.model.Match;
import java.util.List;
import io.agentid.policy.parse.YamlMap;

/**
 * Checks the {@code match} mapping of one kind of rule. One implementation per kind, registered in
 * {@link PolicyChecker#KINDS}; adding a kind adds a checker and touches nothing else in the checker.
 */
interface MatchChecker {
    /** The kind, as written after {@code kind:}. */
    String kind();

    /** Every key a match of this kind may have, {@code kind} first. */
    List<String> keys();

    /** Checks and normalises {@code match} (whose {@code kind} is already known to be this one). */
    Match check(YamlMap match, Checks checks) throws PolicyException;
}
