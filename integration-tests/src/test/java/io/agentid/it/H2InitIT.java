package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.H2InitApp;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.Policies;
import org.junit.jupiter.api.Test;

/** SQL in a JDBC URL (H2's INIT) is decided like a statement: a denied one fails the connect, nothing runs. */
class H2InitIT {

    @Test
    void initSqlInTheUrlOrThePropertiesIsDecidedBeforeTheDriverRunsIt() throws Exception {
        try (OtlpSink sink = new OtlpSink()) {
            Forked.Result r = Forked.of(Jvms.first(), H2InitApp.class)
                    .agent("policy=" + Policies.path("guardrails.yaml") + ",agent.id=init")
                    .exportTo(sink)
                    .run().assertSucceeded();
            assertThat(r.value("create")).isEqualTo("ok");
            assertThat(r.value("drop"))
                    .isEqualTo("blocked 42501 agentid: blocked by rule 'no-ddl': agents may not change the schema");
            assertThat(r.value("drop-in-properties"))
                    .isEqualTo("blocked 42501 agentid: blocked by rule 'no-ddl': agents may not change the schema");
            // RUNSCRIPT is an operation of its own, which this policy does not deny: H2 runs it (and fails: no file)
            assertThat(r.value("runscript")).startsWith("blocked 90031 ");
            assertThat(r.value("items")).isEqualTo("exists");
            assertThat(sink.spans(s -> "deny".equals(s.attr("agentid.decision")))).hasSize(2);
        }
    }
}
