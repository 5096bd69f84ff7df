package io.agentid.policy.compile;

import static io.agentid.policy.parse.YamlParser.quote;

import io.agentid.policy.PolicyException;
import io.agentid.policy.eval.Fold;
import io.agentid.policy.model.Match;
import io.agentid.policy.model.NamePattern;
import io.agentid.policy.model.SqlMatch;
import io.agentid.policy.parse.YamlEntry;
import io.agentid.policy.parse.YamlMap;
import io.agentid.policy.parse.YamlScalar;
import io.agentid.sql.SqlAnalyzer;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/** Checks {@code match: { kind: sql, ... }}. */
final class SqlMatchChecker implements MatchChecker {
    static final List<String> KEYS = List.of("kind", "operation", "operation_not", "table", "table_not", "agent", "agent_not");

    /** Table patterns name at most catalog.schema.table. */
    static final int MAX_TABLE_PARTS = 3;

    @Override
    public String kind() {
        return SqlMatch.KIND;
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public Match check(YamlMap match, Checks checks) throws PolicyException {
        checks.keys(match, KEYS, List.of("kind"), " in a sql match");
        List<String> operations = List.of();
        List<String> operationsNot = List.of();
        List<NamePattern> tables = List.of();
        List<NamePattern> tablesNot = List.of();
        List<NamePattern> agents = List.of();
        List<NamePattern> agentsNot = List.of();
        for (YamlEntry e : match.entries()) {
            String key = e.key().value();
            switch (key) {
                case "kind" -> { }
                case "operation" -> operations = operations(checks.scalarOrList(e.value(), key), checks);
                case "operation_not" -> operationsNot = operations(checks.scalarOrList(e.value(), key), checks);
                case "table" -> tables = patterns(checks.scalarOrList(e.value(), key), checks, "table", MAX_TABLE_PARTS);
                case "table_not" -> tablesNot = patterns(checks.scalarOrList(e.value(), key), checks, "table", MAX_TABLE_PARTS);
                case "agent" -> agents = patterns(checks.scalarOrList(e.value(), key), checks, "agent", Integer.MAX_VALUE);
                case "agent_not" -> agentsNot = patterns(checks.scalarOrList(e.value(), key), checks, "agent", Integer.MAX_VALUE);
                default -> throw new IllegalStateException(key); // keys() has rejected it
            }
        }
        return new SqlMatch(operations, operationsNot, tables, tablesNot, agents, agentsNot);
    }

    private static List<String> operations(List<YamlScalar> values, Checks checks) throws PolicyException {
        List<String> out = new ArrayList<>();
        for (YamlScalar s : values) {
            String op = Fold.upper(s.value());
            if (!SqlAnalyzer.OPERATIONS.contains(op)) {
                throw checks.error(s, "unknown operation " + quote(s.value()) + " (known: "
                        + String.join(", ", new TreeSet<>(SqlAnalyzer.OPERATIONS)) + ")");
            }
            if (!out.contains(op)) {
                out.add(op);
            }
        }
        return out;
    }

    private static List<NamePattern> patterns(List<YamlScalar> values, Checks checks, String what, int maxParts)
            throws PolicyException {
        List<NamePattern> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (YamlScalar s : values) {
            NamePattern p = checks.pattern(s, what, maxParts);
            if (!seen.contains(p.text())) {
                seen.add(p.text());
                out.add(p);
            }
        }
        return out;
    }
}
