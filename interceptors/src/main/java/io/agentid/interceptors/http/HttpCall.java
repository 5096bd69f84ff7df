package io.agentid.interceptors.http;

import io.agentid.genai.CostEstimate;
import io.agentid.genai.GenAiAttributes;
import io.agentid.genai.ModelRequest;
import io.agentid.genai.Usage;
import io.agentid.policy.Decision;
import io.agentid.runtime.CallRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.AttributesBuilder;

/**
 * One HTTP request on the wire (the first request of a call, or one of its redirect hops): the guard's record
 * while it runs, then the span it becomes, with the OpenTelemetry HTTP client attributes. No header is ever
 * exported, so {@code Authorization}, {@code Cookie} or {@code X-Api-Key} values cannot leave in a span.
 */
final class HttpCall extends CallRecord {
    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> METHOD_ORIGINAL = AttributeKey.stringKey("http.request.method_original");
    static final AttributeKey<String> URL_FULL = AttributeKey.stringKey("url.full");
    static final AttributeKey<String> URL_SCHEME = AttributeKey.stringKey("url.scheme");
    static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
    static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");
    static final AttributeKey<Long> BODY_SIZE = AttributeKey.longKey("http.request.body.size");
    static final AttributeKey<Long> RESEND_COUNT = AttributeKey.longKey("http.request.resend_count");
    static final AttributeKey<String> PROTOCOL_VERSION = AttributeKey.stringKey("network.protocol.version");
    static final AttributeKey<String> CLIENT = AttributeKey.stringKey("agentid.http.client");
    static final AttributeKey<String> GENAI_PROVIDER = AttributeKey.stringKey(GenAiAttributes.PROVIDER_NAME);
    static final AttributeKey<String> GENAI_SYSTEM = AttributeKey.stringKey(GenAiAttributes.SYSTEM);
    static final AttributeKey<String> GENAI_OPERATION = AttributeKey.stringKey(GenAiAttributes.OPERATION_NAME);
    static final AttributeKey<String> GENAI_MODEL = AttributeKey.stringKey(GenAiAttributes.REQUEST_MODEL);
    static final AttributeKey<Long> GENAI_MAX_TOKENS = AttributeKey.longKey(GenAiAttributes.REQUEST_MAX_TOKENS);
    static final AttributeKey<Boolean> GENAI_STREAM = AttributeKey.booleanKey(GenAiAttributes.REQUEST_STREAM);
    static final AttributeKey<Long> GENAI_INPUT_ESTIMATE = AttributeKey.longKey(GenAiAttributes.INPUT_TOKENS_ESTIMATE);
    static final AttributeKey<Double> COST_ESTIMATE = AttributeKey.doubleKey(GenAiAttributes.COST_ESTIMATE_USD);
    static final AttributeKey<Long> USAGE_INPUT = AttributeKey.longKey(GenAiAttributes.USAGE_INPUT_TOKENS);
    static final AttributeKey<Long> USAGE_OUTPUT = AttributeKey.longKey(GenAiAttributes.USAGE_OUTPUT_TOKENS);
    static final AttributeKey<Double> COST_ACTUAL = AttributeKey.doubleKey(GenAiAttributes.COST_ACTUAL_USD);

    final String client;
    final String method;
    final String scheme;
    /** Canonical ({@code Hosts.normalise}). */
    final String host;
    final int port;
    /** Secrets redacted ({@link HttpUrls#redact}). */
    final String url;
    /** The request body's length in bytes, or -1 when not known. */
    long bodySize;
    /** How many requests of the same call went before this one (redirects, authentication resends). */
    final int resendCount;
    int status = -1;
    String protocolVersion;
    final long start;
    /** The model request this is, or null when it is not one. */
    ModelRequest modelRequest;
    /** Its estimate, or null when the body could not be seen (model from the path only, cost unknown). */
    CostEstimate estimate;
    /** What the response reported, or null. */
    Usage usage;
    double actualUsd = Double.NaN;
    /** The raw path decided (not exported: {@link #url} is, redacted). */
    String path;
    /** HttpURLConnection: a model request whose buffered body is still to be decided on. */
    boolean bodyPending;
    /** Apache HttpClient: the response body was read ahead for its usage (by the innermost exec element). */
    boolean responseRead;

