package io.agentid.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.UnknownFieldSet;
import io.agentid.collector.model.SpanRecord;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.ArrayValue;
import io.opentelemetry.proto.common.v1.InstrumentationScope;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.common.v1.KeyValueList;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProtobufDecodeTest {

    static final byte[] TRACE = bytes(16, 0xa0);
    static final byte[] SPAN = bytes(8, 0xb0);
    static final byte[] PARENT = bytes(8, 0xc0);

    static byte[] bytes(int n, int base) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (base + i);
        }
        return b;
    }

    static KeyValue kv(String k, AnyValue v) {
        return KeyValue.newBuilder().setKey(k).setValue(v).build();
    }

    static AnyValue str(String s) {
        return AnyValue.newBuilder().setStringValue(s).build();
    }

    static Span.Builder span(byte[] trace, byte[] span) {
        return Span.newBuilder().setTraceId(ByteString.copyFrom(trace)).setSpanId(ByteString.copyFrom(span))
                .setName("q").setStartTimeUnixNano(10).setEndTimeUnixNano(20);
    }

    static ExportTraceServiceRequest request(Span.Builder... spans) {
        ScopeSpans.Builder ss = ScopeSpans.newBuilder().setScope(InstrumentationScope.newBuilder().setName("sc"));
        for (Span.Builder s : spans) {
            ss.addSpans(s);
        }
        return ExportTraceServiceRequest.newBuilder().addResourceSpans(ResourceSpans.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(kv("service.name", str("svc")))).addScopeSpans(ss))
                .build();
    }

    @Test
    void flattensResourceScopeAndSpanFields() throws Exception {
        Span.Builder s = span(TRACE, SPAN).setParentSpanId(ByteString.copyFrom(PARENT)).setName("SELECT orders")
                .setKind(Span.SpanKind.SPAN_KIND_CLIENT).setStartTimeUnixNano(1_718_000_000_000_000_001L)
                .setEndTimeUnixNano(1_718_000_000_500_000_001L)
                .setStatus(Status.newBuilder().setCode(Status.StatusCode.STATUS_CODE_ERROR).setMessage("denied"))
                .addAttributes(kv("s", str("v")))
                .addAttributes(kv("b", AnyValue.newBuilder().setBoolValue(true).build()))
                .addAttributes(kv("i", AnyValue.newBuilder().setIntValue(-7).build()))
                .addAttributes(kv("d", AnyValue.newBuilder().setDoubleValue(2.5).build()))
                .addAttributes(kv("y", AnyValue.newBuilder().setBytesValue(ByteString.copyFrom(new byte[] {1, 2})).build()))
                .addAttributes(kv("a", AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder()
                        .addValues(str("x")).addValues(AnyValue.newBuilder().setIntValue(3))).build()))
                .addAttributes(kv("m", AnyValue.newBuilder().setKvlistValue(KeyValueList.newBuilder()
                        .addValues(kv("k", str("w")))).build()))
                .addAttributes(kv("unset", AnyValue.getDefaultInstance()))
                .addEvents(Span.Event.newBuilder().setName("agentid.blocked").setTimeUnixNano(99)
                        .addAttributes(kv("agentid.rule.id", str("r1"))));
        Decoded d = OtlpCodec.decodeProtobuf(request(s).toByteArray());
        assertThat(d.rejected()).isZero();
        SpanRecord r = d.spans().get(0);
        assertThat(r.traceId()).isEqualTo("a0a1a2a3a4a5a6a7a8a9aaabacadaeaf");
        assertThat(r.spanId()).isEqualTo("b0b1b2b3b4b5b6b7");
        assertThat(r.parentSpanId()).isEqualTo("c0c1c2c3c4c5c6c7");
        assertThat(r.name()).isEqualTo("SELECT orders");
        assertThat(r.kind()).isEqualTo(3);
        assertThat(r.startEpochNanos()).isEqualTo(1_718_000_000_000_000_001L);
        assertThat(r.endEpochNanos()).isEqualTo(1_718_000_000_500_000_001L);
        assertThat(r.statusCode()).isEqualTo(2);
        assertThat(r.statusMessage()).isEqualTo("denied");
        assertThat(r.resourceAttributes()).containsExactly(Map.entry("service.name", "svc"));
        assertThat(r.serviceName()).isEqualTo("svc");
        assertThat(r.scopeName()).isEqualTo("sc");
        assertThat(r.attributes()).containsOnlyKeys("s", "b", "i", "d", "y", "a", "m");
        assertThat(r.attributes()).contains(Map.entry("s", "v"), Map.entry("b", true), Map.entry("i", -7L),
                Map.entry("d", 2.5), Map.entry("a", List.of("x", 3L)), Map.entry("m", Map.of("k", "w")));
        assertThat((byte[]) r.attributes().get("y")).containsExactly(1, 2);
        assertThat(r.events()).singleElement().satisfies(e -> {
            assertThat(e.name()).isEqualTo("agentid.blocked");
            assertThat(e.epochNanos()).isEqualTo(99);
            assertThat(e.attributes()).containsExactly(Map.entry("agentid.rule.id", "r1"));
        });
        Records.assertSame(d.spans(), ProtoMessageDecoder.decode(request(s).toByteArray(), 0,
                request(s).getSerializedSize()).spans());
    }

    /** A length-delimited field, as bytes. */
    static byte[] field(int number, byte[] payload) {
        try {
            ByteArrayOutputStream b = new ByteArrayOutputStream(payload.length + 8);
            CodedOutputStream o = CodedOutputStream.newInstance(b);
            o.writeByteArray(number, payload);
            o.flush();
            return b.toByteArray();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    /** A request holding one span given as bytes. */
    static byte[] wrap(byte[] span) {
        return field(1, field(2, field(2, span)));
    }

    @Test
    void emptyRequestAndEmptyBodyDecodeToNothing() throws Exception {
        assertThat(OtlpCodec.decodeProtobuf(new byte[0])).isEqualTo(new Decoded(List.of(), 0, ""));
        Decoded d = OtlpCodec.decodeProtobuf(ExportTraceServiceRequest.newBuilder()
                .addResourceSpans(ResourceSpans.newBuilder().addScopeSpans(ScopeSpans.getDefaultInstance())).build()
                .toByteArray());
        assertThat(d.spans()).isEmpty();
        assertThat(d.rejected()).isZero();
    }

    @Test
    void badIdsRejectOnlyThoseSpans() throws Exception {
        Decoded d = OtlpCodec.decodeProtobuf(request(
                span(TRACE, SPAN),
                span(bytes(15, 1), SPAN),
                span(new byte[16], SPAN),
                span(TRACE, new byte[8]),
                span(TRACE, bytes(9, 1)),
                span(TRACE, SPAN).setParentSpanId(ByteString.copyFrom(bytes(4, 1))),
                span(TRACE, SPAN).clearTraceId(),
                span(TRACE, SPAN).setParentSpanId(ByteString.copyFrom(new byte[8]))).toByteArray());
        assertThat(d.spans()).hasSize(2);
        assertThat(d.spans().get(1).parentSpanId()).as("all-zero parent reads as a root").isEmpty();
        assertThat(d.rejected()).isEqualTo(6);
        assertThat(d.rejectedReason()).isEqualTo("6 spans rejected: 3 invalid trace id (must be 16 bytes, not all zero); "
                + "2 invalid span id (must be 8 bytes, not all zero); 1 invalid parent span id (must be empty or 8 bytes)");
    }

    @Test
    void oneKindOfRejectionNamesItWithoutCounts() throws Exception {
        Decoded d = OtlpCodec.decodeProtobuf(request(span(new byte[16], SPAN), span(new byte[16], SPAN),
                span(TRACE, SPAN)).toByteArray());
        assertThat(d.spans()).hasSize(1);
        assertThat(d.rejected()).isEqualTo(2);
        assertThat(d.rejectedReason()).isEqualTo("2 spans rejected: invalid trace id (must be 16 bytes, not all zero)");
    }

    @Test
    void truncatedBodyIsAnException() {
        byte[] body = OtlpCodec.encodeRequestProtobuf(AgentidSpans.sql(3, 1));
        for (int cut : new int[] {1, 7, body.length / 2, body.length - 1}) {
            assertThatThrownBy(() -> OtlpCodec.decodeProtobuf(Arrays.copyOf(body, cut)))
                    .as("cut at " + cut).isInstanceOf(OtlpDecodeException.class)
                    .hasMessageStartingWith("body is not a valid OTLP ExportTraceServiceRequest protobuf: ");
        }
    }

    @Test
    void garbageIsAnException() {
        assertThatThrownBy(() -> OtlpCodec.decodeProtobuf("{\"resourceSpans\":[]}".getBytes()))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessageStartingWith("body is not a valid OTLP ExportTraceServiceRequest protobuf: ");
        assertThatThrownBy(() -> OtlpCodec.decodeProtobuf(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff,
            (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff}))
                .isInstanceOf(OtlpDecodeException.class);
        assertThatThrownBy(() -> OtlpCodec.decodeProtobuf(new byte[] {0}))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("tag");
    }

    @Test
    void invalidUtf8InAStringIsAnException() {
        byte[] body = wrap(concat(span(TRACE, SPAN).build().toByteArray(), field(5, new byte[] {(byte) 0xc3, 0x28})));
        assertThatThrownBy(() -> OtlpCodec.decodeProtobuf(body))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() throws Exception {
        UnknownFieldSet unknown = UnknownFieldSet.newBuilder()
                .addField(99, UnknownFieldSet.Field.newBuilder().addVarint(5).addLengthDelimited(ByteString.copyFromUtf8("x"))
                        .addFixed64(1).addFixed32(2).build())
                .build();
        Span.Builder s = span(TRACE, SPAN).setUnknownFields(unknown)
                .addAttributes(KeyValue.newBuilder().setKey("k")
                        .setValue(AnyValue.newBuilder().setStringValue("v").setUnknownFields(unknown))
                        .setUnknownFields(unknown))
                .setStatus(Status.newBuilder().setCodeValue(1).setUnknownFields(unknown));
        ExportTraceServiceRequest req = request(s).toBuilder().setUnknownFields(unknown).build();
        Decoded d = OtlpCodec.decodeProtobuf(req.toByteArray());
        assertThat(d.spans()).singleElement().satisfies(r -> {
            assertThat(r.attributes()).containsExactly(Map.entry("k", "v"));
            assertThat(r.statusCode()).isEqualTo(1);
        });
    }

    @Test
    void unknownEnumNumbersAreKept() throws Exception {
        Decoded d = OtlpCodec.decodeProtobuf(request(span(TRACE, SPAN).setKindValue(9)
                .setStatus(Status.newBuilder().setCodeValue(7))).toByteArray());
        assertThat(d.spans().get(0).kind()).isEqualTo(9);
        assertThat(d.spans().get(0).statusCode()).isEqualTo(7);
    }

    @Test
    void resourceAndScopeAfterTheirSpansStillApply() throws Exception {
        // field order on the wire is free: write scope_spans (2) before resource (1), spans (2) before scope (1)
        ByteArrayOutputStream scopeSpans = new ByteArrayOutputStream();
        CodedOutputStream o = CodedOutputStream.newInstance(scopeSpans);
        o.writeMessage(2, span(TRACE, SPAN).build());
        o.writeMessage(1, InstrumentationScope.newBuilder().setName("late.scope").build());
        o.flush();
        ByteArrayOutputStream rs = new ByteArrayOutputStream();
        o = CodedOutputStream.newInstance(rs);
        o.writeByteArray(2, scopeSpans.toByteArray());
        o.writeMessage(1, Resource.newBuilder().addAttributes(kv("service.name", str("late"))).build());
        o.flush();
        ByteArrayOutputStream req = new ByteArrayOutputStream();
        o = CodedOutputStream.newInstance(req);
        o.writeByteArray(1, rs.toByteArray());
        o.flush();
        SpanRecord r = OtlpCodec.decodeProtobuf(req.toByteArray()).spans().get(0);
        assertThat(r.scopeName()).isEqualTo("late.scope");
        assertThat(r.serviceName()).isEqualTo("late");
        Records.assertSame(List.of(r), ProtoMessageDecoder.decode(req.toByteArray(), 0, req.size()).spans());
    }

    static AnyValue nested(int depth) {
        AnyValue v = str("leaf");
        for (int i = 0; i < depth; i++) {
            v = AnyValue.newBuilder().setArrayValue(ArrayValue.newBuilder().addValues(v)).build();
        }
        return v;
    }

    @Test
    void nestingIsLimitedLikeTheGeneratedParser() throws Exception {
        byte[] ok = request(span(TRACE, SPAN).addAttributes(kv("n", nested(40)))).toByteArray();
        Object v = OtlpCodec.decodeProtobuf(ok).spans().get(0).attributes().get("n");
        for (int i = 0; i < 40; i++) {
            assertThat(v).isInstanceOf(List.class);
            v = ((List<?>) v).get(0);
        }
        assertThat(v).isEqualTo("leaf");

        // built as bytes: the generated serialiser would itself overflow the stack at this depth
        byte[] value = str("leaf").toByteArray();
        for (int i = 0; i < 5000; i++) {
            value = field(5, field(1, value));
        }
        byte[] deep = wrap(concat(span(TRACE, SPAN).build().toByteArray(), field(9, concat(field(1, "n".getBytes()),
                field(2, value)))));
        assertThatThrownBy(() -> OtlpCodec.decodeProtobuf(deep)).isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("nested too deeply");
        assertThatThrownBy(() -> ProtoMessageDecoder.decode(deep, 0, deep.length))
                .isInstanceOf(OtlpDecodeException.class);
    }

    @Test
    void hugeArraysDecode() throws Exception {
        ArrayValue.Builder a = ArrayValue.newBuilder();
        for (int i = 0; i < 200_000; i++) {
            a.addValues(AnyValue.newBuilder().setIntValue(i));
        }
        byte[] body = request(span(TRACE, SPAN).addAttributes(kv("a", AnyValue.newBuilder().setArrayValue(a).build())))
                .toByteArray();
        List<?> l = (List<?>) OtlpCodec.decodeProtobuf(body).spans().get(0).attributes().get("a");
        assertThat(l).hasSize(200_000);
        assertThat(l.get(199_999)).isEqualTo(199_999L);
    }

    @Test
    void offsetAndLengthAreChecked() {
        assertThatThrownBy(() -> OtlpCodec.decodeProtobuf(new byte[4], 2, 3))
                .isInstanceOf(IndexOutOfBoundsException.class);
    }
}
