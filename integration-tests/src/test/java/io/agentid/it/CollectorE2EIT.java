package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.agentid.it.support.CollectorProcess;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Http;
import io.agentid.it.support.Jvms;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The demo, end to end, as real processes on loopback: the collector (its jar), and the sample support agent (its
 * jar) with agentid.jar attached and examples/demo-policy.yaml, exporting to the collector over OTLP/HTTP. The
 * injected DROP and payroll read are blocked (the database proves it), and the review API shows every call the
 * agent made, with the right decisions, and nothing else.
 */
class CollectorE2EIT {
    private static final String AGENT = "support-agent";
    private static final String NO_DDL = "error: agentid: blocked by rule 'no-ddl': agents may not change the schema";
    private static final String PAYROLL = "error: agentid: blocked by rule 'payroll-off-limits': payroll data is not for agents";
    private static final Pattern EXPORTED = Pattern.compile("export: (\\d+) spans exported, (\\d+) allowed-call spans dropped"
            + " \\(queue full\\), (\\d+) denied-call spans dropped, (\\d+) spans failed to export");
    private static final Pattern RUN_SQL = Pattern.compile("^\\[step \\d+\\] tool=run_sql args=\\{\"sql\":\"(.*)\"\\}");
    private static final Pattern CREATED = Pattern.compile("-> ok: order (\\d+) created");

    @TempDir
    Path tmp;

    static Stream<Jvms.Jvm> jvms() {
        return Jvms.all().stream();
    }

    static Path root() {
        return Path.of(System.getProperty("agentid.root", "..")).toAbsolutePath().normalize();
    }

    static Path sampleJar() {
        Path jar = Path.of(System.getProperty("agentid.sample.jar", "../sample-agents/target/sample-agent.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("sample-agent.jar not found at " + jar.toAbsolutePath() + "; build it first");
        }
        return jar.toAbsolutePath();
    }

    record Run(int exitCode, String stdout, String stderr) {
        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- agent stdout\n" + stdout + "\n--- agent stderr\n" + stderr;
        }
    }

    /** {@code java -javaagent:agentid.jar=policy=examples/demo-policy.yaml,agent.id=support-agent -jar sample-agent.jar}. */
    private static Run runSampleAgent(Jvms.Jvm jvm, String otlpEndpoint, Path dbDir) throws IOException, InterruptedException {
        return runAgentJar(jvm, root().resolve("examples/demo-policy.yaml"), AGENT, sampleJar(), otlpEndpoint, dbDir);
    }

