package io.agentid.collector.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.collector.ingest.Ingest;
import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import io.agentid.collector.store.RocksSpanStore;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The review API over a real store: filters, shapes, and a clear 4xx for every bad parameter. */
class ApiServerTest {

    @TempDir
    Path dir;
    private RocksSpanStore store;
    private Ingest ingest;
    private ApiServer api;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final long now = System.currentTimeMillis() * 1_000_000L;

    @BeforeEach
    void start() throws Exception {
        store = RocksSpanStore.open(dir);
        ingest = new Ingest(store, 10_000, null, 60_000);
        api = new ApiServer("127.0.0.1", 0, store, ingest);
        store.append(List.of(
                span("00000000000000000000000000000001", "0000000000000001", now - 3_000_000_000L, "allow", "", "SELECT"),
                span("00000000000000000000000000000002", "0000000000000002", now - 2_000_000_000L, "deny", "no-ddl", "DROP"),
                span("00000000000000000000000000000002", "0000000000000003", now - 1_000_000_000L, "deny",
                        "payroll-off-limits", "SELECT")));
    }

    @AfterEach
    void stop() {
        api.close();
        ingest.close();
        store.close();
    }

    private static SpanRecord span(String trace, String id, long start, String decision, String rule, String op) {
        return new SpanRecord(trace, id, "", op + " customers", 3, start, start + 1000, decision.equals("deny") ? 2 : 0,
                "", Map.of("service.name", "svc"), "io.agentid.jdbc",
                Map.of("agentid.agent.id", "support-agent", "agentid.kind", "sql", "agentid.decision", decision,
                        "agentid.rule.id", rule, "agentid.reason", rule.isEmpty() ? "" : "because",
                        "db.operation.name", op, "db.query.text", op + " FROM customers",
                        "agentid.sql.tables", List.of("public.customers")),
                decision.equals("deny") ? List.of(new SpanEvent("agentid.blocked", start + 1000, Map.of())) : List.of());
    }

    private HttpResponse<String> get(String path) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + api.address().getPort() + path))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void callsAreNewestFirstAndFiltered() throws Exception {
        HttpResponse<String> all = get("/api/calls");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.headers().firstValue("Content-Type")).hasValue("application/json");
        var body = ApiJson.MAPPER.readTree(all.body());
        assertThat(body.get("count").asInt()).isEqualTo(3);
        assertThat(body.get("calls").get(0).get("spanId").asText()).isEqualTo("0000000000000003");
        assertThat(body.get("calls").get(2).get("spanId").asText()).isEqualTo("0000000000000001");

        var deny = ApiJson.MAPPER.readTree(get("/api/calls?decision=deny&rule=no-ddl").body());
        assertThat(deny.get("count").asInt()).isEqualTo(1);
        var c = deny.get("calls").get(0);
        assertThat(c.get("decision").asText()).isEqualTo("deny");
        assertThat(c.get("blocked").asBoolean()).isTrue();
        assertThat(c.get("ruleId").asText()).isEqualTo("no-ddl");
        assertThat(c.get("reason").asText()).isEqualTo("because");
        assertThat(c.get("operation").asText()).isEqualTo("DROP");
        assertThat(c.get("targets").get(0).asText()).isEqualTo("public.customers");
        assertThat(c.get("statement").asText()).isEqualTo("DROP FROM customers");
        assertThat(c.get("agent").asText()).isEqualTo("support-agent");

        assertThat(ApiJson.MAPPER.readTree(get("/api/calls?since=1500ms").body()).get("count").asInt()).isEqualTo(1);
        assertThat(ApiJson.MAPPER.readTree(get("/api/calls?limit=2").body()).get("count").asInt()).isEqualTo(2);
    }

    @Test
    void traceAndStats() throws Exception {
        var trace = ApiJson.MAPPER.readTree(get("/api/traces/00000000000000000000000000000002").body());
        assertThat(trace.get("spans")).hasSize(2);
        assertThat(trace.get("spans").get(0).get("attributes").get("db.query.text").asText())
                .isEqualTo("DROP FROM customers");
        assertThat(get("/api/traces/000000000000000000000000000000ff").statusCode()).isEqualTo(404);

        var stats = ApiJson.MAPPER.readTree(get("/api/stats?since=1h").body());
        assertThat(stats.get("calls").asInt()).isEqualTo(3);
        assertThat(stats.get("denied").asInt()).isEqualTo(2);
        assertThat(stats.get("byAgent").get(0).get("agent").asText()).isEqualTo("support-agent");
    }

    @Test
    void badRequestsGetA4xxThatSaysWhy() throws Exception {
        for (String[] c : new String[][] {
                {"/api/calls?limit=0", "400", "limit must be"},
                {"/api/calls?limit=abc", "400", "limit must be"},
                {"/api/calls?decision=maybe", "400", "decision must be one of"},
                {"/api/calls?since=yesterday", "400", "since must be an RFC 3339"},
                {"/api/calls?colour=red", "400", "unknown parameter 'colour'"},
                {"/api/calls?since=1m&until=2h", "400", "since must be before until"},
                {"/api/traces/xyz", "400", "32 hex digits"},
                {"/api/nothing", "404", "no such endpoint"}}) {
            HttpResponse<String> r = get(c[0]);
            assertThat(r.statusCode()).as(c[0]).isEqualTo(Integer.parseInt(c[1]));
            assertThat(ApiJson.MAPPER.readTree(r.body()).get("error").asText()).as(c[0]).contains(c[2]);
        }
        HttpResponse<String> post = client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + api.address().getPort() + "/api/calls")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        HttpResponse<String> page = get("/");
        assertThat(page.headers().firstValue("Content-Type").orElse("")).startsWith("text/html");
        assertThat(page.body()).contains("/api/calls?limit=200");
        assertThat(get("/api/calls").statusCode()).isEqualTo(200);
    }
}