    HttpCall(long start, Decision decision, boolean blocked, String client, String method, String scheme, String host,
            int port, String url, long bodySize, int resendCount) {
        super(start, decision, blocked);
        this.start = start;
        this.client = client;
        this.method = method;
        this.scheme = scheme;
        this.host = host;
        this.port = port;
        this.url = url;
        this.bodySize = bodySize;
        this.resendCount = resendCount;
    }

    String traceIdHex;
    String spanIdHex;
    /** {@link HttpDecider#traceparent}, once built. */
    String traceparent;

    /** The same request under a later decision (its body became readable), with the same ids and start. */
    HttpCall redecided(Decision d) {
        HttpCall c = new HttpCall(start, d, d.blocks(), client, method, scheme, host, port, url, bodySize, resendCount);
        c.ids(traceIdHex, spanIdHex);
        return c;
    }

    void ids(String traceId, String spanId) {
        this.traceIdHex = traceId;
        this.spanIdHex = spanId;
        presetIds(traceId, spanId);
    }

    /** Ends the request; an answer of 500 or above fails the span, as the HTTP conventions ask of clients. */
    void end(long endNanoTime, int status, Throwable thrown) {
        if (status > 0) {
            this.status = status;
        }
        finish(endNanoTime, thrown);
        if (thrown == null && status >= 500) {
            failed(Integer.toString(status));
        }
    }

    @Override
    protected String kind() {
        return "http";
    }

    @Override
    protected String spanName() {
        return known(method) ? method : "HTTP";
    }

    @Override
    protected void addAttributes(AttributesBuilder a) {
        if (known(method)) {
            a.put(METHOD, method);
        } else {
            a.put(METHOD, "_OTHER");
            a.put(METHOD_ORIGINAL, method);
        }
        a.put(URL_FULL, url);
        a.put(URL_SCHEME, scheme);
        a.put(SERVER_ADDRESS, host);
        a.put(SERVER_PORT, (long) port);
        if (status > 0) {
            a.put(STATUS, (long) status);
        }
        if (bodySize >= 0) {
            a.put(BODY_SIZE, bodySize);
        }
        if (resendCount > 0) {
            a.put(RESEND_COUNT, (long) resendCount);
        }
        if (protocolVersion != null) {
            a.put(PROTOCOL_VERSION, protocolVersion);
        }
        a.put(CLIENT, client);
        ModelRequest m = modelRequest;
        if (m != null) {
            a.put(GENAI_PROVIDER, m.provider());
            a.put(GENAI_SYSTEM, m.provider());
            a.put(GENAI_OPERATION, m.operation());
            if (m.model() != null) {
                a.put(GENAI_MODEL, m.model());
            }
            if (m.maxTokens() >= 0) {
                a.put(GENAI_MAX_TOKENS, (long) m.maxTokens());
            }
            if (m.stream()) {
                a.put(GENAI_STREAM, true);
            }
            if (estimate != null) {
                a.put(GENAI_INPUT_ESTIMATE, estimate.inputTokens());
                if (estimate.known()) {
                    a.put(COST_ESTIMATE, estimate.usd());
                }
            }
            Usage u = usage;
            if (u != null) {
                if (u.inputTokens() >= 0) {
                    a.put(USAGE_INPUT, u.inputTokens());
                }
                if (u.outputTokens() >= 0) {
                    a.put(USAGE_OUTPUT, u.outputTokens());
                }
                if (!Double.isNaN(actualUsd)) {
                    a.put(COST_ACTUAL, actualUsd);
                }
            }
        }
    }

    private static boolean known(String m) {
        switch (m) {
            case "GET":
            case "HEAD":
            case "POST":
            case "PUT":
            case "DELETE":
            case "CONNECT":
            case "OPTIONS":
            case "TRACE":
            case "PATCH":
                return true;
            default:
                return false;
        }
    }
}
