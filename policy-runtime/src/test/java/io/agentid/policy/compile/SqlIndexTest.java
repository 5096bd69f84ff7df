package io.agentid.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Policies;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.eval.SqlIndex;
import org.junit.jupiter.api.Test;

/** Which rules the index considers for an operation. */
class SqlIndexTest {
    static final String YAML = """
            version: 1
            rules:
              - { id: any-allow, match: { kind: sql, table: t }, decision: allow }
              - { id: select-deny, match: { kind: sql, operation: SELECT }, decision: deny, reason: r }
              - { id: not-select, match: { kind: sql, operation_not: [SELECT, SHOW] }, decision: deny, reason: r }
              - { id: drop-or-select, match: { kind: sql, operation: [DROP, SELECT] }, decision: deny, reason: r }
              - { id: any-deny, match: { kind: sql, agent: x }, decision: deny, reason: r }
              - { id: drop-not-drop, match: { kind: sql, operation: DROP, operation_not: DROP }, decision: deny, reason: r }
              - { id: select-allow, match: { kind: sql, operation: select }, decision: allow }
            """;

    private static SqlIndex index() {
        return PolicyCompiler.index(Policies.model(YAML)).sqlIndex();
    }

    @Test
    void bucketsHoldExactlyTheRulesThatCanMatchDeniesFirstInFileOrder() {
        SqlIndex index = index();
        assertThat(index.candidateIds("SELECT")).containsExactly("select-deny", "drop-or-select", "any-deny", "any-allow", "select-allow");
        assertThat(index.candidateIds("select")).containsExactly("select-deny", "drop-or-select", "any-deny", "any-allow", "select-allow");
        assertThat(index.candidateIds("SHOW")).containsExactly("any-deny", "any-allow");
        assertThat(index.candidateIds("DROP")).containsExactly("not-select", "drop-or-select", "any-deny", "any-allow");
    }

    @Test
    void aSmallBucketIsOneSegment() {
        SqlIndex index = index();
        assertThat(index.segmentCount("SELECT")).isEqualTo(1);
        assertThat(index.segmentCount("INSERT")).isEqualTo(1);
    }

    @Test
    void sixtyFourRulesAndTableNotConditionsFillASegment() {
        StringBuilder yaml = new StringBuilder("version: 1\nrules:\n");
        for (int i = 0; i < 40; i++) {
            yaml.append("  - { id: r").append(i).append(", match: { kind: sql, table: t").append(i)
                    .append(", table_not: u").append(i).append(" }, decision: deny, reason: r }\n");
        }
        SqlIndex index = PolicyCompiler.index(Policies.model(yaml.toString())).sqlIndex();
        // 40 rules with a table_not condition each need 80 bits: two segments (32 + 8 rules).
        assertThat(index.segmentCount("SELECT")).isEqualTo(2);
        assertThat(index.candidateIds("SELECT")).hasSize(40).startsWith("r0", "r1").endsWith("r39");
        PolicyEngine engine = Policies.engine(yaml.toString());
        assertThat(engine.decideSql("a", "SELECT", new String[] {"t39"}).ruleId()).isEqualTo("r39");
        assertThat(engine.decideSql("a", "SELECT", new String[] {"t5", "t39"}).ruleId()).isEqualTo("r5");
        assertThat(engine.decideSql("a", "SELECT", new String[] {"t39", "u39"}).ruleId()).isEqualTo("r39");
        assertThat(engine.decideSql("a", "SELECT", new String[] {"t39"}).ruleId()).isEqualTo("r39");
        assertThat(engine.decideSql("a", "SELECT", new String[] {"u39"}).ruleId()).isEqualTo("default");
    }

    @Test
    void operationsNoRuleNamesShareTheBucketOfRulesWithoutAnOperationCondition() {
        SqlIndex index = index();
        assertThat(index.candidateIds("INSERT")).containsExactly("not-select", "any-deny", "any-allow");
        assertThat(index.candidateIds("FROBNICATE")).containsExactly("not-select", "any-deny", "any-allow");
        assertThat(index.candidateIds(null)).containsExactly("not-select", "any-deny", "any-allow");
    }
}
