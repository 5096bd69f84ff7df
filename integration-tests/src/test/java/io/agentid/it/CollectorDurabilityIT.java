package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentid.it.support.CollectorProcess;
import io.agentid.it.support.Http;
import io.agentid.it.support.OtlpRequests;
import io.agentid.it.support.OtlpRequests.SpanSpec;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The store keeps its promise: a span acknowledged with 200 survives {@code kill -9} and a restart on the same data
 * directory, a retried batch is stored once, and the collector refuses to start (exit 2, a message naming what is
 * wrong) on a data directory another collector holds, on a port already in use, or on a data directory that is a
 * file.
 */
class CollectorDurabilityIT {
    private static final String PROTOBUF = "application/x-protobuf";

    @TempDir
    Path tmp;

    private static void sendAcknowledged(CollectorProcess c, String agent, List<SpanSpec> batch) throws Exception {
        Http.Response r = Http.post(c.tracesUrl(), PROTOBUF, OtlpRequests.protobuf(agent, batch));
        assertThat(r.status()).as(r + "\n" + c.describe()).isEqualTo(200);
        ExportTraceServiceResponse resp = ExportTraceServiceResponse.parseFrom(r.body());
        assertThat(resp.getPartialSuccess().getRejectedSpans()).as(resp.toString()).isZero();
    }

    private static List<String> storedIds(CollectorProcess c, String agent, String extra) {
        JsonNode calls = Http.getJson(c.api() + "/api/calls?agent=" + agent + "&limit=1000" + extra);
        List<String> ids = new ArrayList<>();
        calls.path("calls").forEach(x -> ids.add(x.path("traceId").asText() + "/" + x.path("spanId").asText()));
        assertThat(calls.path("count").asInt()).as(calls.toString()).isEqualTo(ids.size());
        return ids;
    }

    @Test
    void everyAcknowledgedSpanSurvivesKillDashNine() throws Exception {
        Path data = tmp.resolve("data");
        String agent = "durable-" + UUID.randomUUID();
        List<SpanSpec> all = new ArrayList<>();
        List<SpanSpec> denied = new ArrayList<>();
        List<SpanSpec> firstBatch;
        try (CollectorProcess c = CollectorProcess.start(data)) {
            List<List<SpanSpec>> batches = new ArrayList<>();
            for (int b = 0; b < 20; b++) {
                List<SpanSpec> batch = new ArrayList<>(OtlpRequests.allowed(24));
                SpanSpec deny = SpanSpec.random("DROP TABLE customers", "deny", "no-ddl");
                batch.add(deny);
                denied.add(deny);
                batches.add(batch);
            }
            for (List<SpanSpec> batch : batches) {
                sendAcknowledged(c, agent, batch);
                all.addAll(batch);
            }
            firstBatch = batches.get(0);
            // no orderly shutdown: SIGKILL right after the last acknowledgement
            c.kill();
            assertThat(c.isAlive()).isFalse();
        }

        try (CollectorProcess c = CollectorProcess.start(data)) {
            String ctx = c.describe();
            assertThat(storedIds(c, agent, "")).as(ctx).hasSize(500)
                    .containsExactlyInAnyOrderElementsOf(OtlpRequests.ids(all));
            assertThat(storedIds(c, agent, "&decision=deny")).as(ctx)
                    .containsExactlyInAnyOrderElementsOf(OtlpRequests.ids(denied));
            JsonNode stats = Http.getJson(c.api() + "/api/stats");
            assertThat(CollectorE2EIT.group(stats, "byAgent", "agent", agent)).as(stats.toPrettyString())
                    .containsExactly(500, 20);

            // the spans are whole, not just listed
            SpanSpec one = denied.get(7);
            JsonNode trace = Http.getJson(c.api() + "/api/traces/" + one.traceId());
            JsonNode span = trace.path("spans").get(0);
            assertThat(trace.path("spans")).as(trace.toPrettyString()).hasSize(1);
            assertThat(span.path("spanId").asText()).isEqualTo(one.spanId());
            assertThat(span.path("attributes").path("db.query.text").asText()).isEqualTo("DROP TABLE customers");
            assertThat(span.path("call").path("ruleId").asText()).isEqualTo("no-ddl");
            assertThat(span.path("call").path("blocked").asBoolean()).isTrue();
            assertThat(span.path("resource").path("service.name").asText()).isEqualTo(agent);

            // a sender retrying a batch the dead collector had acknowledged: still stored once
            sendAcknowledged(c, agent, firstBatch);
            assertThat(storedIds(c, agent, "")).as(ctx).hasSize(500);
        }
    }

