package io.agentid.policy.compile;

import static io.agentid.policy.parse.YamlParser.quote;

import io.agentid.policy.Mode;
import io.agentid.policy.PolicyException;
import io.agentid.policy.Verdict;
import io.agentid.policy.model.Match;
import io.agentid.policy.model.PolicyModel;
import io.agentid.policy.model.RuleModel;
import io.agentid.policy.parse.YamlEntry;
import io.agentid.policy.parse.YamlList;
import io.agentid.policy.parse.YamlMap;
import io.agentid.policy.parse.YamlNode;
import io.agentid.policy.parse.YamlScalar;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Stage 2 of policy loading: checks a parsed document against the policy schema and normalises it into a
 * {@link PolicyModel}. Reports the first problem: within each mapping, unknown keys first, then missing
 * required keys (at the mapping), then each value in file order.
 */
public final class PolicyChecker {
    static final List<String> TOP_KEYS = List.of("version", "mode", "default", "unanalysable_sql", "rules");
    static final List<String> RULE_KEYS = List.of("id", "match", "decision", "reason");
    static final Pattern RULE_ID = Pattern.compile("[a-z0-9][a-z0-9._-]*");

    /** Rule ids that decisions use for themselves. */
    static final List<String> RESERVED_IDS = List.of("default", "policy-error", "unanalysable-sql");

    /** Every kind of match, by name. */
    static final Map<String, MatchChecker> KINDS;

    static {
        Map<String, MatchChecker> kinds = new TreeMap<>();
        for (MatchChecker c : List.<MatchChecker>of(new SqlMatchChecker(), new HttpMatchChecker())) {
            kinds.put(c.kind(), c);
        }
        KINDS = java.util.Collections.unmodifiableMap(kinds);
    }

    private static final List<String> VERDICTS = List.of("allow", "deny");
    private static final List<String> MODES = List.of("enforce", "monitor");

    private final Checks checks;

    private PolicyChecker(String source) {
        this.checks = new Checks(source);
    }

    /**
     * Checks {@code root}.
     *
     * @param source the policy's name in messages
     * @param version the content hash to record in the model
     */
    public static PolicyModel check(YamlNode root, String source, String version) throws PolicyException {
        return new PolicyChecker(source).policy(root, version);
    }

    private PolicyModel policy(YamlNode root, String version) throws PolicyException {
        if (!(root instanceof YamlMap map)) {
            throw checks.error(root, "the policy must be a mapping (with keys " + String.join(", ", TOP_KEYS) + "), got "
                    + root.describe());
        }
        checks.keys(map, TOP_KEYS, List.of("version"), "");
        Mode mode = Mode.ENFORCE;
        Verdict defaultVerdict = Verdict.ALLOW;
        Verdict unanalysable = Verdict.DENY;
        List<RuleModel> rules = List.of();
        for (YamlEntry e : map.entries()) {
            switch (e.key().value()) {
                case "version" -> version(e.value());
                case "mode" -> mode = checks.oneOf(e.value(), "mode", MODES).equals("enforce") ? Mode.ENFORCE : Mode.MONITOR;
                case "default" -> defaultVerdict = verdict(e.value(), "default");
                case "unanalysable_sql" -> unanalysable = verdict(e.value(), "unanalysable_sql");
                case "rules" -> rules = rules(e.value());
                default -> throw new IllegalStateException(e.key().value());
            }
        }
        return new PolicyModel(checks.source(), version, mode, defaultVerdict, unanalysable, rules);
    }

    private void version(YamlNode node) throws PolicyException {
        if (node instanceof YamlScalar s && s.type() == YamlScalar.Type.INTEGER) {
            if (!s.value().equals("1")) {
                throw checks.error(s, "unsupported version " + quote(s.value()) + " (this runtime reads version 1)");
            }
            return;
        }
        String got = node instanceof YamlScalar s && !s.isNull() ? node.describe() + " " + quote(s.value()) : node.describe();
        throw checks.error(node, "`version` must be the number 1, got " + got);
    }

