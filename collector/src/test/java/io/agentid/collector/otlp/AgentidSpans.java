package io.agentid.collector.otlp;

import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/** Spans shaped like the ones agentid's agent exports for a JDBC call (about 15 attributes). */
final class AgentidSpans {

    private static final String[] TABLES = {"orders", "customers", "invoices", "payments", "audit_log"};

    private AgentidSpans() {
    }

    static List<SpanRecord> sql(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        Map<String, Object> resource = new LinkedHashMap<>();
        resource.put("service.name", "billing-agent");
        resource.put("agentid.agent.id", "billing-agent-7");
        resource.put("telemetry.sdk.language", "java");
        List<SpanRecord> spans = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            boolean deny = r.nextInt(10) == 0;
            String t1 = TABLES[r.nextInt(TABLES.length)];
            String t2 = TABLES[r.nextInt(TABLES.length)];
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("agentid.agent.id", "billing-agent-7");
            a.put("agentid.kind", "sql");
            a.put("agentid.decision", deny ? "deny" : "allow");
            a.put("agentid.rule.id", deny ? "no-pii-export" : "allow-billing-reads");
            a.put("agentid.reason", deny ? "table `customers` is denied for bulk reads" : "matched rule allow-billing-reads");
            a.put("agentid.policy.version", "2024-06-01.3");
            a.put("agentid.mode", "enforce");
            a.put("db.system.name", "postgresql");
            a.put("db.query.text", "SELECT o.id, o.total_cents, c.email FROM " + t1 + " o JOIN " + t2
                    + " c ON c.id = o.customer_id WHERE o.created_at > ? AND o.status = ? LIMIT " + (100 + i % 900));
            a.put("db.operation.name", "SELECT");
            a.put("agentid.sql.tables", List.of(t1, t2));
            a.put("agentid.sql.operations", List.of("SELECT"));
            a.put("agentid.sql.statement_count", 1L);
            a.put("server.address", "db-primary.internal");
            a.put("agentid.db.url", "jdbc:postgresql://db-primary.internal:5432/billing");
            long start = 1_718_000_000_000_000_000L + i * 1_000_000L + r.nextInt(1000);
            List<SpanEvent> events = deny
                    ? List.of(new SpanEvent("agentid.blocked", start + 5000, Map.of("agentid.rule.id", "no-pii-export")))
                    : List.of();
            spans.add(new SpanRecord(hex(r, 16), hex(r, 8), i % 4 == 0 ? "" : hex(r, 8), "SELECT billing", 3, start,
                    start + 250_000 + r.nextInt(2_000_000), deny ? 2 : 0, deny ? "blocked by agentid" : "", resource,
                    "io.agentid.jdbc", a, events));
        }
        return spans;
    }

    private static String hex(SplittableRandom r, int bytes) {
        StringBuilder b = new StringBuilder(bytes * 2);
        for (int i = 0; i < bytes; i++) {
            b.append(String.format("%02x", r.nextInt(256)));
        }
        return b.toString();
    }
}