    @Test
    void aRetriedBatchIsStoredOnce() throws Exception {
        String agent = "retry-" + UUID.randomUUID();
        List<SpanSpec> batch = new ArrayList<>(OtlpRequests.allowed(9));
        batch.add(SpanSpec.random("SELECT * FROM hr.payroll", "deny", "payroll-off-limits"));
        try (CollectorProcess c = CollectorProcess.start(tmp.resolve("data"))) {
            sendAcknowledged(c, agent, batch);
            // the client did not see the first answer and sends the same request again
            sendAcknowledged(c, agent, batch);
            assertThat(storedIds(c, agent, "")).as(c.describe()).containsExactlyInAnyOrderElementsOf(OtlpRequests.ids(batch));
            JsonNode stats = Http.getJson(c.api() + "/api/stats");
            assertThat(CollectorE2EIT.group(stats, "byAgent", "agent", agent)).as(stats.toPrettyString())
                    .containsExactly(10, 1);
            assertThat(CollectorE2EIT.group(stats, "byRule", "rule", "payroll-off-limits")).as(stats.toPrettyString())
                    .containsExactly(1, 1);
            assertThat(stats.path("calls").asInt()).as(stats.toPrettyString()).isEqualTo(10);
        }
    }

    @Test
    void aSecondCollectorOnTheSameDataDirExits2() throws Exception {
        Path data = tmp.resolve("data");
        try (CollectorProcess first = CollectorProcess.start(data)) {
            CollectorProcess.Exited second = CollectorProcess.runToExit(data);
            assertThat(second.exitCode()).as(second.toString()).isEqualTo(2);
            assertThat(second.stdout()).as(second.toString()).doesNotContain("agentid-collector: ready");
            assertThat(second.stderr()).as(second.toString())
                    .contains("agentid-collector: error: ")
                    .contains(data.toString())
                    .containsPattern("(?i)in use|another collector is using");
            assertThat(second.stderr()).as("no stack trace\n" + second).doesNotContain("\tat ");

            // the first one was not disturbed
            String agent = "first-" + UUID.randomUUID();
            List<SpanSpec> batch = OtlpRequests.allowed(3);
            sendAcknowledged(first, agent, batch);
            assertThat(storedIds(first, agent, "")).containsExactlyInAnyOrderElementsOf(OtlpRequests.ids(batch));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"--api-port", "--otlp-http-port", "--otlp-grpc-port"})
    void aPortInUseExits2NamingTheFlag(String flag) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            String port = String.valueOf(taken.getLocalPort());
            CollectorProcess.Exited e = CollectorProcess.runToExit(tmp.resolve("data"), flag, port);
            assertThat(e.exitCode()).as(e.toString()).isEqualTo(2);
            assertThat(e.stdout()).as(e.toString()).doesNotContain("agentid-collector: ready");
            assertThat(e.stderr()).as(e.toString())
                    .contains("agentid-collector: error: ")
                    .contains(flag)
                    .contains(port);
            assertThat(e.stderr()).as("no stack trace\n" + e).doesNotContain("\tat ");
        }
        // and the data directory it had opened was let go: a collector starts on it
        try (CollectorProcess c = CollectorProcess.start(tmp.resolve("data"))) {
            assertThat(Http.getJson(c.api() + "/api/health").path("status").asText()).isEqualTo("ok");
        }
    }

    @Test
    void aDataDirThatIsAFileExits2() throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-directory"), "a regular file\n");
        CollectorProcess.Exited e = CollectorProcess.runToExit(file);
        assertThat(e.exitCode()).as(e.toString()).isEqualTo(2);
        assertThat(e.stdout()).as(e.toString()).doesNotContain("agentid-collector: ready");
        assertThat(e.stderr()).as(e.toString())
                .contains("agentid-collector: error: ")
                .contains(file.toString())
                .containsIgnoringCase("directory");
        assertThat(e.stderr()).as("no stack trace\n" + e).doesNotContain("\tat ");
        assertThat(Files.readString(file)).as("the file is left alone").isEqualTo("a regular file\n");
    }
}
