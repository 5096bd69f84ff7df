package io.agentid.collector.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * OTLP/JSON straight from Jackson's token stream into {@link SpanRecord}s, with no protobuf in between (protobuf's
 * JsonFormat reads ids as base64, OTLP writes them as hex).
 *
 * <p>Keys may come in any order, so a span is collected in a {@link PendingSpan} and built when its ResourceSpans
 * object closes and the resource and scope are known. JSON {@code null} is read as the field's default, as the
 * protobuf JSON mapping does. The parser's nesting limit (Jackson's StreamReadConstraints) bounds the recursion
 * through nested AnyValues.
 */
final class JsonTraceDecoder {

    private static final String[] SPAN_KINDS = {"SPAN_KIND_UNSPECIFIED", "SPAN_KIND_INTERNAL", "SPAN_KIND_SERVER",
        "SPAN_KIND_CLIENT", "SPAN_KIND_PRODUCER", "SPAN_KIND_CONSUMER"};
    private static final String[] STATUS_CODES = {"STATUS_CODE_UNSET", "STATUS_CODE_OK", "STATUS_CODE_ERROR"};

    private final JsonParser p;
    private final List<SpanRecord> out = new ArrayList<>();
    private final Rejections rejections = new Rejections();

    private JsonTraceDecoder(JsonParser p) {
        this.p = p;
    }

