package io.agentid.policy.model;

import io.agentid.policy.Mode;
import io.agentid.policy.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A checked, normalised policy: the output of the checker and the input of both evaluators. Immutable.
 *
 * @param source where the policy came from, for messages
 * @param version the content hash, {@code sha256:} and 16 hex digits
 * @param mode enforce or monitor
 * @param defaultVerdict the decision when no rule matches
 * @param unanalysableSql the decision for SQL the analyser cannot understand
 * @param rules every rule, in file order
 */
public record PolicyModel(String source, String version, Mode mode, Verdict defaultVerdict, Verdict unanalysableSql,
        List<RuleModel> rules) {

    public PolicyModel {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(defaultVerdict, "defaultVerdict");
        Objects.requireNonNull(unanalysableSql, "unanalysableSql");
        rules = List.copyOf(rules);
    }

    /** The rules whose match has {@code kind}, in file order. */
    public List<RuleModel> rulesOfKind(String kind) {
        List<RuleModel> out = new ArrayList<>();
        for (RuleModel r : rules) {
            if (r.match().kind().equals(kind)) {
                out.add(r);
            }
        }
        return out;
    }

    /** The reason of the decision made when no rule matches. */
    public String defaultReason() {
        return "no rule matched; default is " + defaultVerdict.label();
    }

    /** The reason of the decision for SQL that could not be analysed. */
    public String unanalysableReason() {
        return "the SQL could not be analysed; unanalysable_sql is " + unanalysableSql.label();
    }
}
