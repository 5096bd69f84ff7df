package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentid.it.support.CollectorProcess;
import io.agentid.it.support.Http;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.trace.OtlpGrpcSpanExporter;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * What OpenTelemetry's own Java SDK senders put on the wire lands in the collector and is queryable: the OTLP/HTTP
 * exporter (protobuf, plain and gzip), the OTLP/gRPC exporter (plain and gzip), and OTLP/JSON as the SDK's own
 * marshaler writes it (the SDK has no public JSON exporter), plain and gzip.
 */
class OtlpSendersIT {
    private static final String SCOPE = "io.agentid.it.senders";
    private static Path dataDir;
    private static CollectorProcess collector;

    enum Sender { HTTP_PROTOBUF, HTTP_PROTOBUF_GZIP, GRPC, GRPC_GZIP, HTTP_JSON, HTTP_JSON_GZIP }

    @BeforeAll
    static void startCollector() throws Exception {
        dataDir = Files.createTempDirectory("agentid-senders");
        collector = CollectorProcess.start(dataDir);
    }

    @AfterAll
    static void stopCollector() throws Exception {
        if (collector != null) {
            collector.close();
        }
    }

    /** Keeps the result of every export, so that a failed one fails the test instead of being logged. */
    static final class Recording implements SpanExporter {
        final SpanExporter delegate;
        final List<CompletableResultCode> results = new CopyOnWriteArrayList<>();

        Recording(SpanExporter delegate) {
            this.delegate = delegate;
        }

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            CompletableResultCode r = delegate.export(spans);
            results.add(r);
            return r;
        }

        @Override
        public CompletableResultCode flush() {
            return delegate.flush();
        }

