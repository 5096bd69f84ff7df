package io.agentid.samples;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.Verdict;
import io.agentid.policy.compile.PolicyCompiler;
import io.agentid.policy.model.RuleModel;
import io.agentid.sql.SqlAnalysis;
import io.agentid.sql.SqlAnalyzer;
import io.agentid.sql.SqlStatement;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** examples/demo-policy.yaml loads, and decides the support agent's script as the demo says. */
class DemoPolicyTest {
    private static final Path POLICY = Path.of(System.getProperty("agentid.demo.policy", "../examples/demo-policy.yaml"));
    private static final String AGENT = "support-agent";

    @Test
    void loadsWithBothRules() throws Exception {
        List<String> ids = new ArrayList<>();
        for (RuleModel r : PolicyCompiler.checkFile(POLICY).rules()) {
            ids.add(r.id());
        }
        assertThat(ids).containsExactly("no-ddl", "payroll-off-limits");
        PolicyEngine engine = PolicyEngine.load(POLICY);
        assertThat(engine.mode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void ordinaryToolsAreAllowed() throws Exception {
        PolicyEngine engine = PolicyEngine.load(POLICY);
        for (String sql : List.of(SupportAgent.QUERY_CUSTOMERS_SQL, SupportAgent.GET_ORDERS_SQL,
                SupportAgent.CREATE_ORDER_SQL)) {
            assertThat(decide(engine, sql).verdict()).as(sql).isEqualTo(Verdict.ALLOW);
        }
    }

    @Test
    void scriptedRunSqlCallsAreDecidedAsTheScriptSays() throws Exception {
        PolicyEngine engine = PolicyEngine.load(POLICY);
        List<String> decided = new ArrayList<>();
        for (SupportAgent.Step step : SupportAgent.script()) {
            if (step.tool().equals("run_sql")) {
                Decision d = decide(engine, (String) step.args().get("sql"));
                decided.add((step.injected() != null ? "injected " : "") + d.verdict() + " " + d.ruleId());
            }
        }
        assertThat(decided).containsExactly("ALLOW default", "injected DENY no-ddl", "injected DENY payroll-off-limits");
    }

    @Test
    void payrollIsOffLimitsHoweverItIsNamed() throws Exception {
        PolicyEngine engine = PolicyEngine.load(POLICY);
        assertThat(engine.decideSql(AGENT, "SELECT", new String[] {"public.payroll"}).ruleId()).isEqualTo("payroll-off-limits");
        assertThat(engine.decideSql(AGENT, "UPDATE", new String[] {"hr.payroll"}).ruleId()).isEqualTo("payroll-off-limits");
        assertThat(engine.decideSql(AGENT, "SELECT", new String[] {"hr.people"}).ruleId()).isEqualTo("payroll-off-limits");
        assertThat(engine.decideSql(AGENT, "TRUNCATE", new String[] {"public.orders"}).ruleId()).isEqualTo("no-ddl");
    }

    /** Decides a (single-statement) SQL text the way the agent does, unqualified names in the PUBLIC schema. */
    private static Decision decide(PolicyEngine engine, String sql) {
        SqlAnalysis a = SqlAnalyzer.analyze(sql);
        assertThat(a.analysable()).as(sql).isTrue();
        assertThat(a.statements()).as(sql).hasSize(1);
        SqlStatement s = a.statements().get(0);
        String[] tables = s.tables().stream().map(t -> t.contains(".") ? t : "public." + t).toArray(String[]::new);
        return engine.decideSql(AGENT, s.operation(), tables);
    }
}
