package io.agentid.collector.http;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agentid.collector.model.CallView;
import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import io.agentid.collector.store.Stats;
import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/** The review API's JSON shapes, written with Jackson's streaming generator. Documented in docs/COLLECTOR.md. */
final class ApiJson {

    static final ObjectMapper MAPPER = new ObjectMapper();

    private ApiJson() {
    }

    static String time(long epochNanos) {
        return Instant.ofEpochSecond(0, epochNanos).toString();
    }

    static void call(JsonGenerator g, SpanRecord s) throws IOException {
        CallView c = s.call();
        g.writeStartObject();
        g.writeStringField("traceId", s.traceId());
        g.writeStringField("spanId", s.spanId());
        g.writeStringField("time", time(s.startEpochNanos()));
        g.writeNumberField("durationNanos", Math.max(0, s.endEpochNanos() - s.startEpochNanos()));
        g.writeStringField("agent", c.agent());
        g.writeStringField("kind", c.kind());
        g.writeStringField("operation", c.operation());
        g.writeArrayFieldStart("targets");
        for (String t : c.targets()) {
            g.writeString(t);
        }
        g.writeEndArray();
        g.writeStringField("statement", c.statement());
        g.writeStringField("decision", c.decision());
        g.writeBooleanField("blocked", c.blocked());
        g.writeStringField("ruleId", c.ruleId());
        g.writeStringField("reason", c.reason());
        g.writeStringField("policyVersion", c.policyVersion());
        if (!c.mode().isEmpty()) {
            g.writeStringField("mode", c.mode());
        }
        if (c.costEstimateUsd() != null) {
            g.writeNumberField("costEstimateUsd", c.costEstimateUsd());
        }
        if (c.costActualUsd() != null) {
            g.writeNumberField("costActualUsd", c.costActualUsd());
        }
        g.writeStringField("service", s.serviceName());
        g.writeStringField("name", s.name());
        g.writeEndObject();
    }

    static void span(JsonGenerator g, SpanRecord s) throws IOException {
        g.writeStartObject();
        g.writeStringField("traceId", s.traceId());
        g.writeStringField("spanId", s.spanId());
        g.writeStringField("parentSpanId", s.parentSpanId());
        g.writeStringField("name", s.name());
        g.writeStringField("kind", kind(s.kind()));
        g.writeStringField("startTime", time(s.startEpochNanos()));
        g.writeStringField("endTime", time(s.endEpochNanos()));
        g.writeNumberField("startTimeUnixNano", s.startEpochNanos());
        g.writeNumberField("endTimeUnixNano", s.endEpochNanos());
        g.writeObjectFieldStart("status");
        g.writeStringField("code", s.statusCode() == 1 ? "ok" : s.statusCode() == 2 ? "error" : "unset");
        g.writeStringField("message", s.statusMessage());
        g.writeEndObject();
        g.writeFieldName("call");
        call(g, s);
        attributes(g, "attributes", s.attributes());
        g.writeArrayFieldStart("events");
        for (SpanEvent e : s.events()) {
            g.writeStartObject();
            g.writeStringField("name", e.name());
            g.writeStringField("time", time(e.epochNanos()));
            attributes(g, "attributes", e.attributes());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeStringField("scope", s.scopeName());
        attributes(g, "resource", s.resourceAttributes());
        g.writeEndObject();
    }

    private static void attributes(JsonGenerator g, String field, Map<String, Object> attributes) throws IOException {
        g.writeFieldName(field);
        // byte[] becomes base64, lists and maps nest; the mapper's defaults are what a reader expects
        MAPPER.writeValue(g, attributes);
    }

    private static String kind(int kind) {
        return switch (kind) {
            case 1 -> "internal";
            case 2 -> "server";
            case 3 -> "client";
            case 4 -> "producer";
            case 5 -> "consumer";
            default -> "unspecified";
        };
    }

    static void stats(JsonGenerator g, Stats st) throws IOException {
        g.writeStartObject();
        g.writeStringField("since", time(st.sinceEpochNanos()));
        g.writeStringField("until", time(st.untilEpochNanos()));
        g.writeNumberField("calls", st.calls());
        g.writeNumberField("denied", st.denied());
        group(g, "byAgent", "agent", st.byAgent());
        group(g, "byRule", "rule", st.byRule());
        g.writeEndObject();
    }

    private static void group(JsonGenerator g, String field, String key, java.util.List<Stats.Group> groups)
            throws IOException {
        g.writeArrayFieldStart(field);
        for (Stats.Group x : groups) {
            g.writeStartObject();
            g.writeStringField(key, x.key());
            g.writeNumberField("calls", x.calls());
            g.writeNumberField("denied", x.denied());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
