package io.agentid.collector.http;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentid.collector.ingest.Ingest;
import io.agentid.collector.model.SpanRecord;
import io.agentid.collector.store.CallQuery;
import io.agentid.collector.store.SpanStore;
import io.agentid.collector.store.Stats;
import io.agentid.collector.store.StoreException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The review API and its page, on {@code --api-port}:
 * {@code GET /api/calls}, {@code GET /api/traces/{traceId}}, {@code GET /api/stats}, {@code GET /api/health},
 * and {@code GET /} (a small page listing recent calls). Read-only; documented in docs/COLLECTOR.md.
 */
public final class ApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final String JSON = "application/json";
    private static final Set<String> CALL_PARAMS = new LinkedHashSet<>(
            List.of("decision", "agent", "rule", "kind", "since", "until", "limit"));
    private static final Set<String> STATS_PARAMS = new LinkedHashSet<>(List.of("since", "until"));
    private static final Set<String> DECISIONS = new LinkedHashSet<>(List.of("allow", "deny", "none"));
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-fA-F]{32}");
    private static final Duration DEFAULT_STATS_WINDOW = Duration.ofHours(24);

    private final HttpServer server;
    private final SpanStore store;
    private final Ingest ingest;

    public ApiServer(String host, int port, SpanStore store, Ingest ingest) throws IOException {
        this.store = store;
        this.ingest = ingest;
        this.server = HttpIo.bind(host, port, "review API (--api-port)", 4);
        server.createContext("/", this::handle);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        try {
            String path = ex.getRequestURI().getPath();
            if (!"GET".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "GET");
                error(ex, 405, ex.getRequestMethod() + " is not supported; the review API is read-only (GET)");
                return;
            }
            String query = ex.getRequestURI().getRawQuery();
            if (path.equals("/api/calls")) {
                calls(ex, Params.parse(query, CALL_PARAMS));
            } else if (path.startsWith("/api/traces/")) {
                trace(ex, path.substring("/api/traces/".length()));
            } else if (path.equals("/api/stats")) {
                stats(ex, Params.parse(query, STATS_PARAMS));
            } else if (path.equals("/api/health")) {
                json(ex, 200, g -> {
                    g.writeStartObject();
                    g.writeStringField("status", "ok");
                    g.writeNumberField("spansStoredSinceStart", ingest.storedSpans());
                    g.writeNumberField("spansRefusedSinceStart", ingest.refusedSpans());
                    g.writeNumberField("spansApproximate", store.approximateCount());
                    g.writeEndObject();
                });
            } else if (path.equals("/") || path.equals("/index.html")) {
                page(ex);
            } else {
                error(ex, 404, "no such endpoint: " + path
                        + " (try /api/calls, /api/traces/{traceId}, /api/stats, /api/health)");
            }
        } catch (Params.BadParam e) {
            error(ex, 400, e.getMessage());
        } catch (StoreException e) {
            log.error("review API: {}", e.getMessage());
            error(ex, 503, "store unavailable: " + e.getMessage());
        } catch (IOException e) {
            log.debug("review API: client gone: {}", e.toString());
            ex.close();
        } catch (RuntimeException | Error e) {
            log.error("review API request failed", e);
            error(ex, 500, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private void calls(HttpExchange ex, Params p) throws Params.BadParam, StoreException, IOException {
        Instant now = Instant.now();
        Long since = p.time("since", now);
        Long until = p.time("until", now);
        if (since != null && until != null && since >= until) {
            throw new Params.BadParam("since must be before until");
        }
        int limit = p.intIn("limit", 1, CallQuery.MAX_LIMIT, CallQuery.DEFAULT_LIMIT);
        CallQuery q = new CallQuery(p.oneOf("decision", DECISIONS), p.get("agent"), p.get("rule"), p.get("kind"),
                since, until, limit);
        List<SpanRecord> found = store.calls(q);
        json(ex, 200, g -> {
            g.writeStartObject();
            g.writeNumberField("count", found.size());
            g.writeNumberField("limit", limit);
            g.writeArrayFieldStart("calls");
            for (SpanRecord s : found) {
                ApiJson.call(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void trace(HttpExchange ex, String id) throws StoreException, IOException {
        if (!TRACE_ID.matcher(id).matches()) {
            error(ex, 400, "trace id must be 32 hex digits; got '" + id + "'");
            return;
        }
        List<SpanRecord> spans = store.trace(id.toLowerCase(java.util.Locale.ROOT));
        if (spans.isEmpty()) {
            error(ex, 404, "no spans stored for trace " + id);
            return;
        }
        json(ex, 200, g -> {
            g.writeStartObject();
            g.writeStringField("traceId", id.toLowerCase(java.util.Locale.ROOT));
            g.writeArrayFieldStart("spans");
            for (SpanRecord s : spans) {
                ApiJson.span(g, s);
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    private void stats(HttpExchange ex, Params p) throws Params.BadParam, StoreException, IOException {
        Instant now = Instant.now();
        Long until = p.time("until", now);
        Long since = p.time("since", now);
        long u = until == null ? Params.nanos(now) : until;
        long s = since == null ? u - DEFAULT_STATS_WINDOW.toNanos() : since;
        if (s >= u) {
            throw new Params.BadParam("since must be before until");
        }
        Stats st = store.stats(s, u);
        json(ex, 200, g -> ApiJson.stats(g, st));
    }

    private void page(HttpExchange ex) throws IOException {
        byte[] html;
        try (InputStream in = ApiServer.class.getResourceAsStream("index.html")) {
            html = in == null ? "<p>agentid collector: see /api/calls?limit=200</p>".getBytes() : in.readAllBytes();
        }
        HttpIo.send(ex, 200, "text/html; charset=utf-8", html);
    }

    private interface Body {
        void write(JsonGenerator g) throws IOException;
    }

    private static void json(HttpExchange ex, int status, Body body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        try (JsonGenerator g = ApiJson.MAPPER.getFactory().createGenerator(out, JsonEncoding.UTF8)) {
            body.write(g);
        }
        ex.getResponseHeaders().set("Cache-Control", "no-store");
        HttpIo.send(ex, status, JSON, out.toByteArray());
    }

    private static void error(HttpExchange ex, int status, String message) {
        try {
            json(ex, status, g -> {
                g.writeStartObject();
                g.writeNumberField("status", status);
                g.writeStringField("error", message);
                g.writeEndObject();
            });
        } catch (IOException e) {
            ex.close();
        }
    }

    @Override
    public void close() {
        HttpIo.stop(server);
    }
}
