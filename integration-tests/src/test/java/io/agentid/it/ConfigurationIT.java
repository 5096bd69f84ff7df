package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.LegacyDriverApp;
import io.agentid.it.apps.SmallJdbcApp;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.Policies;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** Where settings come from, what a broken policy does, monitor mode, and export under pressure. */
class ConfigurationIT {
    private static final String GUARDRAILS = Policies.path("guardrails.yaml").toString();

    @Test
    void agentArgumentsBeatSystemPropertiesBeatEnvironment() throws Exception {
        try (OtlpSink sink = new OtlpSink()) {
            Forked.of(Jvms.first(), SmallJdbcApp.class)
                    .agent("agent.id=from-args")
                    .jvmArg("-Dagentid.agent.id=from-property")
                    .jvmArg("-Dagentid.policy=" + GUARDRAILS)
                    .env("AGENTID_AGENT_ID", "from-env")
                    .env("OTEL_SERVICE_NAME", "billing-service")
                    .exportTo(sink)
                    .args("basic")
                    .run().assertSucceeded();
            assertThat(sink.spans()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.attr("agentid.agent.id")).isEqualTo("from-args");
                assertThat(s.resource()).containsEntry("service.name", "billing-service");
            });
            // the policy came from the system property
            assertThat(sink.spans(s -> "deny".equals(s.attr("agentid.decision")))).hasSize(1);
        }
        try (OtlpSink sink = new OtlpSink()) {
            Forked.of(Jvms.first(), SmallJdbcApp.class)
                    .agent(null)
                    .jvmArg("-Dagentid.agent.id=from-property")
                    .env("AGENTID_AGENT_ID", "from-env")
                    .env("AGENTID_POLICY", GUARDRAILS)
                    .exportTo(sink)
                    .args("basic")
                    .run().assertSucceeded();
            assertThat(sink.spans()).isNotEmpty().allSatisfy(s -> assertThat(s.attr("agentid.agent.id"))
                    .isEqualTo("from-property"));
            assertThat(sink.spans(s -> "deny".equals(s.attr("agentid.decision")))).hasSize(1);
        }
        try (OtlpSink sink = new OtlpSink()) {
            Forked.of(Jvms.first(), SmallJdbcApp.class)
                    .agent(null)
                    .env("AGENTID_AGENT_ID", "from-env")
                    .jvmArg("-Dotel.exporter.otlp.endpoint=" + sink.endpoint())
                    .args("basic")
                    .run().assertSucceeded();
            assertThat(sink.spans()).isNotEmpty().allSatisfy(s -> {
                assertThat(s.attr("agentid.agent.id")).isEqualTo("from-env");
                assertThat(s.resource()).containsEntry("service.name", "from-env");
            });
        }
    }

    @Test
    void brokenPolicyFailsClosedNamingFileLineAndProblem() throws Exception {
        Path broken = Policies.path("broken.yaml");
        Forked.Result r = Forked.of(Jvms.first(), SmallJdbcApp.class)
                .agent("policy=" + broken + ",agent.id=a")
                .args("basic")
                .run().assertSucceeded();
        assertThat(r.stderr()).contains(broken + ":6:43: unknown operation `DORP`");
        assertThat(r.value("setup")).startsWith("error 42501 agentid: blocked by rule 'policy-error': ");
        assertThat(r.value("select")).startsWith("error 42501 agentid: blocked by rule 'policy-error': ")
                .contains(broken.toString());
        assertThat(r.value("drop")).startsWith("error 42501 agentid: blocked by rule 'policy-error': ");
        assertThat(r.value("exists")).startsWith("error 42501 agentid: blocked by rule 'policy-error': ");
    }

    @Test
    void brokenPolicyCanBeConfiguredToFailOpen() throws Exception {
        Forked.Result r = Forked.of(Jvms.first(), SmallJdbcApp.class)
                .agent("policy=" + Policies.path("broken.yaml") + ",agent.id=a,policy.on_error=allow")
                .args("basic")
                .run().assertSucceeded();
        assertThat(r.stderr()).contains("policy.on_error is allow");
        assertThat(r.value("select")).isEqualTo("ok one");
        assertThat(r.value("drop")).startsWith("ok");
    }

    @Test
    void monitorModeRecordsDenialsButNeverBlocks() throws Exception {
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(Jvms.first(), SmallJdbcApp.class)
                    .agent("policy=" + Policies.path("monitor.yaml") + ",agent.id=watched")
                    .exportTo(sink)
                    .args("basic")
                    .run().assertSucceeded();
            assertThat(r.value("drop")).isEqualTo("ok false");
            assertThat(r.value("exists")).startsWith("error"); // the table really was dropped
            OtlpSink.SpanRecord drop = sink.query("DROP TABLE items").get(0);
            assertThat(drop.attr("agentid.decision")).isEqualTo("deny");
            assertThat(drop.attr("agentid.mode")).isEqualTo("monitor");
            assertThat(drop.attr("agentid.rule.id")).isEqualTo("no-ddl");
            assertThat(drop.events()).containsExactly("agentid.would_block");
            assertThat(drop.statusCode()).isEqualTo("STATUS_CODE_UNSET");
        }
    }

    @Test
    void deniedCallSpansSurviveAFloodOfAllowedOnesToASlowCollector() throws Exception {
        try (OtlpSink sink = new OtlpSink().delay(200)) {
            Forked.Result r = Forked.of(Jvms.first(), SmallJdbcApp.class)
                    .agent("policy=" + GUARDRAILS + ",agent.id=flood,export.queue.allowed=256")
                    .exportTo(sink)
                    .args("flood", "200000", "1000")
                    .run().assertSucceeded();
            assertThat(r.value("blocked")).isEqualTo("200");
            // every denial arrived; many allowed spans were dropped, counted and reported
            assertThat(sink.query("DROP TABLE items")).hasSize(200);
            assertThat(sink.query("SELECT name FROM items WHERE id = ?").size()).isLessThan(200_000);
            assertThat(r.stderr()).containsPattern("export: \\d+ spans exported, [1-9]\\d* allowed-call spans dropped"
                    + " \\(queue full\\), 0 denied-call spans dropped");
        }
    }

    @Test
    void aFaultInsideAgentidLetsTheCallProceedAndIsReportedOnce() throws Exception {
        Forked.Result r = Forked.of(Jvms.first(), LegacyDriverApp.class)
                .agent("policy=" + GUARDRAILS + ",agent.id=a")
                .run().assertSucceeded();
        assertThat(r.value("execute.0")).as(r.toString()).isEqualTo("ok true");
        assertThat(r.value("execute.1")).isEqualTo("ok true");
        assertThat(r.value("execute.2")).isEqualTo("ok true");
        assertThat(r.stderr().split("internal fault at jdbc.decide", -1)).as(r.stderr()).hasSize(2);
        assertThat(r.stderr()).contains("java.lang.AbstractMethodError");
    }

    @Test
    void aFaultInsideAgentidCanBeConfiguredToBlock() throws Exception {
        Forked.Result r = Forked.of(Jvms.first(), LegacyDriverApp.class)
                .agent("policy=" + GUARDRAILS + ",agent.id=a,on_internal_error=block")
                .run().assertSucceeded();
        assertThat(r.value("execute.0")).as(r.toString())
                .startsWith("blocked 42501 agentid: blocked by rule 'internal-error': ");
        assertThat(r.value("execute.2")).startsWith("blocked 42501 agentid: blocked by rule 'internal-error': ");
    }

    @Test
    void anUnreachableCollectorNeverFailsTheApplication() throws Exception {
        Forked.Result r = Forked.of(Jvms.first(), SmallJdbcApp.class)
                .agent("policy=" + GUARDRAILS + ",agent.id=a")
                .env("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9")
                .args("flood", "20000", "1000")
                .run().assertSucceeded();
        assertThat(r.value("blocked")).isEqualTo("20");
        assertThat(r.stderr()).containsPattern("[1-9]\\d* spans failed to export");
    }
}
