package io.agentid.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Mode;
import io.agentid.policy.Policies;
import io.agentid.policy.Verdict;
import io.agentid.policy.model.NamePattern;
import io.agentid.policy.model.PolicyModel;
import io.agentid.policy.model.RuleModel;
import io.agentid.policy.model.SqlMatch;
import io.agentid.policy.parse.Position;
import org.junit.jupiter.api.Test;

/** What the checker makes of a valid policy: defaults, normalisation, positions. */
class PolicyCheckerTest {

    @Test
    void defaults() {
        PolicyModel m = Policies.model("version: 1\n");
        assertThat(m.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(m.defaultVerdict()).isEqualTo(Verdict.ALLOW);
        assertThat(m.unanalysableSql()).isEqualTo(Verdict.DENY);
        assertThat(m.rules()).isEmpty();
        assertThat(m.source()).isEqualTo("policy.yaml");
    }

    @Test
    void explicitSettings() {
        PolicyModel m = Policies.model("version: 1\nmode: monitor\ndefault: deny\nunanalysable_sql: allow\nrules: []\n");
        assertThat(m.mode()).isEqualTo(Mode.MONITOR);
        assertThat(m.defaultVerdict()).isEqualTo(Verdict.DENY);
        assertThat(m.unanalysableSql()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void normalisesOperationsAndPatterns() {
        PolicyModel m = Policies.model("""
                version: 1
                rules:
                  - id: r.1_x-y
                    match:
                      kind: sql
                      operation: [select, [Drop, DROP]]
                      operation_not: show
                      table: [HR.*, "Pay**Roll", hr.*]
                      table_not: "*.Scratch"
                      agent: Reporting-*
                      agent_not: [ops.Admin]
                    decision: allow
                """);
        RuleModel r = m.rules().get(0);
        assertThat(r.id()).isEqualTo("r.1_x-y");
        assertThat(r.reason()).isEqualTo("allowed by rule 'r.1_x-y'");
        assertThat(r.index()).isZero();
        assertThat(r.position()).isEqualTo(new Position(3, 5));
        SqlMatch s = (SqlMatch) r.match();
        assertThat(s.kind()).isEqualTo("sql");
        assertThat(s.operations()).containsExactly("SELECT", "DROP");
        assertThat(s.operationsNot()).containsExactly("SHOW");
        assertThat(s.tables()).extracting(NamePattern::text).containsExactly("hr.*", "pay*roll");
        assertThat(s.tables().get(0).parts()).containsExactly("hr", "*");
        assertThat(s.tables().get(0).isExact()).isFalse();
        assertThat(s.tables().get(0).position()).isEqualTo(new Position(8, 15));
        assertThat(s.tablesNot()).extracting(NamePattern::text).containsExactly("*.scratch");
        assertThat(s.agents()).extracting(NamePattern::text).containsExactly("reporting-*");
        assertThat(s.agentsNot()).extracting(NamePattern::text).containsExactly("ops.admin");
        assertThat(s.agentsNot().get(0).isExact()).isTrue();
    }

    @Test
    void aliasesShareLists() {
        PolicyModel m = Policies.model("""
                version: 1
                rules:
                  - id: a
                    match: { kind: sql, table: &sensitive [payroll, "hr.*"] }
                    decision: deny
                    reason: sensitive
                  - id: b
                    match: { kind: sql, table_not: [*sensitive, lookup] }
                    decision: deny
                    reason: only sensitive and lookup
                """);
        SqlMatch b = (SqlMatch) m.rules().get(1).match();
        assertThat(b.tablesNot()).extracting(NamePattern::text).containsExactly("payroll", "hr.*", "lookup");
    }

    @Test
    void mergeKeysMakeRuleTemplates() {
        PolicyModel m = Policies.model("""
                version: 1
                rules:
                  - &ddl
                    id: no-ddl
                    match: { kind: sql, operation: [DROP, ALTER] }
                    decision: deny
                    reason: no ddl
                  - <<: *ddl
                    id: no-ddl-monitoring
                    reason: no ddl, again
                """);
        RuleModel second = m.rules().get(1);
        assertThat(second.id()).isEqualTo("no-ddl-monitoring");
        assertThat(second.reason()).isEqualTo("no ddl, again");
        assertThat(((SqlMatch) second.match()).operations()).containsExactly("DROP", "ALTER");
    }

    @Test
    void scalarsOfOtherTypesReadAsWritten() {
        PolicyModel m = Policies.model("version: 1\nrules:\n  - { id: 42, match: { kind: sql, table: 2024 }, decision: deny, reason: 7 }\n");
        RuleModel r = m.rules().get(0);
        assertThat(r.id()).isEqualTo("42");
        assertThat(r.reason()).isEqualTo("7");
        assertThat(((SqlMatch) r.match()).tables()).extracting(NamePattern::text).containsExactly("2024");
    }

    @Test
    void denyReasonIsKeptAndTrimmed() {
        PolicyModel m = Policies.model("version: 1\nrules:\n  - { id: a, match: { kind: sql }, decision: deny, reason: \" no \" }\n");
        assertThat(m.rules().get(0).reason()).isEqualTo("no");
        assertThat(m.rules().get(0).decision()).isEqualTo(Verdict.DENY);
    }

    @Test
    void rulesOfKind() {
        PolicyModel m = Policies.model(Policies.read(Policies.resource("fifty-rules.yaml")));
        assertThat(m.rulesOfKind("sql")).hasSize(50);
        assertThat(m.rulesOfKind("http")).isEmpty();
        assertThat(m.rules()).extracting(RuleModel::index).containsExactlyElementsOf(
                java.util.stream.IntStream.range(0, 50).boxed().toList());
    }
}
