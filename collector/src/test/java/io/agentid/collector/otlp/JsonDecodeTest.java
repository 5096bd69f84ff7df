package io.agentid.collector.otlp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentid.collector.model.SpanRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonDecodeTest {

    static final String T = "5b8efff798038103d269b633813fc60c";
    static final String S = "eee19b7ec3c1b174";
    static final String P = "eee19b7ec3c1b173";

    static Decoded decode(String json) throws OtlpDecodeException {
        return OtlpCodec.decodeJson(json.getBytes(UTF_8));
    }

    /** A request around the given span objects; {@code '} stands for {@code "}. */
    static String request(String... spans) {
        return ("{'resourceSpans':[{'resource':{'attributes':[{'key':'service.name','value':{'stringValue':'svc'}}]},"
                + "'scopeSpans':[{'scope':{'name':'sc','version':'1'},'spans':[" + String.join(",", spans) + "]}]}]}")
                .replace('\'', '"');
    }

    static String span(String traceId, String spanId, String more) {
        return ("{'traceId':'" + traceId + "','spanId':'" + spanId + "','name':'q'" + more + "}").replace('\'', '"');
    }

    @Test
    void readsTheSpecExample() throws Exception {
        // the example from the OTLP specification's JSON section (opentelemetry-proto examples/trace.json)
        String json = """
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"my.service"}}]},
                 "scopeSpans":[{"scope":{"name":"my.library","version":"1.0.0","attributes":[{"key":"my.scope.attribute",
                 "value":{"stringValue":"some scope attribute"}}]},
                 "spans":[{"traceId":"5B8EFFF798038103D269B633813FC60C","spanId":"EEE19B7EC3C1B174",
                 "parentSpanId":"EEE19B7EC3C1B173","name":"I'm a server span","startTimeUnixNano":"1544712660000000000",
                 "endTimeUnixNano":"1544712661000000000","kind":2,"attributes":[{"key":"my.span.attr",
                 "value":{"stringValue":"some value"}}]}]}]}]}
                """;
        Decoded d = decode(json);
        assertThat(d.rejected()).isZero();
        SpanRecord r = d.spans().get(0);
        assertThat(r.traceId()).isEqualTo(T);
        assertThat(r.spanId()).isEqualTo(S);
        assertThat(r.parentSpanId()).isEqualTo(P);
        assertThat(r.kind()).isEqualTo(2);
        assertThat(r.startEpochNanos()).isEqualTo(1544712660000000000L);
        assertThat(r.endEpochNanos()).isEqualTo(1544712661000000000L);
        assertThat(r.serviceName()).isEqualTo("my.service");
        assertThat(r.scopeName()).isEqualTo("my.library");
        assertThat(r.attributes()).containsExactly(Map.entry("my.span.attr", "some value"));
    }

    @Test
    void enumsAsNumbersOrNames() throws Exception {
        Decoded d = decode(request(
                span(T, S, ",'kind':3,'status':{'code':2,'message':'m'}"),
                span(T, S, ",'kind':'SPAN_KIND_PRODUCER','status':{'code':'STATUS_CODE_OK'}"),
                span(T, S, ",'kind':'5','status':{'code':null}")));
        assertThat(d.spans()).extracting(SpanRecord::kind).containsExactly(3, 4, 5);
        assertThat(d.spans()).extracting(SpanRecord::statusCode).containsExactly(2, 1, 0);
        assertThat(d.spans().get(0).statusMessage()).isEqualTo("m");
        assertThatThrownBy(() -> decode(request(span(T, S, ",'kind':'CLIENT'"))))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("`kind`").hasMessageContaining("`CLIENT`");
    }

    @Test
    void snakeCaseKeys() throws Exception {
        String json = ("{'resource_spans':[{'scope_spans':[{'scope':{'name':'sc'},'spans':[{'trace_id':'" + T
                + "','span_id':'" + S + "','parent_span_id':'" + P + "','start_time_unix_nano':'5',"
                + "'end_time_unix_nano':6,'events':[{'time_unix_nano':'7','name':'e'}],"
                + "'attributes':[{'key':'a','value':{'int_value':'1'}},{'key':'b','value':{'string_value':'x'}},"
                + "{'key':'c','value':{'bool_value':false}},{'key':'d','value':{'double_value':1.5}},"
                + "{'key':'e','value':{'bytes_value':'AQI='}},{'key':'f','value':{'array_value':{'values':[]}}},"
                + "{'key':'g','value':{'kvlist_value':{'values':[{'key':'h','value':{'int_value':2}}]}}}]}]}]}]}")
                .replace('\'', '"');
        SpanRecord r = decode(json).spans().get(0);
        assertThat(r.parentSpanId()).isEqualTo(P);
        assertThat(r.startEpochNanos()).isEqualTo(5);
        assertThat(r.endEpochNanos()).isEqualTo(6);
        assertThat(r.events().get(0).epochNanos()).isEqualTo(7);
        assertThat(r.attributes()).contains(Map.entry("a", 1L), Map.entry("b", "x"), Map.entry("c", false),
                Map.entry("d", 1.5), Map.entry("f", List.of()), Map.entry("g", Map.of("h", 2L)));
        assertThat((byte[]) r.attributes().get("e")).containsExactly(1, 2);
    }

    @Test
    void unknownFieldsAreIgnoredAtEveryLevel() throws Exception {
        String json = ("{'future':{'a':[1,{'b':2}]},'resourceSpans':[{'x':1,'resource':{'entityRefs':[{'type':'t'}],"
                + "'attributes':[{'key':'k','value':{'stringValue':'v','what':[[]]},'keyStrindex':3}],'y':null},"
                + "'scopeSpans':[{'schemaUrl':'u','scope':{'name':'sc','z':{}},'spans':[{'traceId':'" + T
                + "','spanId':'" + S + "','links':[{'traceId':'zz'}],'flags':257,'traceState':'a=b','newField':"
                + "{'deep':[{'deeper':[true]}]},'status':{'code':1,'deprecated':9},'events':[{'name':'e','q':[1]}]}]}]}]}")
                .replace('\'', '"');
        Decoded d = decode(json);
        SpanRecord r = d.spans().get(0);
        assertThat(r.resourceAttributes()).containsExactly(Map.entry("k", "v"));
        assertThat(r.scopeName()).isEqualTo("sc");
        assertThat(r.statusCode()).isEqualTo(1);
        assertThat(r.events()).singleElement().extracting(e -> e.name()).isEqualTo("e");
    }

    @Test
    void int64AsStringOrNumber() throws Exception {
        Decoded d = decode(request(
                span(T, S, ",'startTimeUnixNano':1544712660000000000,'endTimeUnixNano':'18446744073709551615',"
                        + "'attributes':[{'key':'n','value':{'intValue':9007199254740993}},"
                        + "{'key':'s','value':{'intValue':'-9223372036854775808'}},"
                        + "{'key':'d','value':{'doubleValue':'NaN'}},{'key':'e','value':{'doubleValue':3}}]")));
        SpanRecord r = d.spans().get(0);
        assertThat(r.startEpochNanos()).isEqualTo(1544712660000000000L);
        assertThat(r.endEpochNanos()).as("fixed64 max, held as unsigned").isEqualTo(-1L);
        assertThat(r.attributes()).contains(Map.entry("n", 9007199254740993L), Map.entry("s", Long.MIN_VALUE),
                Map.entry("d", Double.NaN), Map.entry("e", 3.0));
        assertThatThrownBy(() -> decode(request(span(T, S, ",'startTimeUnixNano':'soon'"))))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("`startTimeUnixNano`");
        assertThatThrownBy(() -> decode(request(span(T, S, ",'attributes':[{'key':'n','value':{'intValue':1.5}}]"))))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("`intValue`");
    }

    @Test
    void nullsReadAsDefaults() throws Exception {
        SpanRecord r = decode(request(span(T, S, ",'parentSpanId':null,'kind':null,'attributes':null,'events':null,"
                + "'status':null,'startTimeUnixNano':null"))).spans().get(0);
        assertThat(r.parentSpanId()).isEmpty();
        assertThat(r.kind()).isZero();
        assertThat(r.attributes()).isEmpty();
        assertThat(r.events()).isEmpty();
        assertThat(r.startEpochNanos()).isZero();
    }

    @Test
    void emptyRequests() throws Exception {
        assertThat(decode("{}")).isEqualTo(new Decoded(List.of(), 0, ""));
        assertThat(decode("{\"resourceSpans\":[]}").spans()).isEmpty();
        assertThat(decode(" {\"resourceSpans\":[{}, {\"scopeSpans\":[{}]}]} \n").spans()).isEmpty();
    }

    @Test
    void badIdsRejectOnlyThoseSpans() throws Exception {
        Decoded d = decode(request(
                span(T, S, ""),
                span("5b8efff798038103d269b633813fc60", S, ""),
                span("00000000000000000000000000000000", S, ""),
                span("W46P95gDgQPSabYzgT/GDA==", S, ""), // base64 (what protobuf's JsonFormat writes) is not hex
                span(T, "0000000000000000", ""),
                span(T, "eee19b7ec3c1b17g", ""),
                span(T, S, ",'parentSpanId':'abc'"),
                span(T, S, ",'parentSpanId':'0000000000000000'")));
        assertThat(d.spans()).hasSize(2);
        assertThat(d.spans().get(1).parentSpanId()).isEmpty();
        assertThat(d.rejected()).isEqualTo(6);
        assertThat(d.rejectedReason()).isEqualTo("6 spans rejected: 3 invalid trace id (must be 32 hex digits, not all zero); "
                + "2 invalid span id (must be 16 hex digits, not all zero); 1 invalid parent span id (must be empty or 16 hex digits)");
        Decoded missing = decode(request("{\"spanId\":\"" + S + "\"}"));
        assertThat(missing.rejected()).isEqualTo(1);
        assertThat(missing.rejectedReason()).isEqualTo("1 span rejected: invalid trace id (must be 32 hex digits, not all zero)");
    }

    @Test
    void spansBeforeTheirResourceAndScopeGetThem() throws Exception {
        String json = ("{'resourceSpans':[{'scopeSpans':[{'spans':[" + span(T, S, "") + "],'scope':{'name':'late'}}],"
                + "'resource':{'attributes':[{'key':'service.name','value':{'stringValue':'svc'}}]}}]}").replace('\'', '"');
        SpanRecord r = decode(json).spans().get(0);
        assertThat(r.scopeName()).isEqualTo("late");
        assertThat(r.serviceName()).isEqualTo("svc");
    }

    @Test
    void malformedJsonIsAnExceptionWithItsPosition() {
        assertThatThrownBy(() -> decode("{\"resourceSpans\":[{]}"))
                .isInstanceOf(OtlpDecodeException.class).hasMessageStartingWith("body is not valid JSON: ")
                .hasMessageContaining("line 1, column");
        assertThatThrownBy(() -> decode("{\"resourceSpans\":["))
                .isInstanceOf(OtlpDecodeException.class).hasMessageStartingWith("body is not valid JSON: ");
        assertThatThrownBy(() -> decode("")).isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> decode("{} {}")).isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("after the request object");
        assertThatThrownBy(() -> decode("\u0000\u0001garbage")).isInstanceOf(OtlpDecodeException.class);
    }

    @Test
    void validJsonOfTheWrongShapeIsAnExceptionNamingTheField() {
        assertThatThrownBy(() -> decode("{\"resourceSpans\":\"lots\"}"))
                .isInstanceOf(OtlpDecodeException.class)
                .hasMessage("body is not a valid OTLP/JSON ExportTraceServiceRequest: `resourceSpans` must be an array,"
                        + " not the string `lots` (line 1, column 18)");
        assertThatThrownBy(() -> decode("[]")).isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("must be a JSON object");
        assertThatThrownBy(() -> decode(request("[1]"))).isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("`spans[]` must be an object, not an array");
        assertThatThrownBy(() -> decode(request(span(T, S, ",'attributes':{'k':'v'}"))))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("`attributes` must be an array");
        assertThatThrownBy(() -> decode(request(span(T, S, ",'name':7")))).isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("`name` must be a string, not the number 7");
        assertThatThrownBy(() -> decode(request(span(T, S, ",'attributes':[{'key':'b','value':{'bytesValue':'***'}}]"))))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("`bytesValue` must be base64");
    }

    @Test
    void deepNestingIsAnExceptionNotAStackOverflow() {
        // inside an unknown field, which is skipped rather than read, the parser's limit still applies
        String deep = "{\"future\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertThatThrownBy(() -> decode(deep)).isInstanceOf(OtlpDecodeException.class)
                .hasMessageContaining("nesting depth");
        StringBuilder v = new StringBuilder("{\"stringValue\":\"leaf\"}");
        for (int i = 0; i < 2000; i++) {
            v.insert(0, "{\"arrayValue\":{\"values\":[").append("]}}");
        }
        assertThatThrownBy(() -> decode(request(span(T, S, ",'attributes':[{'key':'n','value':" + v + "}]"))))
                .isInstanceOf(OtlpDecodeException.class).hasMessageContaining("nesting depth");
    }

    @Test
    void moderatelyNestedValuesAndHugeArraysDecode() throws Exception {
        StringBuilder v = new StringBuilder("{\"stringValue\":\"leaf\"}");
        for (int i = 0; i < 100; i++) {
            v.insert(0, "{\"arrayValue\":{\"values\":[").append("]}}");
        }
        StringBuilder big = new StringBuilder("{\"arrayValue\":{\"values\":[");
        for (int i = 0; i < 200_000; i++) {
            big.append(i == 0 ? "" : ",").append("{\"intValue\":").append(i).append('}');
        }
        big.append("]}}");
        SpanRecord r = decode(request(span(T, S, ",'attributes':[{'key':'n','value':" + v + "},{'key':'big','value':"
                + big + "}]"))).spans().get(0);
        Object n = r.attributes().get("n");
        for (int i = 0; i < 100; i++) {
            n = ((List<?>) n).get(0);
        }
        assertThat(n).isEqualTo("leaf");
        assertThat((List<?>) r.attributes().get("big")).hasSize(200_000).last().isEqualTo(199_999L);
    }
}
