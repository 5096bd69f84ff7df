package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentid.policy.Decision;
import io.agentid.policy.Policies;
import io.agentid.policy.PolicyEngine;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The indexed engine's decideSql allocates nothing, measured with the JVM's per-thread allocation counter. */
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

    private static Decision decide(PolicyEngine engine, String[][] tables, String[] agents, String[] ops, int i) {
        return engine.decideSql(agents[i % agents.length], ops[i % ops.length], tables[i % tables.length]);
    }
}