    /**
     * Runs a sample agent's jar with agentid attached ({@code policy}, {@code agentId}) and {@code --db-dir dbDir},
     * exporting to {@code otlpEndpoint}, with none of this JVM's agentid or OpenTelemetry settings; at most 120 s.
     */
    static Run runAgentJar(Jvms.Jvm jvm, Path policy, String agentId, Path jar, String otlpEndpoint, Path dbDir)
            throws IOException, InterruptedException {
        List<String> cmd = List.of(jvm.java().toString(), "-Xshare:auto",
                "-javaagent:" + Forked.agentJar() + "=policy=" + policy + ",agent.id=" + agentId,
                "-jar", jar.toString(), "--db-dir", dbDir.toString());
        Path out = Files.createTempFile("sample-agent", ".out");
        Path err = Files.createTempFile("sample-agent", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().keySet().removeIf(k -> k.startsWith("AGENTID_") || k.startsWith("OTEL_"));
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", otlpEndpoint);
            Process p = pb.start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(jar.getFileName() + " did not finish in 120 s: " + String.join(" ", cmd));
            }
            return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @ParameterizedTest(name = "agent on {0}")
    @MethodSource("jvms")
    void sampleAgentBlocksAndCollectorShowsEveryCall(Jvms.Jvm jvm) throws Exception {
        try (CollectorProcess collector = CollectorProcess.start(tmp.resolve("collector-data"))) {
            Path dbDir = tmp.resolve("db");
            Run run = runSampleAgent(jvm, collector.otlpHttpEndpoint(), dbDir);
            String ctx = run + "\n" + collector.describe();
            assertThat(run.exitCode()).as(ctx).isZero();

            // the tool results: exactly the two injected calls were blocked, with agentid's messages
            List<String> results = run.stdout().lines().filter(l -> l.startsWith("         -> "))
                    .map(l -> l.substring("         -> ".length())).toList();
            long steps = run.stdout().lines().filter(l -> l.startsWith("[step ")).count();
            assertThat(steps).as(ctx).isEqualTo(6);
            assertThat(results).as(ctx).hasSize(6);
            assertThat(results.stream().filter(r -> r.contains("agentid: blocked"))).as(ctx)
                    .containsExactly(NO_DDL, PAYROLL);
            assertThat(results.get(4)).as(ctx).isEqualTo(NO_DDL);
            assertThat(results.get(5)).as(ctx).isEqualTo(PAYROLL);
            assertThat(results.subList(0, 4)).as(ctx).noneMatch(r -> r.startsWith("error"));
            assertThat(run.stdout()).as(ctx)
                    .contains("summary: 6 tool calls: 4 succeeded, 2 blocked by agentid (steps 5, 6), 0 failed")
                    .contains("customers table intact: 6 rows")
                    .contains("payroll unread");
            Matcher created = CREATED.matcher(run.stdout());
            assertThat(created.find()).as(ctx).isTrue();
            long orderId = Long.parseLong(created.group(1));

            // the database is intact: read it back without agentid
            try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + dbDir.resolve("support"));
                    Statement s = c.createStatement()) {
                assertThat(scalar(s, "SELECT COUNT(*) FROM customers")).isEqualTo("6");
                assertThat(scalar(s, "SELECT name FROM customers WHERE id = 2")).isEqualTo("Grace Hopper");
                assertThat(scalar(s, "SELECT item FROM orders WHERE id = " + orderId + " AND customer_id = 2"))
                        .isEqualTo("USB-C cable");
                assertThat(scalar(s, "SELECT COUNT(*) FROM orders")).isEqualTo("5");
                assertThat(scalar(s, "SELECT COUNT(*) FROM hr.payroll")).isEqualTo("3");
            }

            // what agentid says it sent: every span, none dropped or failed
            Matcher exported = EXPORTED.matcher(run.stderr());
            assertThat(exported.find()).as("agentid's exit line\n" + ctx).isTrue();
            int spans = Integer.parseInt(exported.group(1));
            assertThat(List.of(exported.group(2), exported.group(3), exported.group(4))).as(ctx)
                    .containsOnly("0");
            // the six tool calls and the final check that customers still exists (SELECT COUNT(*) FROM customers)
            assertThat(spans).as(ctx).isEqualTo(7);

            String callsUrl = collector.api() + "/api/calls?agent=" + AGENT + "&limit=100";
            JsonNode calls = Http.pollJson(callsUrl, n -> n.path("count").asInt() >= spans, Duration.ofSeconds(30));
            ctx = ctx + "\n--- " + callsUrl + "\n" + calls.toPrettyString();
            assertThat(calls.path("count").asInt()).as(ctx).isEqualTo(spans);
            assertThat(calls.path("limit").asInt()).as(ctx).isEqualTo(100);
            assertThat(calls.path("calls")).as(ctx).hasSize(spans);

            // every call the agent made, by its SQL
            List<String> runSql = new ArrayList<>();
            run.stdout().lines().map(RUN_SQL::matcher).filter(Matcher::find).forEach(m -> runSql.add(m.group(1)));
            assertThat(runSql).as(ctx).containsExactly(
                    "SELECT status, COUNT(*) AS n FROM orders GROUP BY status ORDER BY status",
                    "DROP TABLE customers",
                    "SELECT * FROM hr.payroll");
            List<String> expected = new ArrayList<>(List.of(
                    "SELECT id, name, email FROM customers WHERE city = ? ORDER BY id",
                    "SELECT id, item, amount, status, note FROM orders WHERE customer_id = ? ORDER BY id",
                    // the literal 'new' of the sample's INSERT never leaves the process
                    "INSERT INTO orders (customer_id, item, amount, status) VALUES (?, ?, ?, ?)",
                    "SELECT COUNT(*) FROM customers"));
            expected.addAll(runSql);
            List<String> statements = new ArrayList<>();
            calls.path("calls").forEach(c -> statements.add(c.path("statement").asText()));
            assertThat(statements).as(ctx).containsExactlyInAnyOrderElementsOf(expected);

            JsonNode drop = null;
            JsonNode payroll = null;
            for (JsonNode c : calls.path("calls")) {
                assertThat(c.path("agent").asText()).as(ctx).isEqualTo(AGENT);
                assertThat(c.path("kind").asText()).as(ctx).isEqualTo("sql");
                assertThat(c.path("mode").asText()).as(ctx).isEqualTo("enforce");
                assertThat(c.path("policyVersion").asText()).as(ctx).matches("sha256:[0-9a-f]{16}");
                assertThat(c.path("traceId").asText()).as(ctx).matches("[0-9a-f]{32}");
                assertThat(c.path("spanId").asText()).as(ctx).matches("[0-9a-f]{16}");
                assertThat(c.path("service").asText()).as(ctx).isEqualTo(AGENT);
                String statement = c.path("statement").asText();
                if (statement.equals("DROP TABLE customers")) {
                    drop = c;
                } else if (statement.equals("SELECT * FROM hr.payroll")) {
                    payroll = c;
                } else {
                    assertThat(c.path("decision").asText()).as(statement + "\n" + ctx).isEqualTo("allow");
                    assertThat(c.path("blocked").asBoolean()).as(statement + "\n" + ctx).isFalse();
                    assertThat(c.path("ruleId").asText()).as(statement + "\n" + ctx).isEqualTo("default");
                }
            }
            assertThat(drop).as(ctx).isNotNull();
            assertThat(drop.path("decision").asText()).isEqualTo("deny");
            assertThat(drop.path("blocked").asBoolean()).isTrue();
            assertThat(drop.path("ruleId").asText()).isEqualTo("no-ddl");
            assertThat(drop.path("reason").asText()).isEqualTo("agents may not change the schema");
            assertThat(drop.path("operation").asText()).isEqualTo("DROP");
            assertThat(drop.path("targets").toString()).containsIgnoringCase("customers");
            assertThat(payroll).as(ctx).isNotNull();
            assertThat(payroll.path("decision").asText()).isEqualTo("deny");
            assertThat(payroll.path("blocked").asBoolean()).isTrue();
            assertThat(payroll.path("ruleId").asText()).isEqualTo("payroll-off-limits");
            assertThat(payroll.path("reason").asText()).isEqualTo("payroll data is not for agents");
            assertThat(payroll.path("operation").asText()).isEqualTo("SELECT");
            assertThat(payroll.path("targets").toString()).containsIgnoringCase("payroll");

            // the denials alone
            JsonNode denied = Http.getJson(collector.api() + "/api/calls?decision=deny&agent=" + AGENT);
            assertThat(denied.path("count").asInt()).as(denied.toPrettyString()).isEqualTo(2);
            List<String> deniedRules = new ArrayList<>();
            denied.path("calls").forEach(c -> deniedRules.add(c.path("ruleId").asText()));
            assertThat(deniedRules).containsExactlyInAnyOrder("no-ddl", "payroll-off-limits");

            // the DROP's trace, with the span's own attributes
            String traceId = drop.path("traceId").asText();
            JsonNode trace = Http.getJson(collector.api() + "/api/traces/" + traceId);
            String tctx = trace.toPrettyString();
            assertThat(trace.path("traceId").asText()).as(tctx).isEqualTo(traceId);
            assertThat(trace.path("spans")).as(tctx).hasSize(1);
            JsonNode span = trace.path("spans").get(0);
            assertThat(span.path("spanId").asText()).as(tctx).isEqualTo(drop.path("spanId").asText());
            assertThat(span.path("parentSpanId").asText()).as(tctx).isEmpty();
            assertThat(span.path("kind").asText()).as(tctx).isEqualTo("client");
            assertThat(span.path("status").path("code").asText()).as(tctx).isEqualTo("error");
            assertThat(span.path("status").path("message").asText()).as(tctx).contains("no-ddl");
            JsonNode attrs = span.path("attributes");
            assertThat(attrs.path("db.query.text").asText()).as(tctx).isEqualTo("DROP TABLE customers");
            assertThat(attrs.path("db.operation.name").asText()).as(tctx).isEqualTo("DROP");
            assertThat(attrs.path("db.system.name").asText()).as(tctx).isEqualTo("h2");
            assertThat(attrs.path("agentid.agent.id").asText()).as(tctx).isEqualTo(AGENT);
            assertThat(attrs.path("agentid.decision").asText()).as(tctx).isEqualTo("deny");
            assertThat(attrs.path("agentid.rule.id").asText()).as(tctx).isEqualTo("no-ddl");
            assertThat(attrs.path("agentid.reason").asText()).as(tctx).isEqualTo("agents may not change the schema");
            assertThat(span.path("events")).as(tctx).hasSize(1);
            assertThat(span.path("events").get(0).path("name").asText()).as(tctx).isEqualTo("agentid.blocked");
            assertThat(span.path("resource").path("service.name").asText()).as(tctx).isEqualTo(AGENT);
            assertThat(span.path("call").path("blocked").asBoolean()).as(tctx).isTrue();

            // the counts
            JsonNode stats = Http.getJson(collector.api() + "/api/stats");
            String sctx = stats.toPrettyString();
            assertThat(stats.path("calls").asInt()).as(sctx).isEqualTo(spans);
            assertThat(stats.path("denied").asInt()).as(sctx).isEqualTo(2);
            assertThat(group(stats, "byAgent", "agent", AGENT)).as(sctx).containsExactly(spans, 2);
            assertThat(group(stats, "byRule", "rule", "no-ddl")).as(sctx).containsExactly(1, 1);
            assertThat(group(stats, "byRule", "rule", "payroll-off-limits")).as(sctx).containsExactly(1, 1);

            // an orderly stop
            collector.stop();
        }
    }

    /** {calls, denied} of the group with this key, or an empty list when there is none. */
    static List<Integer> group(JsonNode stats, String field, String key, String value) {
        for (JsonNode g : stats.path(field)) {
            if (value.equals(g.path(key).asText())) {
                return List.of(g.path("calls").asInt(), g.path("denied").asInt());
            }
        }
        return List.of();
    }

    private static String scalar(Statement s, String sql) throws Exception {
        try (ResultSet rs = s.executeQuery(sql)) {
            assertThat(rs.next()).as(sql).isTrue();
            return rs.getString(1);
        }
    }
}
