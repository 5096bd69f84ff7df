package io.agentid.collector.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Field-by-field comparison of SpanRecords (which have no equals), byte[] values by content. */
final class Records {

    private Records() {
    }

    static void assertSame(List<SpanRecord> actual, List<SpanRecord> expected) {
        assertThat(actual).hasSameSizeAs(expected);
        for (int i = 0; i < expected.size(); i++) {
            assertSame(actual.get(i), expected.get(i));
        }
    }

    static void assertSame(SpanRecord a, SpanRecord e) {
        String at = "span " + e;
        assertThat(a.traceId()).as(at + " traceId").isEqualTo(e.traceId());
        assertThat(a.spanId()).as(at + " spanId").isEqualTo(e.spanId());
        assertThat(a.parentSpanId()).as(at + " parentSpanId").isEqualTo(e.parentSpanId());
        assertThat(a.name()).as(at + " name").isEqualTo(e.name());
        assertThat(a.kind()).as(at + " kind").isEqualTo(e.kind());
        assertThat(a.startEpochNanos()).as(at + " start").isEqualTo(e.startEpochNanos());
        assertThat(a.endEpochNanos()).as(at + " end").isEqualTo(e.endEpochNanos());
        assertThat(a.statusCode()).as(at + " statusCode").isEqualTo(e.statusCode());
        assertThat(a.statusMessage()).as(at + " statusMessage").isEqualTo(e.statusMessage());
        assertThat(a.scopeName()).as(at + " scopeName").isEqualTo(e.scopeName());
        assertThat(norm(a.resourceAttributes())).as(at + " resource").isEqualTo(norm(e.resourceAttributes()));
        assertThat(norm(a.attributes())).as(at + " attributes").isEqualTo(norm(e.attributes()));
        assertThat(a.events()).as(at + " events").hasSameSizeAs(e.events());
        for (int i = 0; i < e.events().size(); i++) {
            SpanEvent ae = a.events().get(i);
            SpanEvent ee = e.events().get(i);
            assertThat(ae.name()).as(at + " event name").isEqualTo(ee.name());
            assertThat(ae.epochNanos()).as(at + " event time").isEqualTo(ee.epochNanos());
            assertThat(norm(ae.attributes())).as(at + " event attributes").isEqualTo(norm(ee.attributes()));
        }
    }

    /** The value with byte[] replaced by a comparable string, recursively; NaN compares equal via Double.equals. */
    static Object norm(Object v) {
        if (v instanceof byte[] b) {
            return "bytes:" + Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(norm(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> en : m.entrySet()) {
                out.put(en.getKey(), norm(en.getValue()));
            }
            return out;
        }
        return v;
    }
}
