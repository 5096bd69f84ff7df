package io.agentid.collector.store;

import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Realistic agentid spans (about 15 attributes, a 120-character SQL statement) from a seeded generator. */
final class TestSpans {

    static final String[] AGENTS = {"billing-agent", "support-bot", "hr-assistant", "etl-runner", "sales-copilot",
        "ops-agent", "research-agent", "finance-bot"};
    static final String[] RULES = {"", "deny-payroll-read", "deny-drop-table", "limit-llm-cost", "deny-external-http",
        "allow-readonly"};
    static final String[] KINDS = {"sql", "llm", "http", "rpc"};
    static final String[] TABLES = {"customers", "orders", "invoices", "payroll", "people", "tickets", "products"};

    private final SplittableRandom rnd;
    private final double denyRate;
    private final Map<String, Object>[] resources;

    @SuppressWarnings("unchecked")
    TestSpans(long seed, double denyRate) {
        this.rnd = new SplittableRandom(seed);
        this.denyRate = denyRate;
        this.resources = new Map[AGENTS.length];
        for (int i = 0; i < AGENTS.length; i++) {
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("service.name", AGENTS[i]);
            r.put("service.version", "1.4." + i);
            r.put("host.name", "worker-" + (i * 7 % 5) + ".prod.internal");
            r.put("process.runtime.name", "OpenJDK Runtime Environment");
            r.put("telemetry.sdk.name", "agentid");
            r.put("telemetry.sdk.version", "0.1.0");
            resources[i] = r;
        }
    }

    String hex(int bytes) {
        StringBuilder sb = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            int v = rnd.nextInt(256);
            sb.append(Character.forDigit(v >>> 4, 16)).append(Character.forDigit(v & 15, 16));
        }
        return sb.toString();
    }

    /** A span of a random agent, kind, rule and decision starting at {@code start}. */
    SpanRecord next(long start) {
        int a = rnd.nextInt(AGENTS.length);
        String kind = KINDS[rnd.nextInt(KINDS.length)];
        boolean deny = rnd.nextDouble() < denyRate;
        String rule = deny ? RULES[1 + rnd.nextInt(RULES.length - 2)] : rnd.nextInt(4) == 0 ? "allow-readonly" : "";
        return span(hex(16), hex(8), start, AGENTS[a], kind, deny ? "deny" : "allow", rule);
    }

    SpanRecord span(String traceId, String spanId, long start, String agent, String kind, String decision,
            String rule) {
        boolean deny = "deny".equals(decision);
        Map<String, Object> at = new LinkedHashMap<>();
        at.put("agentid.agent.id", agent);
        at.put("agentid.kind", kind);
        at.put("agentid.decision", decision);
        if (!rule.isEmpty()) {
            at.put("agentid.rule.id", rule);
            at.put("agentid.reason", "rule " + rule + " matched table payroll");
        }
        at.put("agentid.policy.version", "v" + (3 + rnd.nextInt(3)));
        at.put("agentid.mode", "enforce");
        String table = TABLES[rnd.nextInt(TABLES.length)];
        at.put("db.system.name", "postgresql");
        at.put("db.namespace", "prod");
        at.put("db.operation.name", "SELECT");
        at.put("db.collection.name", table);
        at.put("db.query.text", "SELECT c.id, c.name, c.email, o.total, o.created_at FROM " + table
                + " c JOIN orders o ON o.customer_id = c.id WHERE c.region = ? AND o.created_at > ? LIMIT "
                + (10 + rnd.nextInt(990)));
        at.put("agentid.sql.tables", List.of(table, "orders"));
        at.put("server.address", "db-" + rnd.nextInt(4) + ".prod.internal");
        at.put("server.port", 5432L);
        at.put("agentid.cost.estimate_usd", rnd.nextDouble() / 100);
        at.put("agentid.would_block", deny);
        List<SpanEvent> events = new ArrayList<>(1);
        if ("deny".equals(decision)) {
            events.add(new SpanEvent("agentid.blocked", start + 1000, Map.of("agentid.rule.id", rule)));
        }
        int ai = 0;
        for (int i = 0; i < AGENTS.length; i++) {
            if (AGENTS[i].equals(agent)) {
                ai = i;
            }
        }
        return new SpanRecord(traceId, spanId, rnd.nextInt(3) == 0 ? "" : hex(8), "SELECT prod." + table, 3, start,
                start + 200_000 + rnd.nextInt(5_000_000), deny ? 2 : 0, deny ? "blocked by agentid" : "",
                resources[ai], "io.agentid.jdbc", at, events);
    }
}
