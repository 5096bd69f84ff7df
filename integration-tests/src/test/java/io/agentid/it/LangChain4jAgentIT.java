package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentid.it.CollectorE2EIT.Run;
import io.agentid.it.support.CollectorProcess;
import io.agentid.it.support.Http;
import io.agentid.it.support.Jvms;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The LangChain4j sample, end to end: the collector (its jar) and {@code langchain4j-agent.jar} with agentid.jar
 * attached and examples/langchain4j-policy.yaml. The scripted model asks for the injected upload to 127.0.0.2 and
 * for {@code DROP TABLE orders}; both are blocked, the agent gets the block messages as tool results and
 * finishes, and the review API shows every call: the model calls and the inventory API allowed, the upload denied
 * by the allowlist, the DROP by no-ddl; and each model call's span carries the model, the token counts and the cost.
 */
class LangChain4jAgentIT {
    private static final String AGENT = "orders-agent";
    private static final String UPLOAD_BLOCKED =
            "error: agentid: blocked by rule 'egress-allowlist': egress outside the allowlist";
    private static final String DROP_BLOCKED = "error: agentid: blocked by rule 'no-ddl': agents may not change the schema";
    private static final Pattern EXPORTED = Pattern.compile("export: (\\d+) spans exported, (\\d+) allowed-call spans dropped"
            + " \\(queue full\\), (\\d+) denied-call spans dropped, (\\d+) spans failed to export");
    private static final Pattern EXFIL = Pattern.compile("exfil server \\((http://127\\.0\\.0\\.2:\\d+/upload)\\) received 0 requests");
    private static final Pattern INVENTORY = Pattern.compile("inventory API (http://127\\.0\\.0\\.1:\\d+)");
    private static final Pattern MODEL = Pattern.compile("at (http://127\\.0\\.0\\.1:\\d+/v1) \\(scripted\\)");

    @TempDir
    Path tmp;

    static Stream<Jvms.Jvm> jvms() {
        return Jvms.all().stream();
    }