        @Override
        public CompletableResultCode shutdown() {
            return delegate.shutdown();
        }
    }

    /** Keeps what it is sent (InMemorySpanExporter forgets everything on shutdown, which the provider calls). */
    static final class Collecting implements SpanExporter {
        final List<SpanData> spans = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> batch) {
            spans.addAll(batch);
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }
    }

    /** The ids the SDK gave the spans: the turn (root) and its two calls. */
    record Sent(String traceId, String turn, String drop, String select) {}

    /** One agent turn: an INTERNAL root span and two CLIENT calls under it, one denied and blocked, one allowed. */
    private static Sent spans(SpanExporter exporter, String agent) {
        Resource resource = Resource.getDefault().merge(Resource.create(Attributes.of(
                AttributeKey.stringKey("service.name"), agent, AttributeKey.stringKey("agentid.agent.id"), agent)));
        SdkTracerProvider provider = SdkTracerProvider.builder()
                .setResource(resource)
                .addSpanProcessor(BatchSpanProcessor.builder(exporter).setScheduleDelay(Duration.ofSeconds(30)).build())
                .build();
        try {
            Tracer tracer = provider.get(SCOPE);
            Span turn = tracer.spanBuilder("agent.turn").setSpanKind(SpanKind.INTERNAL).startSpan();
            Span drop;
            Span select;
            try (Scope ignored = turn.makeCurrent()) {
                drop = tracer.spanBuilder("DROP customers").setSpanKind(SpanKind.CLIENT)
                        .setAttribute("db.system.name", "h2")
                        .setAttribute("db.query.text", "DROP TABLE customers")
                        .setAttribute("db.operation.name", "DROP")
                        .setAttribute("agentid.agent.id", agent)
                        .setAttribute("agentid.kind", "sql")
                        .setAttribute("agentid.decision", "deny")
                        .setAttribute("agentid.rule.id", "no-ddl")
                        .setAttribute("agentid.reason", "agents may not change the schema")
                        .setAttribute("agentid.mode", "enforce")
                        .setAttribute("agentid.policy.version", "sha256:0123456789abcdef")
                        .setAttribute(AttributeKey.stringArrayKey("agentid.sql.tables"), List.of("customers"))
                        .setAttribute("agentid.sql.statement_count", 1L)
                        .startSpan();
                drop.addEvent("agentid.blocked", Attributes.of(AttributeKey.stringKey("agentid.rule.id"), "no-ddl"));
                drop.setStatus(StatusCode.ERROR, "blocked by rule 'no-ddl': agents may not change the schema");
                drop.end();
                select = tracer.spanBuilder("SELECT orders").setSpanKind(SpanKind.CLIENT)
                        .setAttribute("db.system.name", "h2")
                        .setAttribute("db.query.text", "SELECT id FROM orders WHERE customer_id = ?")
                        .setAttribute("db.operation.name", "SELECT")
                        .setAttribute("db.collection.name", "orders")
                        .setAttribute("db.operation.batch.size", 3L)
                        .setAttribute("agentid.agent.id", agent)
                        .setAttribute("agentid.kind", "sql")
                        .setAttribute("agentid.decision", "allow")
                        .setAttribute("agentid.rule.id", "default")
                        .setAttribute("agentid.mode", "enforce")
                        .startSpan();
                select.end();
            } finally {
                turn.end();
            }
            CompletableResultCode flushed = provider.forceFlush().join(30, TimeUnit.SECONDS);
            assertThat(flushed.isDone()).as("forceFlush finished").isTrue();
            assertThat(flushed.isSuccess()).as("forceFlush succeeded").isTrue();
            return new Sent(turn.getSpanContext().getTraceId(), turn.getSpanContext().getSpanId(),
                    drop.getSpanContext().getSpanId(), select.getSpanContext().getSpanId());
        } finally {
            provider.shutdown().join(30, TimeUnit.SECONDS);
        }
    }

    private static Sent send(Sender sender, String agent) throws Exception {
        switch (sender) {
            case HTTP_PROTOBUF, HTTP_PROTOBUF_GZIP -> {
                Recording r = new Recording(OtlpHttpSpanExporter.builder()
                        .setEndpoint(collector.tracesUrl())
                        .setCompression(sender == Sender.HTTP_PROTOBUF_GZIP ? "gzip" : "none")
                        .setTimeout(Duration.ofSeconds(20))
                        .build());
                Sent s = spans(r, agent);
                assertAllSucceeded(r);
                return s;
            }
            case GRPC, GRPC_GZIP -> {
                Recording r = new Recording(OtlpGrpcSpanExporter.builder()
                        .setEndpoint("http://127.0.0.1:" + collector.grpcPort())
                        .setCompression(sender == Sender.GRPC_GZIP ? "gzip" : "none")
                        .setTimeout(Duration.ofSeconds(20))
                        .build());
                Sent s = spans(r, agent);
                assertAllSucceeded(r);
                return s;
            }
            default -> {
                Collecting memory = new Collecting();
                Sent s = spans(memory, agent);
                List<SpanData> finished = memory.spans;
                assertThat(finished).hasSize(3);
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                TraceRequestMarshaler.create(finished).writeJsonTo(out);
                byte[] json = out.toByteArray();
                Http.Response resp = sender == Sender.HTTP_JSON_GZIP
                        ? Http.post(collector.tracesUrl(), "application/json", Http.gzip(json), "Content-Encoding", "gzip")
                        : Http.post(collector.tracesUrl(), "application/json", json);
                assertThat(resp.status()).as(resp + "\n" + collector.describe()).isEqualTo(200);
                assertThat(resp.header("Content-Type")).as(resp.toString()).startsWith("application/json");
                // nothing rejected: no partialSuccess, or one that rejected nothing
                assertThat(resp.json().path("partialSuccess").path("rejectedSpans").asLong(0)).as(resp.toString()).isZero();
                return s;
            }
        }
    }

    private static void assertAllSucceeded(Recording r) {
        assertThat(r.results).as("exports made").isNotEmpty();
        for (CompletableResultCode c : r.results) {
            c.join(30, TimeUnit.SECONDS);
            assertThat(c.isSuccess()).as("export result " + c + "; failure: " + c.getFailureThrowable()
                    + "\n" + collector.describe()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Sender.class)
    void sdkSpansAreStoredAndQueryable(Sender sender) throws Exception {
        String agent = "senders-" + sender.name().toLowerCase().replace('_', '-') + "-" + UUID.randomUUID();
        Sent sent = send(sender, agent);

        String url = collector.api() + "/api/calls?agent=" + agent + "&limit=100";
        JsonNode calls = Http.pollJson(url, n -> n.path("count").asInt() >= 3, Duration.ofSeconds(20));
        String ctx = url + "\n" + calls.toPrettyString() + "\n" + collector.describe();
        assertThat(calls.path("count").asInt()).as(ctx).isEqualTo(3);
        Map<String, JsonNode> bySpan = new HashMap<>();
        for (JsonNode c : calls.path("calls")) {
            assertThat(c.path("traceId").asText()).as(ctx).isEqualTo(sent.traceId());
            assertThat(c.path("agent").asText()).as(ctx).isEqualTo(agent);
            assertThat(c.path("service").asText()).as(ctx).isEqualTo(agent);
            bySpan.put(c.path("spanId").asText(), c);
        }
        assertThat(bySpan.keySet()).as(ctx).containsExactlyInAnyOrder(sent.turn(), sent.drop(), sent.select());

        JsonNode drop = bySpan.get(sent.drop());
        assertThat(drop.path("kind").asText()).as(ctx).isEqualTo("sql");
        assertThat(drop.path("operation").asText()).as(ctx).isEqualTo("DROP");
        assertThat(drop.path("statement").asText()).as(ctx).isEqualTo("DROP TABLE customers");
        assertThat(drop.path("targets")).as(ctx).hasSize(1);
        assertThat(drop.path("targets").get(0).asText()).as(ctx).isEqualTo("customers");
        assertThat(drop.path("decision").asText()).as(ctx).isEqualTo("deny");
        assertThat(drop.path("blocked").asBoolean()).as(ctx).isTrue();
        assertThat(drop.path("ruleId").asText()).as(ctx).isEqualTo("no-ddl");
        assertThat(drop.path("reason").asText()).as(ctx).isEqualTo("agents may not change the schema");
        assertThat(drop.path("mode").asText()).as(ctx).isEqualTo("enforce");
        assertThat(drop.path("policyVersion").asText()).as(ctx).isEqualTo("sha256:0123456789abcdef");
        assertThat(drop.path("name").asText()).as(ctx).isEqualTo("DROP customers");
        assertThat(drop.path("durationNanos").asLong(-1)).as(ctx).isGreaterThanOrEqualTo(0);

        JsonNode select = bySpan.get(sent.select());
        assertThat(select.path("decision").asText()).as(ctx).isEqualTo("allow");
        assertThat(select.path("blocked").asBoolean()).as(ctx).isFalse();
        assertThat(select.path("ruleId").asText()).as(ctx).isEqualTo("default");
        assertThat(select.path("operation").asText()).as(ctx).isEqualTo("SELECT");
        assertThat(select.path("targets").toString()).as(ctx).isEqualTo("[\"orders\"]");

        JsonNode turn = bySpan.get(sent.turn());
        assertThat(turn.path("decision").asText()).as(ctx).isEqualTo("none");
        assertThat(turn.path("blocked").asBoolean()).as(ctx).isFalse();
        assertThat(turn.path("name").asText()).as(ctx).isEqualTo("agent.turn");

        // the filters see them too
        JsonNode denied = Http.getJson(collector.api() + "/api/calls?agent=" + agent + "&decision=deny");
        assertThat(denied.path("count").asInt()).as(denied.toPrettyString()).isEqualTo(1);
        assertThat(denied.path("calls").get(0).path("spanId").asText()).isEqualTo(sent.drop());
        JsonNode byRule = Http.getJson(collector.api() + "/api/calls?agent=" + agent + "&rule=no-ddl&kind=sql");
        assertThat(byRule.path("count").asInt()).as(byRule.toPrettyString()).isEqualTo(1);

        // the trace: one root, two children under it
        JsonNode trace = Http.getJson(collector.api() + "/api/traces/" + sent.traceId());
        String tctx = trace.toPrettyString();
        assertThat(trace.path("traceId").asText()).as(tctx).isEqualTo(sent.traceId());
        assertThat(trace.path("spans")).as(tctx).hasSize(3);
        Map<String, JsonNode> spans = new HashMap<>();
        trace.path("spans").forEach(s -> spans.put(s.path("spanId").asText(), s));
        assertThat(spans.keySet()).as(tctx).containsExactlyInAnyOrder(sent.turn(), sent.drop(), sent.select());
        assertThat(spans.get(sent.turn()).path("parentSpanId").asText()).as(tctx).isEmpty();
        assertThat(spans.get(sent.turn()).path("kind").asText()).as(tctx).isEqualTo("internal");
        assertThat(spans.get(sent.drop()).path("parentSpanId").asText()).as(tctx).isEqualTo(sent.turn());
        assertThat(spans.get(sent.select()).path("parentSpanId").asText()).as(tctx).isEqualTo(sent.turn());
        JsonNode dropSpan = spans.get(sent.drop());
        assertThat(dropSpan.path("kind").asText()).as(tctx).isEqualTo("client");
        assertThat(dropSpan.path("scope").asText()).as(tctx).isEqualTo(SCOPE);
        assertThat(dropSpan.path("status").path("code").asText()).as(tctx).isEqualTo("error");
        assertThat(dropSpan.path("status").path("message").asText()).as(tctx)
                .isEqualTo("blocked by rule 'no-ddl': agents may not change the schema");
        assertThat(dropSpan.path("attributes").path("db.query.text").asText()).as(tctx).isEqualTo("DROP TABLE customers");
        assertThat(dropSpan.path("attributes").path("agentid.sql.tables").toString()).as(tctx).isEqualTo("[\"customers\"]");
        assertThat(dropSpan.path("attributes").path("agentid.sql.statement_count").isIntegralNumber()).as(tctx).isTrue();
        assertThat(dropSpan.path("attributes").path("agentid.sql.statement_count").asLong()).as(tctx).isEqualTo(1);
        assertThat(dropSpan.path("events")).as(tctx).hasSize(1);
        assertThat(dropSpan.path("events").get(0).path("name").asText()).as(tctx).isEqualTo("agentid.blocked");
        assertThat(dropSpan.path("events").get(0).path("attributes").path("agentid.rule.id").asText()).as(tctx)
                .isEqualTo("no-ddl");
        assertThat(dropSpan.path("resource").path("service.name").asText()).as(tctx).isEqualTo(agent);
        assertThat(dropSpan.path("resource").path("telemetry.sdk.language").asText()).as(tctx).isEqualTo("java");
        assertThat(dropSpan.path("endTimeUnixNano").asLong()).as(tctx)
                .isGreaterThanOrEqualTo(dropSpan.path("startTimeUnixNano").asLong());
        assertThat(spans.get(sent.select()).path("attributes").path("db.operation.batch.size").asLong()).as(tctx)
                .isEqualTo(3);
        List<String> names = new ArrayList<>();
        trace.path("spans").forEach(s -> names.add(s.path("name").asText()));
        assertThat(names).containsExactlyInAnyOrder("agent.turn", "DROP customers", "SELECT orders");
    }
}
