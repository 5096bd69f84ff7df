package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.OwnLibrariesApp;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.Policies;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** agentid's own Byte Buddy, OpenTelemetry and YAML stay invisible to an application with its own versions. */
class IsolationIT {
    static List<Jvms.Jvm> jvms() {
        return Jvms.all();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("jvms")
    void applicationLibrariesRunUnchanged(Jvms.Jvm jvm) throws Exception {
        Forked.Result without = Forked.of(jvm, OwnLibrariesApp.class).run().assertSucceeded();
        Forked.Result with = Forked.of(jvm, OwnLibrariesApp.class)
                .agent("policy=" + Policies.path("guardrails.yaml") + ",agent.id=own-libs")
                .run()
                .assertSucceeded();

        for (String key : List.of("jackson.json", "jackson.version", "otel.spans", "otel.span.name", "otel.sdk.version",
                "bytebuddy.generated", "bytebuddy.location")) {
            assertThat(with.value(key)).as(key + "\n" + with).isNotNull().isEqualTo(without.value(key));
        }
        assertThat(with.value("otel.sdk.version")).isEqualTo("1.61.0");
        assertThat(with.value("bytebuddy.location")).contains("byte-buddy-1.17.6.jar");

        assertThat(with.value("visible.io.agentid.runtime.AgentRuntime")).isEqualTo("false");
        assertThat(with.value("visible.io.agentid.policy.PolicyEngine")).isEqualTo("false");
        assertThat(with.value("visible.io.agentid.shaded.net.bytebuddy.ByteBuddy")).isEqualTo("false");
        assertThat(with.value("visible.io.agentid.shaded.io.opentelemetry.api.OpenTelemetry")).isEqualTo("false");
        // the bridge is the one thing of ours on the bootstrap path: advice inlined into drivers must reach it
        assertThat(with.value("visible.io.agentid.bootstrap.JdbcHooks")).isEqualTo("true");

        assertThat(without.value("jdbc.drop")).isEqualTo("ok");
        assertThat(with.value("jdbc.drop")).startsWith("agentid: blocked by rule 'no-ddl'");
        assertThat(with.value("jdbc.customers")).isEqualTo("0");
    }
}
