package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.Policies;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.Verdict;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Decision semantics of the indexed engine, checked against the reference evaluator on the way. */
class SemanticsTest {

    static final String[] NONE = {};

    /** Decides with both engines, asserts they agree, returns the indexed engine's decision. */
    static Decision decide(String yaml, String agent, String op, String... tables) {
        PolicyEngine indexed = Policies.engine(yaml);
        PolicyEngine reference = new ReferencePolicyEngine(Policies.model(yaml));
        Decision d = indexed.decideSql(agent, op, tables);
        assertThat(Policies.describe(d)).isEqualTo(Policies.describe(reference.decideSql(agent, op, tables)));
        return d;
    }

    static final String BRIEF = """
            version: 1
            mode: enforce
            default: allow
            unanalysable_sql: deny
            rules:
              - id: no-ddl
                match: { kind: sql, operation: [DROP, TRUNCATE, ALTER, GRANT] }
                decision: deny
                reason: agents may not change the schema
              - id: payroll-off-limits
                match: { kind: sql, table: [payroll, "hr.*"] }
                decision: deny
                reason: payroll data is not for agents
              - id: reporting-agent-reads
                match: { kind: sql, agent: [reporting-*], operation: SELECT }
                decision: allow
                reason: reporting agents may read
            """;

    @Nested
    class ThePolicyOfTheBrief {
        @Test
        void ddlIsDenied() {
            Decision d = decide(BRIEF, "reporting-eu", "DROP", "orders");
            assertThat(d.verdict()).isEqualTo(Verdict.DENY);
            assertThat(d.ruleId()).isEqualTo("no-ddl");
            assertThat(d.reason()).isEqualTo("agents may not change the schema");
            assertThat(d.mode()).isEqualTo(Mode.ENFORCE);
            assertThat(d.blocks()).isTrue();
        }

        @Test
        void payrollIsDeniedEvenToReportingAgents() {
            Decision d = decide(BRIEF, "reporting-eu", "SELECT", "orders", "hr.employees");
            assertThat(d.ruleId()).isEqualTo("payroll-off-limits");
            assertThat(d.isDeny()).isTrue();
        }

        @Test
        void reportingReadsAreAllowedByTheRule() {
            Decision d = decide(BRIEF, "reporting-eu", "SELECT", "orders");
            assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
            assertThat(d.ruleId()).isEqualTo("reporting-agent-reads");
            assertThat(d.reason()).isEqualTo("reporting agents may read");
            assertThat(d.blocks()).isFalse();
        }

        @Test
        void anythingElseFallsToTheDefault() {
            Decision d = decide(BRIEF, "support-1", "UPDATE", "orders");
            assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
            assertThat(d.ruleId()).isEqualTo("default");
            assertThat(d.reason()).isEqualTo("no rule matched; default is allow");
        }

        @Test
        void unanalysableSqlIsDeniedByDefault() {
            Decision d = Policies.engine(BRIEF).decideUnanalysableSql("reporting-eu");
            assertThat(d.verdict()).isEqualTo(Verdict.DENY);
            assertThat(d.ruleId()).isEqualTo("unanalysable-sql");
            assertThat(d.reason()).isEqualTo("the SQL could not be analysed; unanalysable_sql is deny");
            assertThat(d.blocks()).isTrue();
        }

        @Test
        void everyDecisionCarriesTheVersion() {
            PolicyEngine e = Policies.engine(BRIEF);
            assertThat(e.version()).matches("sha256:[0-9a-f]{16}");
            assertThat(e.decideSql("a", "DROP", NONE).policyVersion()).isEqualTo(e.version());
            assertThat(e.decideSql("a", "SELECT", NONE).policyVersion()).isEqualTo(e.version());
            assertThat(e.decideUnanalysableSql("a").policyVersion()).isEqualTo(e.version());
            assertThat(e.source()).isEqualTo("policy.yaml");
        }

        @Test
        void decisionsArePrebuilt() {
            PolicyEngine e = Policies.engine(BRIEF);
            assertThat(e.decideSql("a", "DROP", new String[] {"x"})).isSameAs(e.decideSql("b", "TRUNCATE", NONE));
            assertThat(e.decideSql("a", "SELECT", NONE)).isSameAs(e.decideSql("b", "UPDATE", new String[] {"x", "y"}));
        }
    }

