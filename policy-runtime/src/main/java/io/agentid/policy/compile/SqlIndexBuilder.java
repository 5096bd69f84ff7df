package io.agentid.policy.compile;

import io.agentid.policy.Decision;
import io.agentid.policy.Verdict;
import io.agentid.policy.eval.AgentCondition;
import io.agentid.policy.eval.SqlIndex;
import io.agentid.policy.eval.SqlRule;
import io.agentid.policy.eval.SqlSegment;
import io.agentid.policy.eval.TableMatcher;
import io.agentid.policy.model.NamePattern;
import io.agentid.policy.model.RuleModel;
import io.agentid.policy.model.SqlMatch;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Stage 4: builds the {@link SqlIndex}.
 *
 * <p>Buckets: every operation some rule names (in {@code operation} or {@code operation_not}) gets a bucket
 * of exactly the rules that can match it: those whose {@code operation} is absent or lists it, less those
 * whose {@code operation_not} lists it. Every other operation, including ones the analyser might report that
 * no rule names, can only be matched by rules without an {@code operation} condition ({@code operation_not}
 * lists only named operations), which form the shared bucket. Buckets with the same rules share one object.
 *
 * <p>Segments: within a bucket, deny rules come first, then allow rules, each in file order, so that the first
 * rule in bucket order that matches is the decision; the order is cut into runs whose rules and
 * {@code table_not} conditions fit the 64 bits of one {@link TableMatcher} (an empty bucket is one empty
 * segment).
 */
final class SqlIndexBuilder {
    private final List<RuleModel> rules;
    private final List<Decision> decisions;
    private final AgentCondition[] agents;
    private final AgentCondition[] agentsNot;
    private final Map<List<Integer>, SqlSegment[]> buckets = new HashMap<>();

    private SqlIndexBuilder(List<RuleModel> rules, List<Decision> decisions) {
        this.rules = rules;
        this.decisions = decisions;
        this.agents = new AgentCondition[rules.size()];
        this.agentsNot = new AgentCondition[rules.size()];
        for (int i = 0; i < rules.size(); i++) {
            SqlMatch m = match(i);
            agents[i] = m.agents().isEmpty() ? null : new AgentCondition(m.agents());
            agentsNot[i] = m.agentsNot().isEmpty() ? null : new AgentCondition(m.agentsNot());
        }
    }

    /**
     * @param rules the {@code kind: sql} rules, in file order
     * @param decisions each rule's prebuilt decision, parallel to {@code rules}
     */
    static SqlIndex build(List<RuleModel> rules, List<Decision> decisions) {
        return new SqlIndexBuilder(rules, decisions).build();
    }

    private SqlMatch match(int i) {
        return (SqlMatch) rules.get(i).match();
    }

    private SqlIndex build() {
        TreeSet<String> named = new TreeSet<>();
        for (int i = 0; i < rules.size(); i++) {
            named.addAll(match(i).operations());
            named.addAll(match(i).operationsNot());
        }
        Map<String, SqlSegment[]> byOperation = new LinkedHashMap<>();
        for (String op : named) {
            List<Integer> candidates = new ArrayList<>();
            for (int i = 0; i < rules.size(); i++) {
                SqlMatch m = match(i);
                if ((m.operations().isEmpty() || m.operations().contains(op)) && !m.operationsNot().contains(op)) {
                    candidates.add(i);
                }
            }
            byOperation.put(op, bucket(candidates));
        }
        List<Integer> other = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            if (match(i).operations().isEmpty()) {
                other.add(i);
            }
        }
        return new SqlIndex(byOperation, bucket(other));
    }

    private SqlSegment[] bucket(List<Integer> candidates) {
        SqlSegment[] cached = buckets.get(candidates);
        if (cached != null) {
            return cached;
        }
        List<Integer> ordered = new ArrayList<>();
        for (int i : candidates) {
            if (rules.get(i).decision() == Verdict.DENY) {
                ordered.add(i);
            }
        }
        for (int i : candidates) {
            if (rules.get(i).decision() == Verdict.ALLOW) {
                ordered.add(i);
            }
        }
        SqlSegment[] segments = segments(ordered);
        buckets.put(List.copyOf(candidates), segments);
        return segments;
    }

    private SqlSegment[] segments(List<Integer> indices) {
        List<SqlSegment> out = new ArrayList<>();
        List<Integer> run = new ArrayList<>();
        int notConditions = 0;
        for (int i : indices) {
            int need = 1 + (match(i).tablesNot().isEmpty() ? 0 : 1);
            if (run.size() + notConditions + need > SqlSegment.MAX_BITS) {
                out.add(segment(run));
                run = new ArrayList<>();
                notConditions = 0;
            }
            run.add(i);
            notConditions += need - 1;
        }
        if (!run.isEmpty() || out.isEmpty()) {
            out.add(segment(run));
        }
        return out.toArray(new SqlSegment[0]);
    }

    /**
     * One segment: rule {@code k} of the run is bit {@code k}, which is also the bit of its {@code table}
     * condition; {@code table_not} conditions take the bits from 63 down.
     */
    private SqlSegment segment(List<Integer> run) {
        List<List<NamePattern>> conditions = new ArrayList<>();
        for (int k = 0; k < SqlSegment.MAX_BITS; k++) {
            conditions.add(List.of());
        }
        SqlRule[] segmentRules = new SqlRule[run.size()];
        int notBit = SqlSegment.MAX_BITS - 1;
        boolean anyTables = false;
        for (int k = 0; k < run.size(); k++) {
            int i = run.get(k);
            SqlMatch m = match(i);
            long tableBit = 0;
            long tableNotBit = 0;
            if (!m.tables().isEmpty()) {
                tableBit = 1L << k;
                conditions.set(k, m.tables());
                anyTables = true;
            }
            if (!m.tablesNot().isEmpty()) {
                tableNotBit = 1L << notBit;
                conditions.set(notBit--, m.tablesNot());
                anyTables = true;
            }
            segmentRules[k] = new SqlRule(rules.get(i).id(), decisions.get(i), tableBit, tableNotBit, agents[i], agentsNot[i]);
        }
        return new SqlSegment(anyTables ? new TableMatcher(conditions) : null, segmentRules);
    }
}
