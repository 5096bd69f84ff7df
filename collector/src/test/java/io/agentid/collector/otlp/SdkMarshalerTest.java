package io.agentid.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.collector.model.SpanRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.exporter.internal.otlp.traces.TraceRequestMarshaler;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayOutputStream;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Decodes what the OpenTelemetry Java SDK's own OTLP marshaler writes, in both encodings. */
class SdkMarshalerTest {

    static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
    static final String SPAN = "00f067aa0ba902b7";
    static final String PARENT = "53995c3f42cd8ad8";

    static List<SpanData> spans() {
        Resource resource = Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "billing-agent",
                AttributeKey.stringKey("agentid.agent.id"), "billing-agent-7"));
        SpanData denied = TestSpanData.builder()
                .setSpanContext(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(), TraceState.getDefault()))
                .setParentSpanContext(SpanContext.create(TRACE, PARENT, TraceFlags.getSampled(), TraceState.getDefault()))
                .setResource(resource)
                .setInstrumentationScopeInfo(InstrumentationScopeInfo.builder("io.agentid.jdbc").setVersion("0.1.0").build())
                .setName("SELECT billing").setKind(SpanKind.CLIENT)
                .setStartEpochNanos(1_718_000_000_000_000_123L).setEndEpochNanos(1_718_000_000_250_000_456L)
                .setHasEnded(true)
                .setAttributes(Attributes.builder()
                        .put("agentid.kind", "sql").put("agentid.decision", "deny")
                        .put("db.query.text", "SELECT email FROM customers")
                        .put(AttributeKey.stringArrayKey("agentid.sql.tables"), List.of("customers"))
                        .put("agentid.sql.statement_count", 1L).put("agentid.cost.estimate_usd", 0.25)
                        .put("agentid.blocked", true)
                        .put(AttributeKey.longArrayKey("ls"), List.of(1L, 2L))
                        .put(AttributeKey.booleanArrayKey("bs"), List.of(true, false))
                        .put(AttributeKey.doubleArrayKey("ds"), List.of(0.5)).build())
                .setEvents(List.of(EventData.create(1_718_000_000_100_000_000L, "agentid.blocked",
                        Attributes.of(AttributeKey.stringKey("agentid.rule.id"), "no-pii-export"))))
                .setTotalRecordedEvents(1)
                .setStatus(StatusData.create(StatusCode.ERROR, "blocked by agentid"))
                .build();
        SpanData root = TestSpanData.builder()
                .setSpanContext(SpanContext.create(TRACE, PARENT, TraceFlags.getSampled(), TraceState.getDefault()))
                .setResource(resource)
                .setInstrumentationScopeInfo(InstrumentationScopeInfo.create("agent.app"))
                .setName("plan").setKind(SpanKind.INTERNAL)
                .setStartEpochNanos(1_718_000_000_000_000_000L).setEndEpochNanos(1_718_000_001_000_000_000L)
                .setHasEnded(true).setStatus(StatusData.ok()).build();
        return List.of(denied, root);
    }

    static void assertDecoded(Decoded d) {
        assertThat(d.rejected()).isZero();
        assertThat(d.spans()).hasSize(2);
        SpanRecord s = d.spans().stream().filter(r -> r.spanId().equals(SPAN)).findFirst().orElseThrow();
        assertThat(s.traceId()).isEqualTo(TRACE);
        assertThat(s.parentSpanId()).isEqualTo(PARENT);
        assertThat(s.name()).isEqualTo("SELECT billing");
        assertThat(s.kind()).isEqualTo(3);
        assertThat(s.startEpochNanos()).isEqualTo(1_718_000_000_000_000_123L);
        assertThat(s.endEpochNanos()).isEqualTo(1_718_000_000_250_000_456L);
        assertThat(s.statusCode()).isEqualTo(2);
        assertThat(s.statusMessage()).isEqualTo("blocked by agentid");
        assertThat(s.resourceAttributes()).containsEntry("service.name", "billing-agent")
                .containsEntry("agentid.agent.id", "billing-agent-7");
        assertThat(s.scopeName()).isEqualTo("io.agentid.jdbc");
        assertThat(s.attributes()).containsOnly(Map.entry("agentid.kind", "sql"), Map.entry("agentid.decision", "deny"),
                Map.entry("db.query.text", "SELECT email FROM customers"),
                Map.entry("agentid.sql.tables", List.of("customers")), Map.entry("agentid.sql.statement_count", 1L),
                Map.entry("agentid.cost.estimate_usd", 0.25), Map.entry("agentid.blocked", true),
                Map.entry("ls", List.of(1L, 2L)), Map.entry("bs", List.of(true, false)), Map.entry("ds", List.of(0.5)));
        assertThat(s.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("agentid.blocked");
            assertThat(e.epochNanos()).isEqualTo(1_718_000_000_100_000_000L);
            assertThat(e.attributes()).containsExactly(Map.entry("agentid.rule.id", "no-pii-export"));
        });
        assertThat(s.call().decision()).isEqualTo("deny");
        assertThat(s.call().agent()).isEqualTo("billing-agent-7");
        assertThat(s.call().blocked()).isTrue();
        SpanRecord root = d.spans().stream().filter(r -> r.spanId().equals(PARENT)).findFirst().orElseThrow();
        assertThat(root.parentSpanId()).isEmpty();
        assertThat(root.kind()).isEqualTo(1);
        assertThat(root.statusCode()).isEqualTo(1);
        assertThat(root.scopeName()).isEqualTo("agent.app");
        assertThat(root.attributes()).isEmpty();
    }

    @Test
    void decodesTheSdkProtobuf() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans()).writeBinaryTo(out);
        assertDecoded(OtlpCodec.decodeProtobuf(out.toByteArray()));
    }

    @Test
    void decodesTheSdkJson() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TraceRequestMarshaler.create(spans()).writeJsonTo(out);
        assertThat(out.toString()).contains("\"traceId\":\"" + TRACE + "\"");
        assertDecoded(OtlpCodec.decodeJson(out.toByteArray()));
    }
}
