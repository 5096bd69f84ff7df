package io.agentid.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RoundTripTest {

    static List<SpanRecord> mixed() {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("inner", "x");
        nested.put("list", List.of(1L, "two", 3.5, true));
        nested.put("deeper", Map.of("k", List.of(Map.of("z", new byte[] {9}))));
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("s", "text with \"quotes\" and ünïcödé ✓");
        all.put("b", true);
        all.put("i", -42L);
        all.put("big", Long.MAX_VALUE);
        all.put("min", Long.MIN_VALUE);
        all.put("d", 0.125);
        all.put("nan", Double.NaN);
        all.put("inf", Double.NEGATIVE_INFINITY);
        all.put("bytes", new byte[] {0, 1, (byte) 0xff, 0x7f});
        all.put("empty bytes", new byte[0]);
        all.put("arr", List.of("a", "b"));
        all.put("empty arr", List.of());
        all.put("kv", nested);
        all.put("", "empty key");
        Map<String, Object> resourceA = Map.of("service.name", "a");
        Map<String, Object> resourceB = Map.of("service.name", "b", "host.name", "h1");
        List<SpanRecord> l = new ArrayList<>();
        l.add(new SpanRecord("0102030405060708090a0b0c0d0e0f10", "1112131415161718", "", "root", 2, 1L,
                -1L /* fixed64 max: unsigned on the wire */, 1, "", resourceA, "scope.one", all,
                List.of(new SpanEvent("e1", 5, Map.of("ek", 1L)), new SpanEvent("", 0, Map.of()))));
        l.add(new SpanRecord("ffffffffffffffffffffffffffffffff", "0000000000000001", "1112131415161718", "child", 0,
                1_718_000_000_123_456_789L, 1_718_000_000_223_456_789L, 2, "boom", resourceA, "scope.two",
                Map.of(), List.of()));
        l.add(new SpanRecord("00000000000000000000000000000001", "8000000000000000", "", "", 5, 0, 0, 0, "",
                resourceB, "", Map.of("x", "y"), List.of()));
        l.add(new SpanRecord("0102030405060708090a0b0c0d0e0f11", "2122232425262728", "", "same group as first", 1, 7,
                8, 0, "", Map.of("service.name", "a"), "scope.one", Map.of(), List.of()));
        return l;
    }

    @Test
    void protobufRoundTripKeepsEveryField() throws Exception {
        List<SpanRecord> in = mixed();
        Decoded d = OtlpCodec.decodeProtobuf(OtlpCodec.encodeRequestProtobuf(in));
        assertThat(d.rejected()).isZero();
        assertThat(d.rejectedReason()).isEmpty();
        // grouping by (resource, scope) moves the fourth span next to the first
        Records.assertSame(d.spans(), List.of(in.get(0), in.get(3), in.get(1), in.get(2)));
    }

    @Test
    void jsonRoundTripKeepsEveryField() throws Exception {
        List<SpanRecord> in = mixed();
        Decoded d = OtlpCodec.decodeJson(OtlpCodec.encodeRequestJson(in));
        assertThat(d.rejected()).isZero();
        Records.assertSame(d.spans(), List.of(in.get(0), in.get(3), in.get(1), in.get(2)));
    }

    @Test
    void agentidSpansRoundTripThroughBothEncodings() throws Exception {
        List<SpanRecord> in = AgentidSpans.sql(200, 7);
        Records.assertSame(OtlpCodec.decodeProtobuf(OtlpCodec.encodeRequestProtobuf(in)).spans(), in);
        Records.assertSame(OtlpCodec.decodeJson(OtlpCodec.encodeRequestJson(in)).spans(), in);
        SpanRecord denied = in.stream().filter(s -> s.statusCode() == 2).findFirst().orElseThrow();
        assertThat(denied.call().blocked()).isTrue();
        assertThat(denied.call().targets()).hasSize(2);
    }

    @Test
    void wireDecoderAgreesWithTheGeneratedClasses() throws Exception {
        List<SpanRecord> in = new ArrayList<>(mixed());
        in.addAll(AgentidSpans.sql(50, 3));
        byte[] body = OtlpCodec.encodeRequestProtobuf(in);
        Decoded wire = ProtoWireDecoder.decode(body, 0, body.length);
        Decoded reference = ProtoMessageDecoder.decode(body, 0, body.length);
        assertThat(wire.spans()).hasSize(in.size());
        Records.assertSame(wire.spans(), reference.spans());
    }

    @Test
    void decodesAtAnOffsetInALargerBuffer() throws Exception {
        byte[] body = OtlpCodec.encodeRequestProtobuf(mixed());
        byte[] framed = new byte[body.length + 10];
        framed[0] = 0x55;
        System.arraycopy(body, 0, framed, 5, body.length);
        assertThat(OtlpCodec.decodeProtobuf(framed, 5, body.length).spans()).hasSize(4);
        byte[] json = OtlpCodec.encodeRequestJson(mixed());
        byte[] jframed = new byte[json.length + 6];
        jframed[0] = '[';
        System.arraycopy(json, 0, jframed, 3, json.length);
        jframed[jframed.length - 1] = ']';
        assertThat(OtlpCodec.decodeJson(jframed, 3, json.length).spans()).hasSize(4);
    }
}
