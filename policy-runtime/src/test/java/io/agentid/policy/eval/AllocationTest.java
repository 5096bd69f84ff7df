package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentid.policy.Decision;
import io.agentid.policy.Policies;
import io.agentid.policy.PolicyEngine;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The indexed engine's decideSql and decideHttp allocate nothing, measured with the JVM's per-thread allocation counter. */
class AllocationTest {

    @Test
    void decidingAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "allocation counting not supported");
        mx.setThreadAllocatedMemoryEnabled(true);

        PolicyEngine engine = Policies.engine(Policies.read(Policies.resource("fifty-rules.yaml")));
        String[][] tables = {{"orders"}, {"hr.payroll"}, {"sales.orders", "crm.customers", "public.line_items"}, {},
            {"Warehouse.Sales.Facts"}};
        String[] agents = {"reporting-eu", "support-7", "etl-nightly", "Guest", "ops-admin", ""};
        String[] ops = {"SELECT", "INSERT", "DROP", "select", "FROBNICATE", "VACUUM"};
        long sink = 0;
        // Warm up so that counting does not include class loading or the JIT's own work on this thread.
        for (int i = 0; i < 20_000; i++) {
            sink += decide(engine, tables, agents, ops, i).ruleId().length();
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            sink += decide(engine, tables, agents, ops, i).ruleId().length();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        // 100 000 calls allocating even one 16-byte object each would be 1.6 MB; allow for the counter's own noise.
        assertThat(allocated).as("bytes allocated by 100 000 decisions").isLessThan(4_096);
    }

    @Test
    void decidingHttpAllocatesNothing() {
        java.lang.management.ThreadMXBean bean = ManagementFactory.getThreadMXBean();
        assumeTrue(bean instanceof com.sun.management.ThreadMXBean, "needs com.sun.management.ThreadMXBean");
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) bean;
        assumeTrue(mx.isThreadAllocatedMemorySupported(), "allocation counting not supported");
        mx.setThreadAllocatedMemoryEnabled(true);

        PolicyEngine engine = Policies.engine(Policies.read(Policies.resource("fifty-http-rules.yaml")));
        // Canonical hosts (the common case: interceptors pass what the URL holds, normally lower case), IP
        // literals for the CIDR ranges, raw connections (null method/scheme/path) and model calls.
        String[] hosts = {"api.openai.com", "svc3.internal.example.com", "evil.example.net", "10.2.3.4", "fd00:3::5",
            "a.bucket7.s3.amazonaws.com", "localhost", "192.168.1.20"};
        String[] methods = {"GET", "POST", null, "delete", "PROPFIND"};
        String[] paths = {"/v1/chat/completions", "/private/x", null, "/admin/users"};
        String[] models = {null, "gpt-4o-mini-2024-07-18", "gpt-4o"};
        String[] agents = {"reporting-eu", "svc3-writer", "ops-admin", "news-bot", ""};
        int[] ports = {443, 80, 5432, -1};
        double[] costs = {Double.NaN, 0.001, 0.75};
        long sink = 0;
        for (int i = 0; i < 20_000; i++) {
            sink += decideHttp(engine, hosts, methods, paths, models, agents, ports, costs, i).ruleId().length();
        }
        long tid = Thread.currentThread().getId();
        long before = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < 100_000; i++) {
            sink += decideHttp(engine, hosts, methods, paths, models, agents, ports, costs, i).ruleId().length();
        }
        long allocated = mx.getThreadAllocatedBytes(tid) - before;
        assertThat(sink).isPositive();
        assertThat(allocated).as("bytes allocated by 100 000 http decisions").isLessThan(4_096);
    }

    private static Decision decideHttp(PolicyEngine engine, String[] hosts, String[] methods, String[] paths,
            String[] models, String[] agents, int[] ports, double[] costs, int i) {
        String method = methods[i % methods.length];
        return engine.decideHttp(agents[i % agents.length], method, method == null ? null : "https",
                hosts[i % hosts.length], ports[i % ports.length], method == null ? null : paths[i % paths.length],
                models[i % models.length], costs[i % costs.length]);
    }

    private static Decision decide(PolicyEngine engine, String[][] tables, String[] agents, String[] ops, int i) {
        return engine.decideSql(agents[i % agents.length], ops[i % ops.length], tables[i % tables.length]);
    }
}