    @Test
    void denyOverridesAnEarlierAllow() {
        String yaml = """
                version: 1
                default: deny
                rules:
                  - id: allow-all
                    match: { kind: sql }
                    decision: allow
                  - id: deny-drop
                    match: { kind: sql, operation: DROP }
                    decision: deny
                    reason: no
                """;
        assertThat(decide(yaml, "a", "DROP", "t").ruleId()).isEqualTo("deny-drop");
        assertThat(decide(yaml, "a", "SELECT", "t").ruleId()).isEqualTo("allow-all");
        assertThat(decide(yaml, "a", "SELECT", "t").reason()).isEqualTo("allowed by rule 'allow-all'");
    }

    @Test
    void firstMatchingDenyAndFirstMatchingAllowInFileOrder() {
        String yaml = """
                version: 1
                default: deny
                rules:
                  - { id: allow-1, match: { kind: sql, table: t }, decision: allow }
                  - { id: allow-2, match: { kind: sql }, decision: allow }
                  - { id: deny-1, match: { kind: sql, table: secret }, decision: deny, reason: one }
                  - { id: deny-2, match: { kind: sql, table: [secret, keys] }, decision: deny, reason: two }
                """;
        assertThat(decide(yaml, "a", "SELECT", "t").ruleId()).isEqualTo("allow-1");
        assertThat(decide(yaml, "a", "SELECT", "u").ruleId()).isEqualTo("allow-2");
        assertThat(decide(yaml, "a", "SELECT", "keys", "secret").ruleId()).isEqualTo("deny-1");
        assertThat(decide(yaml, "a", "SELECT", "keys").ruleId()).isEqualTo("deny-2");
    }

    @Test
    void defaultDeny() {
        String yaml = "version: 1\ndefault: deny\n";
        Decision d = decide(yaml, "a", "SELECT", "t");
        assertThat(d.verdict()).isEqualTo(Verdict.DENY);
        assertThat(d.ruleId()).isEqualTo("default");
        assertThat(d.reason()).isEqualTo("no rule matched; default is deny");
        assertThat(d.blocks()).isTrue();
    }

