package io.agentid.collector.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The review view of one span: what security staff filter and read. Derived from the span's attributes, so it
 * works for agentid's spans ({@code agentid.*} attributes) and, as far as semantic conventions allow, for spans
 * from any other OpenTelemetry sender.
 *
 * <ul>
 *   <li>{@code agent}: {@code agentid.agent.id} (span, then resource), else {@code service.name}, else "".
 *   <li>{@code kind}: {@code agentid.kind}; else {@code sql} (db.*), {@code llm} (gen_ai.*), {@code http}
 *       (http.*), {@code rpc} (rpc.*), else {@code other}.
 *   <li>{@code decision}: {@code agentid.decision} ({@code allow} or {@code deny}), else {@code none}.
 * </ul>
 */
public record CallView(String agent, String kind, String operation, List<String> targets, String statement,
        String decision, String ruleId, String reason, String policyVersion, String mode, boolean blocked,
        Double costEstimateUsd, Double costActualUsd) {

    public static final String NO_DECISION = "none";

    public static CallView of(SpanRecord s) {
        Map<String, Object> a = s.attributes();
        String agent = str(a, "agentid.agent.id");
        if (agent.isEmpty()) {
            agent = str(s.resourceAttributes(), "agentid.agent.id");
        }
        if (agent.isEmpty()) {
            agent = s.serviceName();
        }
        String kind = str(a, "agentid.kind");
        if (kind.isEmpty()) {
            kind = inferKind(a);
        }
        String operation = first(a, "db.operation.name", "db.operation", "gen_ai.operation.name",
                "http.request.method", "http.method", "rpc.method");
        if (operation.isEmpty()) {
            operation = s.name();
        }
        List<String> targets = new ArrayList<>();
        Object tables = a.get("agentid.sql.tables");
        if (tables instanceof List<?> l) {
            for (Object o : l) {
                targets.add(String.valueOf(o));
            }
        } else {
            String c = first(a, "db.collection.name", "db.sql.table");
            if (!c.isEmpty()) {
                targets.add(c);
            }
        }
        if (!"sql".equals(kind)) {
            String host = first(a, "server.address", "net.peer.name", "rpc.service");
            if (!host.isEmpty()) {
                targets.add(host);
            }
            String model = str(a, "gen_ai.request.model");
            if (!model.isEmpty()) {
                targets.add(model);
            }
        }
        String statement = first(a, "db.query.text", "db.statement", "url.full", "http.url");
        String decision = str(a, "agentid.decision");
        if (decision.isEmpty()) {
            decision = NO_DECISION;
        }
        String mode = str(a, "agentid.mode");
        boolean blocked = false;
        for (SpanEvent e : s.events()) {
            if ("agentid.blocked".equals(e.name())) {
                blocked = true;
                break;
            }
        }
        return new CallView(agent, kind, operation, List.copyOf(targets), statement, decision,
                str(a, "agentid.rule.id"), str(a, "agentid.reason"), str(a, "agentid.policy.version"), mode,
                blocked, num(a, "agentid.cost.estimate_usd"), num(a, "agentid.cost.actual_usd"));
    }

    private static String inferKind(Map<String, Object> a) {
        boolean http = false;
        boolean rpc = false;
        for (String k : a.keySet()) {
            if (k.startsWith("gen_ai.")) {
                return "llm";
            }
            if (k.startsWith("db.")) {
                return "sql";
            }
            http |= k.startsWith("http.");
            rpc |= k.startsWith("rpc.");
        }
        return http ? "http" : rpc ? "rpc" : "other";
    }

    private static String first(Map<String, Object> a, String... keys) {
        for (String k : keys) {
            String v = str(a, k);
            if (!v.isEmpty()) {
                return v;
            }
        }
        return "";
    }

    private static String str(Map<String, Object> a, String key) {
        Object v = a.get(key);
        return v == null ? "" : v instanceof String s ? s : String.valueOf(v);
    }

    private static Double num(Map<String, Object> a, String key) {
        Object v = a.get(key);
        if (v instanceof Number n) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            try {
                return Double.parseDouble(s);
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }
}