    static Path agentJar() {
        Path jar = Path.of(System.getProperty("agentid.lc4j.jar", "../sample-agents/target/langchain4j-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("langchain4j-agent.jar not found at " + jar.toAbsolutePath() + "; build it first");
        }
        return jar.toAbsolutePath();
    }

    private static Run runAgent(Jvms.Jvm jvm, String otlpEndpoint, Path dbDir) throws IOException, InterruptedException {
        return CollectorE2EIT.runAgentJar(jvm, CollectorE2EIT.root().resolve("examples/langchain4j-policy.yaml"), AGENT,
                agentJar(), otlpEndpoint, dbDir);
    }

    @ParameterizedTest(name = "agent on {0}")
    @MethodSource("jvms")
    void injectedUploadAndDropAreBlockedAndTheCollectorShowsEveryCall(Jvms.Jvm jvm) throws Exception {
        try (CollectorProcess collector = CollectorProcess.start(tmp.resolve("collector-data"))) {
            Path dbDir = tmp.resolve("db");
            Run run = runAgent(jvm, collector.otlpHttpEndpoint(), dbDir);
            String ctx = run + "\n" + collector.describe();
            assertThat(run.exitCode()).as(ctx).isZero();

            // the tool results the model got: the two injected calls blocked with agentid's messages
            List<String> results = run.stdout().lines().filter(l -> l.startsWith("         -> "))
                    .map(l -> l.substring("         -> ".length())).toList();
            assertThat(results).as(ctx).hasSize(4);
            assertThat(results.get(0)).as(ctx).startsWith("2 rows: ").contains("NOTICE TO THE AI ASSISTANT");
            assertThat(results.get(1)).as(ctx).startsWith("HTTP 200: ").contains("\"in_stock\":12");
            assertThat(results.get(2)).as(ctx).isEqualTo(UPLOAD_BLOCKED);
            assertThat(results.get(3)).as(ctx).isEqualTo(DROP_BLOCKED);
            assertThat(run.stdout()).as(ctx)
                    .contains("[tool 3] send_report {\"url\":\"http://127.0.0.2:")
                    .contains("[tool 4] query_database {\"sql\":\"DROP TABLE orders\"}")
                    .contains("assistant: Order 502 (27-inch monitor) has shipped")
                    .contains("uploading the orders report and dropping the orders table were blocked by policy")
                    .contains("summary: 4 tool calls: 2 succeeded, 2 blocked by agentid (calls 3, 4), 0 failed;"
                            + " 5 model requests")
                    .contains("orders table intact: 4 rows");
            Matcher exfil = EXFIL.matcher(run.stdout());
            assertThat(exfil.find()).as("the exfil server received nothing\n" + ctx).isTrue();
            String exfilUrl = exfil.group(1);
            Matcher inventory = INVENTORY.matcher(run.stdout());
            Matcher model = MODEL.matcher(run.stdout());
            assertThat(inventory.find() && model.find()).as(ctx).isTrue();
            assertThat(run.stdout().lines().filter(l -> l.startsWith("  [model server] request "))).as(ctx).hasSize(5);

            // the database is intact: read it back without agentid
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dbDir.resolve("orders"));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM orders")) {
                assertThat(rs.next()).isTrue();
                assertThat(rs.getInt(1)).as(ctx).isEqualTo(4);
            }

            Matcher exported = EXPORTED.matcher(run.stderr());
            assertThat(exported.find()).as("agentid's exit line\n" + ctx).isTrue();
            int spans = Integer.parseInt(exported.group(1));
            assertThat(List.of(exported.group(2), exported.group(3), exported.group(4))).as(ctx).containsOnly("0");
            // five model calls, the inventory API, the upload, the SELECT, the DROP and the final COUNT(*)
            assertThat(spans).as(ctx).isEqualTo(10);

            String callsUrl = collector.api() + "/api/calls?agent=" + AGENT + "&limit=100";
            JsonNode calls = Http.pollJson(callsUrl, n -> n.path("count").asInt() >= spans, Duration.ofSeconds(30));
            ctx = ctx + "\n--- " + callsUrl + "\n" + calls.toPrettyString();
            assertThat(calls.path("calls")).as(ctx).hasSize(spans);

            List<JsonNode> modelCalls = new ArrayList<>();
            List<JsonNode> sql = new ArrayList<>();
            JsonNode inventoryCall = null;
            JsonNode upload = null;
            for (JsonNode c : calls.path("calls")) {
                assertThat(c.path("agent").asText()).as(ctx).isEqualTo(AGENT);
                assertThat(c.path("mode").asText()).as(ctx).isEqualTo("enforce");
                String statement = c.path("statement").asText();
                if (c.path("kind").asText().equals("sql")) {
                    sql.add(c);
                } else if (statement.equals(model.group(1) + "/chat/completions")) {
                    modelCalls.add(c);
                } else if (statement.equals(inventory.group(1) + "/inventory/MON-27")) {
                    inventoryCall = c;
                } else if (statement.equals(exfilUrl)) {
                    upload = c;
                } else {
                    throw new AssertionError("a call the agent did not make: " + c + "\n" + ctx);
                }
            }

            assertThat(modelCalls).as(ctx).hasSize(5);
            for (JsonNode c : modelCalls) {
                assertThat(c.path("kind").asText()).as(ctx).isEqualTo("http");
                assertThat(c.path("targets").toString()).as(ctx).contains("127.0.0.1");
                assertThat(c.path("decision").asText()).as(ctx).isEqualTo("allow");
                assertThat(c.path("ruleId").asText()).as(ctx).isEqualTo("default");
                assertThat(c.path("blocked").asBoolean()).as(ctx).isFalse();

                // the model call's own span: recognised as a model call and priced before it was sent
                JsonNode trace = Http.getJson(collector.api() + "/api/traces/" + c.path("traceId").asText());
                JsonNode span = null;
                for (JsonNode sp : trace.path("spans")) {
                    if (sp.path("spanId").asText().equals(c.path("spanId").asText())) {
                        span = sp;
                    }
                }
                String tctx = trace.toPrettyString();
                assertThat(span).as(tctx).isNotNull();
                JsonNode attrs = span.path("attributes");
                assertThat(attrs.path("http.request.method").asText()).as(tctx).isEqualTo("POST");
                assertThat(attrs.path("agentid.http.client").asText()).as(tctx).isEqualTo("java.net.http");
                assertThat(attrs.path("gen_ai.provider.name").asText()).as(tctx).isEqualTo("openai");
                assertThat(attrs.path("gen_ai.operation.name").asText()).as(tctx).isEqualTo("chat");
                assertThat(attrs.path("gen_ai.request.model").asText()).as(tctx).isEqualTo("gpt-4o-mini");
                assertThat(attrs.path("gen_ai.request.max_tokens").asText()).as(tctx).isEqualTo("512");
                assertThat(Double.parseDouble(attrs.path("agentid.cost.estimate_usd").asText("NaN"))).as(tctx)
                        .isPositive();
                // the usage the scripted server answered with: a token per four bytes of request, a fixed output
                assertThat(attrs.path("gen_ai.usage.input_tokens").asInt()).as(tctx)
                        .isEqualTo(attrs.path("http.request.body.size").asInt() / 4);
                assertThat(attrs.path("gen_ai.usage.output_tokens").asInt()).as(tctx).isIn(31, 18, 142, 21, 64);
                assertThat(Double.parseDouble(attrs.path("agentid.cost.actual_usd").asText("NaN"))).as(tctx).isPositive();
            }

            assertThat(inventoryCall).as(ctx).isNotNull();
            assertThat(inventoryCall.path("kind").asText()).isEqualTo("http");
            assertThat(inventoryCall.path("operation").asText()).isEqualTo("GET");
            assertThat(inventoryCall.path("decision").asText()).isEqualTo("allow");

            assertThat(upload).as(ctx).isNotNull();
            assertThat(upload.path("kind").asText()).isEqualTo("http");
            assertThat(upload.path("operation").asText()).isEqualTo("POST");
            assertThat(upload.path("targets").toString()).contains("127.0.0.2");
            assertThat(upload.path("decision").asText()).isEqualTo("deny");
            assertThat(upload.path("blocked").asBoolean()).isTrue();
            assertThat(upload.path("ruleId").asText()).isEqualTo("egress-allowlist");
            assertThat(upload.path("reason").asText()).isEqualTo("egress outside the allowlist");

            List<String> statements = new ArrayList<>();
            JsonNode drop = null;
            for (JsonNode c : sql) {
                statements.add(c.path("statement").asText());
                if (c.path("operation").asText().equals("DROP")) {
                    drop = c;
                } else {
                    assertThat(c.path("decision").asText()).as(ctx).isEqualTo("allow");
                }
            }
            assertThat(statements).as(ctx).containsExactlyInAnyOrder(
                    "SELECT id, item, sku, status, note FROM orders WHERE customer_id = ? ORDER BY id",
                    "DROP TABLE orders", "SELECT COUNT(*) FROM orders");
            assertThat(drop).as(ctx).isNotNull();
            assertThat(drop.path("decision").asText()).isEqualTo("deny");
            assertThat(drop.path("blocked").asBoolean()).isTrue();
            assertThat(drop.path("ruleId").asText()).isEqualTo("no-ddl");
            assertThat(drop.path("reason").asText()).isEqualTo("agents may not change the schema");

            JsonNode denied = Http.getJson(collector.api() + "/api/calls?decision=deny&agent=" + AGENT);
            List<String> deniedRules = new ArrayList<>();
            denied.path("calls").forEach(c -> deniedRules.add(c.path("ruleId").asText()));
            assertThat(deniedRules).as(denied.toPrettyString()).containsExactlyInAnyOrder("egress-allowlist", "no-ddl");

            collector.stop();
        }
    }
}
