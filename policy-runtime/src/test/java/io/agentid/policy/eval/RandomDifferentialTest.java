package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Policies;
import io.agentid.policy.compile.PolicyCompiler;
import io.agentid.policy.model.PolicyModel;
import io.agentid.sql.SqlAnalyzer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Randomised differential testing with fixed seeds: generated calls against the 50-rule policy in the test
 * resources and against generated 50-rule policies; the indexed engine must agree with the reference
 * evaluator on every call (verdict, rule, reason, version and mode).
 */
class RandomDifferentialTest {
    static final List<String> OPS = new ArrayList<>(new TreeSet<>(SqlAnalyzer.OPERATIONS));

    static final String[] AGENTS = {
        "reporting-eu", "REPORTING-US", "reporting-", "reporting", "support-1", "support-billing-audit", "ops-admin",
        "ops.admin", "team.sales-bot", "team.sales-bot.v2", "etl-nightly", "etl", "guest", "", "x.y.z", "a*b", "admin",
        "auditor-7", "eu-auditor", "sales-bot", "Root.Agent"
    };

    static final String[] TABLES = {
        "payroll", "hr.payroll", "db.hr.payroll", "HR.Payroll", "hr", "hr.people", "scratch.tmp", "scratch",
        "sales.orders", "orders", "public.orders", "billing.accounts", "eu_invoices", "billing", "a.b.c.d",
        "tmp_1", "tmp_", "s.tmp_x", "prod.finance.ledger", "finance.ledger", "audit_log", "x.audit_log", "",
        ".x", "x.", "secret", "my_secret_stuff", "customers", "crm.customers", "crm.customers_archive"
    };

    @Test
    void fiftyRulePolicyFromResources() {
        PolicyModel model = load(Policies.read(Policies.resource("fifty-rules.yaml")));
        assertThat(model.rules()).hasSize(50);
        int denies = differential(model, new Random(20240601L), 30_000, 15);
        assertThat(denies).as("some generated calls must be denied and some allowed").isBetween(3_000, 27_000);
    }

    @ParameterizedTest(name = "generated 50-rule policy, seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1_000_003})
    void generatedPolicies(long seed) {
        Random random = new Random(seed);
        String yaml = generatePolicy(random, 50);
        PolicyModel model = load(yaml);
        assertThat(model.rules()).hasSize(50);
        differential(model, random, 10_000, 5);
    }

    @Test
    void aPolicyLargerThanOneSegment() {
        Random random = new Random(7);
        PolicyModel model = load(generatePolicy(random, 300));
        IndexedPolicyEngine engine = PolicyCompiler.index(model);
        // 300 rules: the buckets hold more than 64 rules, so they are cut into several segments.
        assertThat(engine.sqlIndex().segmentCount("SELECT")).isGreaterThan(1);
        assertThat(engine.sqlIndex().segmentCount("FROBNICATE")).isGreaterThan(1);
        differential(model, random, 10_000, 20);
    }

    private static PolicyModel load(String yaml) {
        return Policies.model(yaml);
    }

    /** Runs {@code calls} random calls through both evaluators; returns how many were denied. */
    private static int differential(PolicyModel model, Random random, int calls, int minRulesHit) {
        IndexedPolicyEngine indexed = PolicyCompiler.index(model);
        ReferencePolicyEngine reference = PolicyCompiler.reference(model);
        int denies = 0;
        Map<String, Integer> rulesHit = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            String agent = random.nextInt(10) == 0 ? randomName(random, "abr-.*xy") : AGENTS[random.nextInt(AGENTS.length)];
            String op = random.nextInt(20) == 0 ? (random.nextBoolean() ? "FROBNICATE" : "select")
                    : OPS.get(random.nextInt(OPS.size()));
            if (random.nextInt(5) > 0) {
                op = new String[] {"SELECT", "INSERT", "UPDATE", "DELETE", "DROP"}[random.nextInt(5)];
            }
            String[] tables = new String[random.nextInt(5)];
            for (int t = 0; t < tables.length; t++) {
                tables[t] = random.nextInt(8) == 0 ? randomName(random, "ab._s") : TABLES[random.nextInt(TABLES.length)];
            }
            Decision a = indexed.decideSql(agent, op, tables);
            Decision b = reference.decideSql(agent, op, tables);
            assertThat(Policies.describe(a))
                    .as("agent=%s op=%s tables=%s", agent, op, String.join(",", tables))
                    .isEqualTo(Policies.describe(b));
            if (a.isDeny()) {
                denies++;
            }
            rulesHit.merge(a.ruleId(), 1, Integer::sum);
        }
        assertThat(rulesHit.size()).as("the calls should exercise many rules: %s", rulesHit).isGreaterThanOrEqualTo(minRulesHit);
        return denies;
    }