    private Verdict verdict(YamlNode node, String key) throws PolicyException {
        return checks.oneOf(node, key, VERDICTS).equals("allow") ? Verdict.ALLOW : Verdict.DENY;
    }

    private List<RuleModel> rules(YamlNode node) throws PolicyException {
        if (!(node instanceof YamlList list)) {
            throw checks.error(node, "`rules` must be a list of rules, got " + node.describe());
        }
        List<RuleModel> rules = new ArrayList<>();
        Map<String, YamlScalar> ids = new HashMap<>();
        for (YamlNode item : list.items()) {
            rules.add(rule(item, rules.size(), ids));
        }
        return rules;
    }

    private RuleModel rule(YamlNode node, int index, Map<String, YamlScalar> ids) throws PolicyException {
        YamlMap map = checks.map(node, "each rule");
        checks.keys(map, RULE_KEYS, List.of("id", "match", "decision"), " in a rule");
        String id = null;
        Verdict decision = null;
        String reason = null;
        Match match = null;
        for (YamlEntry e : map.entries()) {
            switch (e.key().value()) {
                case "id" -> id = id(e.value(), ids);
                case "decision" -> decision = verdict(e.value(), "decision");
                case "reason" -> {
                    YamlScalar s = checks.string(e.value(), "reason");
                    if (s.value().isBlank()) {
                        throw checks.error(s, "`reason` must not be empty");
                    }
                    reason = s.value().strip();
                }
                case "match" -> match = match(e.value());
                default -> throw new IllegalStateException(e.key().value());
            }
        }
        if (reason == null) {
            if (decision == Verdict.DENY) {
                throw checks.error(map, "rule " + quote(id) + " denies, so it needs a `reason`");
            }
            reason = "allowed by rule '" + id + "'";
        }
        return new RuleModel(id, decision, reason, match, index, map.position());
    }

    private String id(YamlNode node, Map<String, YamlScalar> ids) throws PolicyException {
        YamlScalar s = checks.string(node, "id");
        String id = s.value();
        if (!RULE_ID.matcher(id).matches()) {
            throw checks.error(s, "invalid rule id " + quote(id)
                    + " (use lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit)");
        }
        if (RESERVED_IDS.contains(id)) {
            throw checks.error(s, "rule id " + quote(id) + " is reserved (reserved: " + String.join(", ", RESERVED_IDS) + ")");
        }
        YamlScalar first = ids.putIfAbsent(id, s);
        if (first != null) {
            throw checks.error(s, "duplicate rule id " + quote(id) + " (first used at line " + first.position().line()
                    + ", column " + first.position().column() + ")");
        }
        return id;
    }

    private Match match(YamlNode node) throws PolicyException {
        YamlMap map = checks.map(node, "`match`");
        YamlEntry kindEntry = map.entry("kind");
        if (kindEntry == null) {
            throw checks.error(map, "missing required key `kind` in `match` (known kinds: " + String.join(", ", KINDS.keySet()) + ")");
        }
        YamlScalar kind = checks.string(kindEntry.value(), "kind");
        MatchChecker checker = KINDS.get(kind.value());
        if (checker == null) {
            throw checks.error(kind, "unknown kind " + quote(kind.value()) + " (known: " + String.join(", ", KINDS.keySet()) + ")");
        }
        for (YamlEntry e : map.entries()) {
            String key = e.key().value();
            if (checker.keys().contains(key)) {
                continue;
            }
            for (MatchChecker other : KINDS.values()) {
                if (other != checker && other.keys().contains(key)) {
                    throw checks.error(e.key(), quote(key) + " is a condition of kind " + other.kind() + ", not of kind "
                            + checker.kind() + " (expected one of: " + String.join(", ", checker.keys()) + ")");
                }
            }
        }
        return checker.check(map, checks);
    }
}
