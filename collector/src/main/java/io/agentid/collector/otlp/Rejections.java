package io.agentid.collector.otlp;

import java.util.LinkedHashMap;
import java.util.Map;

/** Counts spans rejected while decoding one request, by reason, for the OTLP partial-success message. */
final class Rejections {

    static final String BAD_TRACE_ID = "invalid trace id (must be 16 bytes, not all zero)";
    static final String BAD_SPAN_ID = "invalid span id (must be 8 bytes, not all zero)";
    static final String BAD_PARENT_ID = "invalid parent span id (must be empty or 8 bytes)";
    static final String BAD_TRACE_ID_HEX = "invalid trace id (must be 32 hex digits, not all zero)";
    static final String BAD_SPAN_ID_HEX = "invalid span id (must be 16 hex digits, not all zero)";
    static final String BAD_PARENT_ID_HEX = "invalid parent span id (must be empty or 16 hex digits)";

    private long count;
    private Map<String, long[]> reasons;

    void add(String reason) {
        count++;
        if (reasons == null) {
            reasons = new LinkedHashMap<>();
        }
        reasons.computeIfAbsent(reason, r -> new long[1])[0]++;
    }

    long count() {
        return count;
    }

    /** {@code "2 spans rejected: invalid trace id (...)"}; with several reasons each is prefixed by its count. */
    String message() {
        if (count == 0) {
            return "";
        }
        StringBuilder b = new StringBuilder().append(count).append(count == 1 ? " span" : " spans").append(" rejected: ");
        if (reasons.size() == 1) {
            return b.append(reasons.keySet().iterator().next()).toString();
        }
        String sep = "";
        for (Map.Entry<String, long[]> e : reasons.entrySet()) {
            b.append(sep).append(e.getValue()[0]).append(' ').append(e.getKey());
            sep = "; ";
        }
        return b.toString();
    }
}
