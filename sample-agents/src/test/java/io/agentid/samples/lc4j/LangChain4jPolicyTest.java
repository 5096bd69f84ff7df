package io.agentid.samples.lc4j;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.Verdict;
import io.agentid.policy.compile.PolicyCompiler;
import io.agentid.policy.model.RuleModel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** examples/langchain4j-policy.yaml loads, and decides the orders agent's calls as its demo says. */
class LangChain4jPolicyTest {
    private static final Path POLICY = Path.of(System.getProperty("agentid.lc4j.policy", "../examples/langchain4j-policy.yaml"));
    private static final String AGENT = "orders-agent";

    @Test
    void loadsWithBothRulesInEnforceModeAndDefaultAllow() throws Exception {
        List<String> ids = new ArrayList<>();
        for (RuleModel r : PolicyCompiler.checkFile(POLICY).rules()) {
            ids.add(r.id());
        }
        assertThat(ids).containsExactly("no-ddl", "egress-allowlist");
        assertThat(PolicyEngine.load(POLICY).mode()).isEqualTo(Mode.ENFORCE);
    }

    @Test
    void modelServerAndInventoryApiAreAllowed() throws Exception {
        PolicyEngine engine = PolicyEngine.load(POLICY);
        Decision model = engine.decideHttp(AGENT, "POST", "http", "127.0.0.1", 41000, "/v1/chat/completions",
                OrdersAgent.MODEL, 0.001);
        assertThat(model.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(model.ruleId()).isEqualTo("default");
        Decision inventory = engine.decideHttp(AGENT, "GET", "http", "127.0.0.1", 41001, "/inventory/MON-27", null,
                Double.NaN);
        assertThat(inventory.verdict()).isEqualTo(Verdict.ALLOW);
        assertThat(engine.decideHttp(AGENT, null, null, "localhost", 41001, null, null, Double.NaN).verdict())
                .isEqualTo(Verdict.ALLOW);
        assertThat(engine.decideSql(AGENT, "SELECT", new String[] {"public.orders"}).verdict()).isEqualTo(Verdict.ALLOW);
    }

    @Test
    void theInjectedUploadAndDropAreDenied() throws Exception {
        PolicyEngine engine = PolicyEngine.load(POLICY);
        Decision upload = engine.decideHttp(AGENT, "POST", "http", "127.0.0.2", 41002, "/upload", null, Double.NaN);
        assertThat(upload.verdict()).isEqualTo(Verdict.DENY);
        assertThat(upload.ruleId()).isEqualTo("egress-allowlist");
        assertThat(upload.reason()).isEqualTo("egress outside the allowlist");
        // the socket backstop's raw connection to the same place
        assertThat(engine.decideHttp(AGENT, null, null, "127.0.0.2", 41002, null, null, Double.NaN).ruleId())
                .isEqualTo("egress-allowlist");
        Decision drop = engine.decideSql(AGENT, "DROP", new String[] {"public.orders"});
        assertThat(drop.verdict()).isEqualTo(Verdict.DENY);
        assertThat(drop.ruleId()).isEqualTo("no-ddl");
        assertThat(drop.reason()).isEqualTo("agents may not change the schema");
    }
}