    static Decoded decode(JsonFactory json, byte[] body, int offset, int length) throws OtlpDecodeException {
        try (JsonParser p = json.createParser(body, offset, length)) {
            return new JsonTraceDecoder(p).request();
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new OtlpDecodeException("body is not valid JSON: " + clip(e.getOriginalMessage())
                    + (l == null ? "" : " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")"), e);
        } catch (IOException e) {
            throw new OtlpDecodeException("body could not be read as JSON: " + clip(e.getMessage()), e);
        }
    }

    private static String clip(String s) {
        if (s == null) {
            return "";
        }
        s = s.replace('\n', ' ');
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    private Decoded request() throws IOException, OtlpDecodeException {
        if (p.nextToken() != JsonToken.START_OBJECT) {
            throw shape("body must be a JSON object (an OTLP ExportTraceServiceRequest)");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "resourceSpans", "resource_spans" -> {
                    if (array("resourceSpans")) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            resourceSpans();
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        if (p.nextToken() != null) {
            throw shape("unexpected content after the request object");
        }
        return new Decoded(out, rejections.count(), rejections.message());
    }

    private void resourceSpans() throws IOException, OtlpDecodeException {
        if (!object("resourceSpans[]")) {
            return;
        }
        Map<String, Object> resource = Map.of();
        List<PendingSpan> spans = new ArrayList<>();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "resource" -> resource = resource();
                case "scopeSpans", "scope_spans" -> {
                    if (array("scopeSpans")) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            scopeSpans(spans);
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        for (PendingSpan s : spans) {
            out.add(s.build(resource));
        }
    }

    private Map<String, Object> resource() throws IOException, OtlpDecodeException {
        Map<String, Object> attributes = Map.of();
        if (object("resource")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("attributes")) {
                    attributes = keyValues("attributes");
                } else {
                    p.skipChildren();
                }
            }
        }
        return attributes;
    }

    private void scopeSpans(List<PendingSpan> into) throws IOException, OtlpDecodeException {
        if (!object("scopeSpans[]")) {
            return;
        }
        String scope = "";
        int first = into.size();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "scope" -> scope = scopeName();
                case "spans" -> {
                    if (array("spans")) {
                        while (p.nextToken() != JsonToken.END_ARRAY) {
                            PendingSpan s = span();
                            if (s != null) {
                                into.add(s);
                            }
                        }
                    }
                }
                default -> p.skipChildren();
            }
        }
        for (int i = first; i < into.size(); i++) {
            into.get(i).scope = scope;
        }
    }

    private String scopeName() throws IOException, OtlpDecodeException {
        String name = "";
        if (object("scope")) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                if (f.equals("name")) {
                    name = string("scope.name");
                } else {
                    p.skipChildren();
                }
            }
        }
        return name;
    }

    /** The span, or {@code null} when it was rejected (and counted). */
    private PendingSpan span() throws IOException, OtlpDecodeException {
        if (!object("spans[]")) {
            return null;
        }
        PendingSpan s = new PendingSpan();
        String traceId = "";
        String spanId = "";
        String parent = "";
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "traceId", "trace_id" -> traceId = string("traceId");
                case "spanId", "span_id" -> spanId = string("spanId");
                case "parentSpanId", "parent_span_id" -> parent = string("parentSpanId");
                case "name" -> s.name = string("name");
                case "kind" -> s.kind = enumValue("kind", SPAN_KINDS);
                case "startTimeUnixNano", "start_time_unix_nano" -> s.start = fixed64("startTimeUnixNano");
                case "endTimeUnixNano", "end_time_unix_nano" -> s.end = fixed64("endTimeUnixNano");
                case "attributes" -> s.attributes = keyValues("attributes");
                case "events" -> s.events = events();
                case "status" -> status(s);
                default -> p.skipChildren();
            }
        }
        s.traceId = Hex.normalize(traceId, 32);
        if (s.traceId == null) {
            rejections.add(Rejections.BAD_TRACE_ID_HEX);
            return null;
        }
        s.spanId = Hex.normalize(spanId, 16);
        if (s.spanId == null) {
            rejections.add(Rejections.BAD_SPAN_ID_HEX);
            return null;
        }
        if (parent.isEmpty() || (parent.length() == 16 && Hex.isZeros(parent))) {
            s.parentSpanId = "";
        } else {
            s.parentSpanId = Hex.normalize(parent, 16);
            if (s.parentSpanId == null) {
                rejections.add(Rejections.BAD_PARENT_ID_HEX);
                return null;
            }
        }
        return s;
    }

    private void status(PendingSpan s) throws IOException, OtlpDecodeException {
        if (!object("status")) {
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            switch (f) {
                case "code" -> s.statusCode = enumValue("status.code", STATUS_CODES);
                case "message" -> s.statusMessage = string("status.message");
                default -> p.skipChildren();
            }
        }
    }

    private List<SpanEvent> events() throws IOException, OtlpDecodeException {
        if (!array("events")) {
            return List.of();
        }
        List<SpanEvent> events = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!object("events[]")) {
                continue;
            }
            String name = "";
            long time = 0;
            Map<String, Object> attributes = Map.of();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "name" -> name = string("events[].name");
                    case "timeUnixNano", "time_unix_nano" -> time = fixed64("events[].timeUnixNano");
                    case "attributes" -> attributes = keyValues("events[].attributes");
                    default -> p.skipChildren();
                }
            }
            events.add(new SpanEvent(name, time, attributes));
        }
        return events;
    }

    /** A KeyValue array (attributes, kvlistValue.values) as a map; entries without a value are left out. */
    private Map<String, Object> keyValues(String what) throws IOException, OtlpDecodeException {
        if (!array(what)) {
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (!object(what + "[]")) {
                continue;
            }
            String key = "";
            Object value = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                p.nextToken();
                switch (f) {
                    case "key" -> key = string("key");
                    case "value" -> value = anyValue();
                    default -> p.skipChildren();
                }
            }
            if (value != null) {
                m.put(key, value);
            }
        }
        return m;
    }

    /** An AnyValue; {@code null} when it holds none of the known kinds. */
    private Object anyValue() throws IOException, OtlpDecodeException {
        if (!object("value")) {
            return null;
        }
        Object v = null;
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            if (t == JsonToken.VALUE_NULL) {
                continue;
            }
            switch (f) {
                case "stringValue", "string_value" -> v = string("stringValue");
                case "boolValue", "bool_value" -> v = bool("boolValue");
                case "intValue", "int_value" -> v = int64("intValue");
                case "doubleValue", "double_value" -> v = doubleValue();
                case "bytesValue", "bytes_value" -> v = bytes();
                case "arrayValue", "array_value" -> v = arrayValue();
                case "kvlistValue", "kvlist_value" -> v = kvlistValue();
                default -> p.skipChildren();
            }
        }
        return v;
    }

    private List<Object> arrayValue() throws IOException, OtlpDecodeException {
        List<Object> l = new ArrayList<>();
        if (!object("arrayValue")) {
            return l;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals("values") && array("arrayValue.values")) {
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    Object o = anyValue();
                    if (o != null) {
                        l.add(o);
                    }
                }
            } else {
                p.skipChildren();
            }
        }
        return l;
    }

    private Map<String, Object> kvlistValue() throws IOException, OtlpDecodeException {
        Map<String, Object> m = Map.of();
        if (!object("kvlistValue")) {
            return new LinkedHashMap<>();
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            p.nextToken();
            if (f.equals("values")) {
                m = keyValues("kvlistValue.values");
            } else {
                p.skipChildren();
            }
        }
        return m.isEmpty() ? new LinkedHashMap<>() : m;
    }

    /** True at the start of an object; false (nothing to read) for {@code null}; else a shape error. */
    private boolean object(String what) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw shape("`" + what + "` must be an object, not " + describe(t));
    }

    private boolean array(String what) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_ARRAY) {
            return true;
        }
        if (t == JsonToken.VALUE_NULL) {
            return false;
        }
        throw shape("`" + what + "` must be an array, not " + describe(t));
    }

    private String string(String what) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_STRING) {
            return p.getText();
        }
        if (t == JsonToken.VALUE_NULL) {
            return "";
        }
        throw shape("`" + what + "` must be a string, not " + describe(t));
    }

    private Boolean bool(String what) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_TRUE) {
            return Boolean.TRUE;
        }
        if (t == JsonToken.VALUE_FALSE) {
            return Boolean.FALSE;
        }
        if (t == JsonToken.VALUE_STRING && ("true".equals(p.getText()) || "false".equals(p.getText()))) {
            return Boolean.valueOf(p.getText());
        }
        throw shape("`" + what + "` must be true or false, not " + describe(t));
    }

    private Long int64(String what) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getLongValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                return Long.parseLong(p.getText().trim());
            }
        } catch (NumberFormatException | com.fasterxml.jackson.core.exc.InputCoercionException e) {
            // fall through to the shape error
        }
        throw shape("`" + what + "` must be a 64-bit integer (number or decimal string), not " + describe(t));
    }

    /** Unsigned 64-bit (the time fields), as a JSON string or number. */
    private long fixed64(String what) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        ? Long.parseUnsignedLong(p.getText()) : p.getLongValue();
            }
            if (t == JsonToken.VALUE_STRING) {
                return Long.parseUnsignedLong(p.getText().trim());
            }
            if (t == JsonToken.VALUE_NULL) {
                return 0;
            }
        } catch (NumberFormatException e) {
            // fall through to the shape error
        }
        throw shape("`" + what + "` must be an unsigned 64-bit integer (number or decimal string), not " + describe(t));
    }

    private Double doubleValue() throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        if (t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT) {
            return p.getDoubleValue();
        }
        if (t == JsonToken.VALUE_STRING) {
            String s = p.getText().trim();
            switch (s) {
                case "NaN":
                    return Double.NaN;
                case "Infinity":
                    return Double.POSITIVE_INFINITY;
                case "-Infinity":
                    return Double.NEGATIVE_INFINITY;
                default:
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        // fall through to the shape error
                    }
            }
        }
        throw shape("`doubleValue` must be a number, not " + describe(t));
    }

    private byte[] bytes() throws IOException, OtlpDecodeException {
        String s = string("bytesValue");
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(s);
            } catch (IllegalArgumentException e2) {
                throw shape("`bytesValue` must be base64");
            }
        }
    }

    /** An enum as its number (the OTLP form) or, leniently, its name; unknown numbers are kept, as proto3 does. */
    private int enumValue(String what, String[] names) throws IOException, OtlpDecodeException {
        JsonToken t = p.currentToken();
        try {
            if (t == JsonToken.VALUE_NUMBER_INT) {
                return p.getIntValue();
            }
            if (t == JsonToken.VALUE_NULL) {
                return 0;
            }
            if (t == JsonToken.VALUE_STRING) {
                String s = p.getText();
                for (int i = 0; i < names.length; i++) {
                    if (names[i].equals(s)) {
                        return i;
                    }
                }
                return Integer.parseInt(s.trim());
            }
        } catch (NumberFormatException | com.fasterxml.jackson.core.exc.InputCoercionException e) {
            // fall through to the shape error
        }
        throw shape("`" + what + "` must be an enum number or name, not " + describe(t));
    }

    private String describe(JsonToken t) throws IOException {
        if (t == null) {
            return "the end of the body";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "the string `" + clip(p.getText()) + "`";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "the number " + clip(p.getText());
            case VALUE_TRUE:
            case VALUE_FALSE:
                return p.getText();
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : t.asString();
        }
    }

    private OtlpDecodeException shape(String reason) {
        JsonLocation l = p.currentTokenLocation();
        return new OtlpDecodeException("body is not a valid OTLP/JSON ExportTraceServiceRequest: " + reason
                + " (line " + l.getLineNr() + ", column " + l.getColumnNr() + ")");
    }

    private static final class PendingSpan {
        String traceId;
        String spanId;
        String parentSpanId;
        String name = "";
        int kind;
        long start;
        long end;
        int statusCode;
        String statusMessage = "";
        String scope = "";
        Map<String, Object> attributes = Map.of();
        List<SpanEvent> events = List.of();

        SpanRecord build(Map<String, Object> resource) {
            return new SpanRecord(traceId, spanId, parentSpanId, name, kind, start, end, statusCode, statusMessage,
                    resource, scope, attributes, events);
        }
    }
}