    private static String randomName(Random random, String alphabet) {
        StringBuilder sb = new StringBuilder();
        int n = random.nextInt(7);
        for (int i = 0; i < n; i++) {
            sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
        }
        return sb.toString();
    }

    static final String[] TABLE_PATTERNS = {
        "payroll", "hr.*", "\"*.payroll\"", "hr.payroll", "db.hr.payroll", "\"*.*.payroll\"", "tmp_*", "\"*_invoices\"",
        "\"*secret*\"", "scratch.*", "\"*\"", "\"*.*\"", "sales.orders", "orders", "audit_log", "prod.finance.ledger",
        "crm.customers*", "\"*.customers\"", "a*b*c", "\"s*.t*\"", "billing.*", "b", "x"
    };

    static final String[] AGENT_PATTERNS = {
        "reporting-*", "support-*", "ops-admin", "team.*-bot", "\"*-auditor\"", "etl*", "guest", "\"*\"", "admin",
        "\"*.*\"", "root.agent", "a*b", "x.y.z", "sales-bot"
    };

    /** A valid policy of {@code rules} random rules over the pattern pools above. */
    static String generatePolicy(Random random, int rules) {
        StringBuilder sb = new StringBuilder("version: 1\n");
        sb.append("default: ").append(random.nextBoolean() ? "allow" : "deny").append('\n');
        sb.append("rules:\n");
        for (int i = 0; i < rules; i++) {
            List<String> conditions = new ArrayList<>();
            if (random.nextInt(3) == 0) {
                conditions.add("operation: " + pick(random, ops(), 1 + random.nextInt(3)));
            }
            if (random.nextInt(6) == 0) {
                conditions.add("operation_not: " + pick(random, ops(), 1 + random.nextInt(2)));
            }
            boolean table = random.nextInt(5) < 3;
            boolean agent = random.nextInt(5) < 2;
            if (table || !agent) {
                conditions.add("table: " + pick(random, TABLE_PATTERNS, 1 + random.nextInt(3)));
            }
            if (random.nextInt(6) == 0) {
                conditions.add("table_not: " + pick(random, TABLE_PATTERNS, 1 + random.nextInt(3)));
            }
            if (agent) {
                conditions.add("agent: " + pick(random, AGENT_PATTERNS, 1 + random.nextInt(2)));
            }
            if (random.nextInt(8) == 0) {
                conditions.add("agent_not: " + pick(random, AGENT_PATTERNS, 1 + random.nextInt(2)));
            }
            boolean deny = random.nextInt(3) > 0;
            sb.append("  - id: r").append(i).append('\n');
            sb.append("    match: { kind: sql");
            for (String c : conditions) {
                sb.append(", ").append(c);
            }
            sb.append(" }\n");
            sb.append("    decision: ").append(deny ? "deny" : "allow").append('\n');
            if (deny || random.nextBoolean()) {
                sb.append("    reason: generated rule ").append(i).append('\n');
            }
        }
        return sb.toString();
    }

    private static String[] ops() {
        return new String[] {"SELECT", "INSERT", "UPDATE", "DELETE", "DROP", "select", "Truncate", "SHOW", "VACUUM"};
    }

    private static String pick(Random random, String[] pool, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(pool[random.nextInt(pool.length)]);
        }
        return out.size() == 1 && random.nextBoolean() ? out.get(0) : "[" + String.join(", ", out) + "]";
    }
}