    @Test
    void unanalysableSqlAllow() {
        Decision d = Policies.engine("version: 1\nunanalysable_sql: allow\n").decideUnanalysableSql("a");
        assertThat(d.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(d.ruleId()).isEqualTo("unanalysable-sql");
        assertThat(d.reason()).isEqualTo("the SQL could not be analysed; unanalysable_sql is allow");
    }

    @Test
    void monitorModeDecidesTheSameButNeverBlocks() {
        String enforce = BRIEF;
        String monitor = BRIEF.replace("mode: enforce", "mode: monitor");
        PolicyEngine e = Policies.engine(enforce);
        PolicyEngine m = Policies.engine(monitor);
        assertThat(m.mode()).isEqualTo(Mode.MONITOR);
        String[][] calls = {{"reporting-eu", "DROP", "t"}, {"x", "SELECT", "hr.pay"}, {"reporting-1", "SELECT", "t"}, {"x", "UPDATE", "t"}};
        for (String[] c : calls) {
            Decision de = e.decideSql(c[0], c[1], new String[] {c[2]});
            Decision dm = m.decideSql(c[0], c[1], new String[] {c[2]});
            assertThat(dm.verdict()).isEqualTo(de.verdict());
            assertThat(dm.ruleId()).isEqualTo(de.ruleId());
            assertThat(dm.reason()).isEqualTo(de.reason());
            assertThat(dm.mode()).isEqualTo(Mode.MONITOR);
            assertThat(dm.blocks()).isFalse();
        }
        assertThat(e.decideSql("x", "DROP", NONE).blocks()).isTrue();
        assertThat(m.decideSql("x", "DROP", NONE).isDeny()).isTrue();
        assertThat(m.decideUnanalysableSql("x").isDeny()).isTrue();
        assertThat(m.decideUnanalysableSql("x").blocks()).isFalse();
        assertThat(m.decideUnanalysableSql("x").mode()).isEqualTo(Mode.MONITOR);
    }

    @Test
    void zeroTablesMatchesNeitherTableNorTableNot() {
        String yaml = """
                version: 1
                default: allow
                rules:
                  - { id: t, match: { kind: sql, table: "*" }, decision: deny, reason: any table }
                  - { id: tn, match: { kind: sql, table_not: x }, decision: deny, reason: outside x }
                """;
        assertThat(decide(yaml, "a", "SELECT").ruleId()).isEqualTo("default");
        assertThat(decide(yaml, "a", "SELECT", "x").ruleId()).isEqualTo("t");
    }

    @Test
    void tableNotIsAnAllowlist() {
        String yaml = """
                version: 1
                rules:
                  - id: only-scratch
                    match: { kind: sql, table_not: ["scratch.*", lookup] }
                    decision: deny
                    reason: outside the allowlist
                """;
        assertThat(decide(yaml, "a", "SELECT", "scratch.a", "lookup").ruleId()).isEqualTo("default");
        assertThat(decide(yaml, "a", "SELECT", "scratch.a", "orders").ruleId()).isEqualTo("only-scratch");
        assertThat(decide(yaml, "a", "SELECT", "orders").ruleId()).isEqualTo("only-scratch");
    }

    @Test
    void conditionsAndTogether() {
        String yaml = """
                version: 1
                rules:
                  - id: r
                    match: { kind: sql, operation: DELETE, table: orders, agent: "etl-*" }
                    decision: deny
                    reason: r
                """;
        assertThat(decide(yaml, "etl-1", "DELETE", "orders").ruleId()).isEqualTo("r");
        assertThat(decide(yaml, "etl-1", "SELECT", "orders").ruleId()).isEqualTo("default");
        assertThat(decide(yaml, "etl-1", "DELETE", "customers").ruleId()).isEqualTo("default");
        assertThat(decide(yaml, "bot", "DELETE", "orders").ruleId()).isEqualTo("default");
    }

    @Test
    void agentAndAgentNotTogether() {
        String yaml = """
                version: 1
                rules:
                  - id: r
                    match: { kind: sql, agent: "support-*", agent_not: [support-lead, "support-admin-*"] }
                    decision: deny
                    reason: r
                """;
        assertThat(decide(yaml, "support-1", "SELECT").ruleId()).isEqualTo("r");
        assertThat(decide(yaml, "support-lead", "SELECT").ruleId()).isEqualTo("default");
        assertThat(decide(yaml, "support-admin-eu", "SELECT").ruleId()).isEqualTo("default");
        assertThat(decide(yaml, "ops", "SELECT").ruleId()).isEqualTo("default");
    }

    @Test
    void defensiveInputsNeverThrow() {
        PolicyEngine e = Policies.engine(BRIEF);
        assertThat(e.decideSql(null, null, null).ruleId()).isEqualTo("default");
        assertThat(e.decideSql("x", "SELECT", new String[] {null, "hr.x"}).ruleId()).isEqualTo("payroll-off-limits");
        assertThat(e.decideSql("", "", new String[] {""}).ruleId()).isEqualTo("default");
    }

    /** Table patterns: pattern, table, whether it matches. */
    @ParameterizedTest(name = "table pattern {0} vs {1}: {2}")
    @CsvSource({
        "payroll,         payroll,            true",
        "payroll,         hr.payroll,         true",
        "payroll,         db.hr.payroll,      true",
        "payroll,         payroll2,           false",
        "payroll,         payroll.x,          false",
        "PayRoll,         payroll,            true",
        "payroll,         PAYROLL,            true",
        "hr.payroll,      hr.payroll,         true",
        "hr.payroll,      db.hr.payroll,      true",
        "hr.payroll,      payroll,            false",
        "hr.payroll,      fin.payroll,        false",
        "hr.*,            hr.anything,        true",
        "hr.*,            db.hr.anything,     true",
        "hr.*,            hr,                 false",
        "hr.*,            anything,           false",
        "*.payroll,       payroll,            true",
        "*.payroll,       x.payroll,          true",
        "*.*.payroll,     payroll,            true",
        "*.hr.payroll,    hr.payroll,         true",
        "*.hr.payroll,    payroll,            false",
        "db.hr.payroll,   db.hr.payroll,      true",
        "db.hr.payroll,   hr.payroll,         false",
        "db.*.*,          db.a.b,             true",
        "db.*.*,          a.b,                false",
        "*,               anything,           true",
        "*,               s.t,                true",
        "*.*,             t,                  true",
        "h*.p*,           hr.payroll,         true",
        "h*.p*,           payroll,            false",
        "pay*,            payroll,            true",
        "*roll,           payroll,            true",
        "p*l,             payroll,            true",
        "p*l,             pl,                 true",
        "p*l,             p,                  false",
        "p*r*l,           payroll,            true",
        "p*r*l,           pal,                false",
        "*ay*ol*,         payroll,            true",
        "a*a,             a,                  false",
        "a*a,             aa,                 true",
        "*_v*_*,          t_v1_x,             true",
        "*_v*_*,          t_v1x,              false",
        "a*b*a,           aba,                true",
        "a*b*a,           abba,               true",
        "a*b*a,           ab,                 false",
        "**,              x,                  true",
        "p**l,            payroll,            true"
    })
    void tablePatterns(String pattern, String table, boolean matches) {
        String yaml = "version: 1\nrules:\n  - id: r\n    match: { kind: sql, table: \"" + pattern + "\" }\n"
                + "    decision: deny\n    reason: r\n";
        assertThat(decide(yaml, "a", "SELECT", table).isDeny()).isEqualTo(matches);
        String notYaml = yaml.replace("table:", "table_not:");
        assertThat(decide(notYaml, "a", "SELECT", table).isDeny()).as("table_not").isEqualTo(!matches);
    }

    /** Agent patterns: pattern, agent id, whether it matches. */
    @ParameterizedTest(name = "agent pattern {0} vs {1}: {2}")
    @CsvSource({
        "reporting-*,     reporting-eu,       true",
        "reporting-*,     Reporting-EU,       true",
        "reporting-*,     reporting-,         true",
        "reporting-*,     reporting,          false",
        "reporting-*,     reporting-eu.v2,    false",
        "reporting-*.*,   reporting-eu.v2,    true",
        "*,               anyone,             true",
        "*,               team.bot,           false",
        "*.*,             team.bot,           true",
        "team.*,          team.bot,           true",
        "team.*,          team,               false",
        "team.*,          x.team.bot,         false",
        "ops-admin,       ops-admin,          true",
        "ops-admin,       OPS-ADMIN,          true",
        "ops-admin,       ops-admin2,         false",
        "*-bot,           sales-bot,          true",
        "*-bot,           team.sales-bot,     false",
        "a*b,             ab,                 true",
        "a*b,             a.b,                false"
    })
    void agentPatterns(String pattern, String agent, boolean matches) {
        String yaml = "version: 1\nrules:\n  - id: r\n    match: { kind: sql, agent: \"" + pattern + "\" }\n"
                + "    decision: deny\n    reason: r\n";
        assertThat(decide(yaml, agent, "SELECT", "t").isDeny()).isEqualTo(matches);
        String notYaml = yaml.replace("agent:", "agent_not:");
        assertThat(decide(notYaml, agent, "SELECT", "t").isDeny()).as("agent_not").isEqualTo(!matches);
    }

    @ParameterizedTest(name = "operation {0} with rule operation [{1}]: {2}")
    @CsvSource({
        "SELECT, SELECT,          true",
        "select, SELECT,          true",
        "SELECT, select,          true",
        "Select, 'select, show',  true",
        "SHOW,   'select, show',  true",
        "DROP,   'select, show',  false",
        "FROB,   SELECT,          false"
    })
    void operations(String op, String ruleOps, boolean matches) {
        String yaml = "version: 1\nrules:\n  - id: r\n    match: { kind: sql, operation: [" + ruleOps + "] }\n"
                + "    decision: deny\n    reason: r\n";
        assertThat(decide(yaml, "a", op, "t").isDeny()).isEqualTo(matches);
        String notYaml = yaml.replace("operation:", "operation_not:");
        assertThat(decide(notYaml, "a", op, "t").isDeny()).as("operation_not").isEqualTo(!matches);
    }
}
