package io.agentid.interceptors.http;

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

    HttpCall(long start, Decision decision, boolean blocked, String client, String method, String scheme, String host,
            int port, String url, long bodySize, int resendCount) {
        super(start, decision, blocked);
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
