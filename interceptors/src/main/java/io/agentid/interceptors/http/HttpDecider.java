package io.agentid.interceptors.http;

import io.agentid.bootstrap.Faults;
import io.agentid.genai.CostEstimate;
import io.agentid.genai.ModelRequest;
import io.agentid.genai.ModelRequests;
import io.agentid.genai.Pricing;
import io.agentid.policy.Decision;
import io.agentid.policy.Hosts;
import io.agentid.runtime.AgentRuntime;
import io.opentelemetry.sdk.trace.IdGenerator;
import java.io.IOException;
import java.net.URI;
import java.util.Locale;

/** Decides one HTTP request against the policy, for every HTTP client's guard; records a blocked one. */
final class HttpDecider {
    private static final IdGenerator IDS = IdGenerator.random();

    private final AgentRuntime runtime;
    private final ModelCalls.Prices prices;

    HttpDecider(AgentRuntime runtime) {
        this(runtime, null);
    }

    /** {@code prices}: where model requests whose body the guard can see are priced; null: not priced. */
    HttpDecider(AgentRuntime runtime, ModelCalls.Prices prices) {
        this.runtime = runtime;
        this.prices = prices;
    }

    IOException decide(Hops hops, String client, String method, URI uri, long bodySize) {
        return decide(hops, client, method, uri, bodySize, null);
    }

    IOException decide(Hops hops, String client, String method, String scheme, String host, int port,
            String rawPath, String fullUrl, long bodySize) {
        return decide(hops, client, method, scheme, host, port, rawPath, fullUrl, bodySize, null);
    }

    /**
     * Where a guard gets a request's body from, read only for a request whose path is a model call's
     * ({@link ModelRequests}): returns the bytes that will be sent, or null when they cannot be known without
     * consuming what the application needs. Never throws.
     */
    interface BodySource {
        HttpGuard.Body read();
    }

    IOException decide(Hops hops, String client, String method, URI uri, long bodySize, BodySource body) {
        String scheme = lower(uri.getScheme());
        String host = uri.getHost();
        if (host == null) {
            host = hostOf(uri.getRawAuthority());
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(scheme);
        String full = HttpUrls.redact(scheme, uri.getRawUserInfo(), host, uri.getPort(), uri.getRawPath(),
                uri.getRawQuery());
        return decide(hops, client, method, scheme, host, port, uri.getRawPath(), full, bodySize, body);
    }

    /**
     * Decides one request; on allow it becomes {@code hops.current}, on a block it is recorded and returned. A model
     * request is recognised from its path (and its body, when the guard has it) and priced before it is decided.
     */
    IOException decide(Hops hops, String client, String method, String scheme, String host, int port,
            String rawPath, String fullUrl, long bodySize, BodySource source) {
        long start = System.nanoTime();
        String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
        try {
            // not a model call (null) in well under a microsecond unless it is a POST to a model path
            ModelRequest mr = ModelRequests.recognise(method, host, path, null, 0, 0);
            // only then is the body read (OkHttp and Apache HttpClient write a replayable body into a buffer)
            HttpGuard.Body body = mr != null && source != null ? source.read() : null;
            if (body != null) {
                mr = ModelRequests.recognise(method, host, path, body.bytes, body.off, body.len);
            }
            // without the body the model is only what the path names (Gemini), and the cost is unknown
            CostEstimate est = mr != null && body != null && prices != null ? Pricing.estimate(mr, prices.get())
                    : null;
            Decision d = runtime.engine().decideHttp(runtime.agentId(), method, scheme, host, port, path,
                    mr == null ? null : mr.model(), est == null ? Double.NaN : est.usd());
            HttpCall call = new HttpCall(start, d, d.blocks(), client, method, scheme, Hosts.normalise(host), port,
                    fullUrl, bodySize, hops.count);
            call.path = path;
            call.modelRequest = mr;
            call.estimate = est;
            if (hops.traceId == null) {
                hops.traceId = IDS.generateTraceId();
            }
            call.ids(hops.traceId, IDS.generateSpanId());
            hops.count++;
            if (d.blocks()) {
                call.finish(System.nanoTime(), null);
                runtime.record(call);
                return blocked(d);
            }
            hops.current = call;
            return null;
        } catch (RuntimeException | Error e) {
            Faults.report("http.decide", e);
            if (runtime.blockOnInternalError()) {
                return new IOException("agentid: blocked by rule 'internal-error': the agent could not decide this"
                        + " call (" + e.getClass().getSimpleName() + "); on_internal_error is block");
            }
            return null;
        }
    }

    static IOException blocked(Decision decision) {
        return new IOException("agentid: blocked by rule '" + decision.ruleId() + "': " + decision.reason());
    }

    /** The W3C {@code traceparent} naming {@code call}'s span (built once per request: attempts and retries reuse it). */
    static String traceparent(HttpCall call) {
        String tp = call.traceparent;
        if (tp == null) {
            call.traceparent = tp = "00-" + call.traceIdHex + "-" + call.spanIdHex + "-01";
        }
        return tp;
    }

    static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    static int defaultPort(String scheme) {
        return scheme.equals("https") || scheme.equals("wss") ? 443 : 80;
    }

    /** The host of a raw authority the URI parser left unparsed ({@code user@my_host:8080}). */
    private static String hostOf(String authority) {
        if (authority == null) {
            return "";
        }
        String a = authority.substring(authority.lastIndexOf('@') + 1);
        if (a.startsWith("[")) {
            int close = a.indexOf(']');
            return close > 0 ? a.substring(0, close + 1) : a;
        }
        int colon = a.lastIndexOf(':');
        return colon >= 0 ? a.substring(0, colon) : a;
    }
}
