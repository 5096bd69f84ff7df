package io.agentid.it.support;

import com.google.protobuf.ByteString;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/** OTLP trace requests built with the protocol's own classes, with agentid's attributes, for the collector tests. */
public final class OtlpRequests {
    private static final SecureRandom RANDOM = new SecureRandom();

    private OtlpRequests() {}

    /** One span to send: ids as hex (what the review API answers with). */
    public record SpanSpec(String traceId, String spanId, String statement, String decision, String ruleId) {
        public static SpanSpec random(String statement, String decision, String ruleId) {
            return new SpanSpec(randomHex(16), randomHex(8), statement, decision, ruleId);
        }
    }

    public static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        do {
            RANDOM.nextBytes(b);
        } while (allZero(b));
        return HexFormat.of().formatHex(b);
    }

    private static boolean allZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    /** {@code n} allowed SELECT calls of {@code agent}, each its own trace. */
    public static List<SpanSpec> allowed(int n) {
        List<SpanSpec> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(SpanSpec.random("SELECT id FROM customers WHERE id = ?", "allow", "default"));
        }
        return out;
    }

    public static Span span(String agent, SpanSpec s) {
        long start = System.currentTimeMillis() * 1_000_000L;
        return span(agent, ByteString.fromHex(s.traceId()), ByteString.fromHex(s.spanId()), s, start);
    }

    public static Span span(String agent, ByteString traceId, ByteString spanId, SpanSpec s, long startNanos) {
        Span.Builder b = Span.newBuilder()
                .setTraceId(traceId)
                .setSpanId(spanId)
                .setName(s.statement().split(" ")[0] + " it")
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT)
                .setStartTimeUnixNano(startNanos)
                .setEndTimeUnixNano(startNanos + 250_000)
                .addAttributes(kv("agentid.agent.id", agent))
                .addAttributes(kv("agentid.kind", "sql"))
                .addAttributes(kv("agentid.decision", s.decision()))
                .addAttributes(kv("agentid.rule.id", s.ruleId()))
                .addAttributes(kv("agentid.mode", "enforce"))
                .addAttributes(kv("db.system.name", "h2"))
                .addAttributes(kv("db.query.text", s.statement()))
                .addAttributes(kv("db.operation.name", s.statement().split(" ")[0]));
        if ("deny".equals(s.decision())) {
            b.addEvents(Span.Event.newBuilder().setName("agentid.blocked").setTimeUnixNano(startNanos + 200_000));
        }
        return b.build();
    }

    public static ExportTraceServiceRequest request(String agent, List<Span> spans) {
        return ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder()
                        .setResource(Resource.newBuilder()
                                .addAttributes(kv("service.name", agent))
                                .addAttributes(kv("agentid.agent.id", agent)))
                        .addScopeSpans(ScopeSpans.newBuilder()
                                .setScope(InstrumentationScope.newBuilder().setName("io.agentid.it"))
                                .addAllSpans(spans)))
                .build();
    }

    public static byte[] protobuf(String agent, List<SpanSpec> specs) {
        List<Span> spans = new ArrayList<>();
        for (SpanSpec s : specs) {
            spans.add(span(agent, s));
        }
        return request(agent, spans).toByteArray();
    }

    public static KeyValue kv(String key, String value) {
        return KeyValue.newBuilder().setKey(key).setValue(AnyValue.newBuilder().setStringValue(value)).build();
    }

    /** {@code traceId/spanId} pairs, for comparing what was sent with what the review API lists. */
    public static List<String> ids(List<SpanSpec> specs) {
        List<String> out = new ArrayList<>();
        for (SpanSpec s : specs) {
            out.add(s.traceId() + "/" + s.spanId());
        }
        return out;
    }

}
