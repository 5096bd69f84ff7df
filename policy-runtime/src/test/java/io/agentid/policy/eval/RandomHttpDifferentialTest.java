package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Policies;
import io.agentid.policy.compile.PolicyCompiler;
import io.agentid.policy.model.PolicyModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Randomised differential testing of decideHttp with fixed seeds: the indexed engine must agree with the
 * reference evaluator on every call, for the 50-rule http policy of the test resources and for generated
 * policies (up to 100 rules, so more than one 32-rule segment).
 */
class RandomHttpDifferentialTest {
    static final String[] HOSTS = {
        "api.openai.com", "API.OPENAI.COM.", "api.anthropic.com", "openai.com", "x.api.openai.com", "svc3.internal.example.com",
        "internal.example.com", "a.b.internal.example.com", "billing.internal.example.com", "evil.example.net", "localhost",
        "127.0.0.1", "127.1", "0x7f000001", "10.2.3.4", "10.7.255.255", "10.8.0.1", "192.168.1.20", "169.254.169.254",
        "2852039166", "fd00:3::5", "[FD00:EC2::254]", "fd00:ec2:0:0:0:0:0:254", "::1", "[::ffff:10.1.1.1]", "2001:db8::1",
        "a.bucket7.s3.amazonaws.com", "bucket7.s3.amazonaws.com", "bücher.example", "xn--bcher-kva.example", "", "junk host",
        "metadata.google.internal.", "s3.amazonaws.com", "x.s3.amazonaws.com"
    };
    static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "HEAD", "get", "Patch", "PROPFIND", "", null, null};
    static final String[] SCHEMES = {"https", "http", "wss", "ws", "HTTPS", "gopher", null};
    static final String[] PATHS = {"/", "/v1/chat/completions", "/v1/files", "/v1/files/abc", "/private/x", "/admin",
        "/admin/users", "/repo/.git/config", "/V1/x", "", "/actuator/health"};
    static final String[] MODELS = {null, null, "gpt-4o-mini", "GPT-4o-mini-2024", "gpt-4o", "claude-3-5-haiku-1", "gpt-4.1", ""};
    static final String[] AGENTS = {"reporting-eu", "support-7", "svc3-writer", "ops-admin", "news-bot", "guest-1", "", "a.b"};
    static final int[] PORTS = {443, 80, 8080, 8443, 22, 5432, 3389, -1, 1};
    static final double[] COSTS = {Double.NaN, 0, 0.001, 0.01, 0.0100001, 0.1, 0.2, 0.5, 0.50001, 3};

    @Test
    void fiftyRuleHttpPolicyFromResources() {
        PolicyModel model = Policies.model(Policies.read(Policies.resource("fifty-http-rules.yaml")));
        assertThat(model.rules()).hasSize(50);
        int denies = differential(model, new Random(20250101L), 30_000, 15);
        assertThat(denies).isBetween(3_000, 29_000);
    }

    @ParameterizedTest(name = "generated http policy, seed {0}")
    @ValueSource(longs = {1, 2, 3, 42, 1_000_003})
    void generatedPolicies(long seed) {
        Random random = new Random(seed);
        int rules = seed == 42 ? 100 : 40;
        PolicyModel model = Policies.model(generatePolicy(random, rules));
        if (rules > 32) {
            assertThat(PolicyCompiler.index(model).httpIndex().segmentCount()).isGreaterThan(1);
        }
        differential(model, random, 10_000, 4);
    }

    private static int differential(PolicyModel model, Random random, int calls, int minRulesHit) {
        IndexedPolicyEngine indexed = PolicyCompiler.index(model);
        ReferencePolicyEngine reference = PolicyCompiler.reference(model);
        int denies = 0;
        Map<String, Integer> hit = new HashMap<>();
        for (int i = 0; i < calls; i++) {
            boolean raw = random.nextInt(6) == 0;
            String agent = pick(random, AGENTS);
            String method = raw ? null : pick(random, METHODS);
            String scheme = raw ? null : pick(random, SCHEMES);
            String host = pick(random, HOSTS);
            int port = PORTS[random.nextInt(PORTS.length)];
            String path = raw ? null : pick(random, PATHS);
            String llm = raw ? null : pick(random, MODELS);
            double cost = raw ? Double.NaN : COSTS[random.nextInt(COSTS.length)];
            Decision a = indexed.decideHttp(agent, method, scheme, host, port, path, llm, cost);
            Decision b = reference.decideHttp(agent, method, scheme, host, port, path, llm, cost);
            assertThat(Policies.describe(a))
                    .as("agent=%s method=%s scheme=%s host=%s port=%d path=%s model=%s cost=%s", agent, method, scheme, host,
                            port, path, llm, cost)
                    .isEqualTo(Policies.describe(b));
            denies += a.isDeny() ? 1 : 0;
            hit.merge(a.ruleId(), 1, Integer::sum);
        }
        assertThat(hit.size()).as("rules hit: %s", hit).isGreaterThanOrEqualTo(minRulesHit);
        return denies;
    }

    private static boolean has(List<String> conditions, String key) {
        for (String c : conditions) {
            if (c.startsWith(key + ":")) {
                return true;
            }
        }
        return false;
    }

    private static <T> T pick(Random random, T[] pool) {
        return pool[random.nextInt(pool.length)];
    }

    static final String[] HOST_PATTERNS = {
        "api.openai.com", "\"*.openai.com\"", "\"*.internal.example.com\"", "internal.example.com", "10.0.0.0/8", "10.2.0.0/16",
        "\"10.2.3.4\"", "127.0.0.1", "\"::1\"", "\"fd00::/8\"", "\"fd00:ec2::254\"", "\"::ffff:10.0.0.0/104\"", "\"2001:db8::/32\"",
        "0.0.0.0/0", "\"::/0\"", "localhost", "\"*.s3.amazonaws.com\"", "bücher.example", "\"*.example\"", "169.254.169.254/32",
        "\"*.bucket7.s3.amazonaws.com\"", "evil.example.net"
    };
    static final String[] METHOD_PATTERNS = {"GET", "POST", "PUT", "DELETE", "HEAD", "patch"};
    static final String[] SCHEME_PATTERNS = {"https", "http", "ws", "wss"};
    static final String[] PORT_PATTERNS = {"443", "80", "8080", "22", "5432"};
    static final String[] PATH_PATTERNS = {"/", "/v1/*", "\"/v1/files*\"", "/private/*", "/admin", "\"*/.git/*\"", "\"*\"", "/V1/x"};
    static final String[] MODEL_PATTERNS = {"gpt-4o-mini*", "\"*haiku*\"", "gpt-4o", "GPT-4.1", "\"*\""};
    static final String[] AGENT_PATTERNS = {"reporting-*", "support-*", "ops-admin", "\"*-bot\"", "guest*", "\"*\"", "a.b"};
    static final String[] COSTS_YAML = {"{ gt: 0.50 }", "{ gte: 0.01 }", "{ lt: 0.01 }", "{ lte: 0.2, gt: 0.0 }", "{ gte: 0.1, lt: 0.5 }"};

    static String generatePolicy(Random random, int rules) {
        StringBuilder sb = new StringBuilder("version: 1\ndefault: ").append(random.nextBoolean() ? "allow" : "deny").append("\nrules:\n");
        String[][] pools = {HOST_PATTERNS, HOST_PATTERNS, METHOD_PATTERNS, METHOD_PATTERNS, SCHEME_PATTERNS, SCHEME_PATTERNS,
            PORT_PATTERNS, PORT_PATTERNS, PATH_PATTERNS, PATH_PATTERNS, MODEL_PATTERNS, MODEL_PATTERNS, AGENT_PATTERNS,
            AGENT_PATTERNS};
        String[] keys = {"host", "host_not", "method", "method_not", "scheme", "scheme_not", "port", "port_not", "path",
            "path_not", "model", "model_not", "agent", "agent_not"};
        int[] odds = {3, 6, 4, 8, 6, 10, 6, 10, 5, 10, 6, 8, 5, 10};
        for (int i = 0; i < rules; i++) {
            List<String> conditions = new ArrayList<>();
            for (int k = 0; k < keys.length; k++) {
                if (random.nextInt(odds[k]) == 0) {
                    List<String> values = new ArrayList<>();
                    for (int n = 1 + random.nextInt(3); n > 0; n--) {
                        values.add(pools[k][random.nextInt(pools[k].length)]);
                    }
                    conditions.add(keys[k] + ": [" + String.join(", ", values) + "]");
                }
            }
            if (conditions.size() < 2) {
                // Keep most rules narrow, so that many rules get to decide.
                int k = random.nextBoolean() ? 0 : 8;
                if (has(conditions, keys[k])) {
                    k = has(conditions, keys[8 - k]) ? 2 : 8 - k;
                }
                conditions.add(keys[k] + ": " + pools[k][random.nextInt(pools[k].length)]);
            }
            if (random.nextInt(8) == 0) {
                conditions.add("cost_usd: " + COSTS_YAML[random.nextInt(COSTS_YAML.length)]);
            }
            boolean deny = random.nextInt(3) > 0;
            sb.append("  - id: r").append(i).append("\n    match: { kind: http");
            for (String c : conditions) {
                sb.append(", ").append(c);
            }
            sb.append(" }\n    decision: ").append(deny ? "deny" : "allow").append('\n');
            if (deny) {
                sb.append("    reason: generated rule ").append(i).append('\n');
            }
        }
        return sb.toString();
    }
}
