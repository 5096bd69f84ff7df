package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.JdbcApp;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The whole in-JVM path with real drivers: a forked JVM runs {@link JdbcApp} with agentid.jar attached and the
 * guardrails policy; every forbidden call must be stopped before the driver sees it (the data proves it),
 * every allowed call must go through, and every call must arrive at a real OTLP receiver as exactly one span.
 */
class JdbcGuardrailsIT {
    private static final String NO_DDL = "blocked 42501 agentid: blocked by rule 'no-ddl': agents may not change the schema"
            + " class=java.sql.SQLException";
    private static final String PAYROLL = "blocked 42501 agentid: blocked by rule 'payroll-off-limits': payroll data is"
            + " not for agents class=java.sql.SQLException";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres postgres;

    @TempDir
    Path tmp;

    @BeforeAll
    static void startPostgres() throws Exception {
        postgres = EmbeddedPostgres.builder().start();
    }

    @AfterAll
    static void stopPostgres() throws Exception {
        if (postgres != null) {
            postgres.close();
        }
    }

    static Stream<Arguments> runs() {
        List<Arguments> out = new ArrayList<>();
        for (Jvms.Jvm jvm : Jvms.all()) {
            for (String db : List.of("h2", "sqlite", "postgresql")) {
                out.add(Arguments.of(jvm, db));
            }
        }
        return out.stream();
    }

    private String url(String db) throws Exception {
        int n = DATABASES.incrementAndGet();
        String url;
        switch (db) {
            case "h2":
                url = "jdbc:h2:file:" + tmp.resolve("it" + n) + ";USER=sa;PASSWORD=s3cret";
                break;
            case "sqlite":
                url = "jdbc:sqlite:" + tmp.resolve("it" + n + ".db");
                break;
            default:
                try (Connection c = postgres.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
                    s.execute("CREATE DATABASE it" + n);
                }
                url = "jdbc:postgresql://localhost:" + postgres.getPort() + "/it" + n + "?user=postgres&password=s3cret";
        }
        JdbcApp.setUp(db, url);
        return url;
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("runs")
    void guardsEveryJdbcCall(Jvms.Jvm jvm, String db) throws Exception {
        try (OtlpSink sink = new OtlpSink()) {
            String url = url(db);
            Forked.Result r = Forked.of(jvm, JdbcApp.class)
                    .agent("policy=" + Policies.path("guardrails.yaml") + ",agent.id=billing-agent")
                    .exportTo(sink)
                    .args(db, url)
                    .run()
                    .assertSucceeded();

            // allowed calls went through
            assertThat(r.value("step.select_customers")).as(r.toString()).isEqualTo("ok rows 2");
            assertThat(r.value("step.prepared_select")).as(r.toString()).isEqualTo("ok name ada");
            assertThat(r.value("step.insert_generated_keys")).as(r.toString()).startsWith("ok");
            assertThat(r.value("step.batch_allowed")).as(r.toString()).isEqualTo("ok 2");
            assertThat(r.value("step.prepared_batch")).as(r.toString()).isEqualTo("ok 3");

            // forbidden calls were blocked with the documented exception
            for (String step : List.of("drop_customers", "execute_overload_drop", "multi_statement", "comments_case_quotes")) {
                assertThat(r.value("step." + step)).as(step + "\n" + r).isEqualTo(NO_DDL);
            }
            for (String step : List.of("delete_payroll", "quoted_schema", "join", "subquery", "cte", "insert_select",
                    "prepared_payroll", "prepared_update_payroll", "batch_blocked")) {
                assertThat(r.value("step." + step)).as(step + "\n" + r).isEqualTo(PAYROLL);
            }
            assertThat(r.value("step.unanalysable")).as(r.toString())
                    .startsWith("blocked 42501 agentid: blocked by rule 'unanalysable-sql': ");
            if (!db.equals("sqlite")) {
                for (String step : List.of("large_update_salaries", "callable_payroll", "prepared_large_batch_payroll",
                        "unqualified_after_set_schema", "unqualified_after_setSchema", "use_then_read_in_one_call",
                        "pool_select_payroll")) {
                    assertThat(r.value("step." + step)).as(step + "\n" + r).isEqualTo(PAYROLL);
                }
                assertThat(r.value("step.set_schema_sql")).as(r.toString()).startsWith("ok");
                assertThat(r.value("step.unqualified_after_setSchema_back")).as(r.toString()).startsWith("ok");
                assertThat(r.value("step.pool_prepared_select")).as(r.toString()).isEqualTo("ok name grace");
                assertThat(r.value("step.pool_drop")).as(r.toString()).isEqualTo(NO_DDL);
            }

            // nothing forbidden reached the database: read back without agentid
            assertThat(JdbcApp.checks(db, url)).as(r.toString())
                    .containsEntry("customers", "2")
                    .containsEntry("payroll_sum", "12000")
                    .containsEntry("salaries_sum", "100")
                    .containsEntry("orders", "6");

            // one span per guarded call, no more, no less
            int calls = Integer.parseInt(r.value("calls"));
            assertThat(sink.spans()).extracting(s -> s.attr("db.query.text")).as(r.toString()).hasSize(calls);
            assertThat(sink.spans()).allSatisfy(s -> {
                assertThat(s.kind()).isEqualTo("SPAN_KIND_CLIENT");
                assertThat(s.attr("agentid.agent.id")).isEqualTo("billing-agent");
                assertThat(s.attr("agentid.policy.version")).matches("sha256:[0-9a-f]{16}");
                assertThat(s.attr("agentid.mode")).isEqualTo("enforce");
                assertThat(s.attr("db.system.name")).isEqualTo(db);
                assertThat(s.resource()).containsEntry("service.name", "billing-agent")
                        .containsEntry("agentid.agent.id", "billing-agent");
            });

            SpanRecord drop = only(sink.query("DROP TABLE customers"));
            assertThat(drop.attr("agentid.decision")).isEqualTo("deny");
            assertThat(drop.attr("agentid.rule.id")).isEqualTo("no-ddl");
            assertThat(drop.attr("agentid.reason")).isEqualTo("agents may not change the schema");
            assertThat(drop.attr("db.operation.name")).isEqualTo("DROP");
            assertThat(drop.statusCode()).isEqualTo("STATUS_CODE_ERROR");
            assertThat(drop.events()).containsExactly("agentid.blocked");

            SpanRecord select = only(sink.query("SELECT id, name FROM customers"));
            assertThat(select.attr("agentid.decision")).isEqualTo("allow");
            assertThat(select.attr("agentid.rule.id")).isEqualTo("default");
            assertThat(select.attr("db.operation.name")).isEqualTo("SELECT");
            assertThat(select.attr("db.collection.name")).endsWith("customers");
            assertThat(select.statusCode()).isEqualTo("STATUS_CODE_UNSET");
            assertThat(select.events()).isEmpty();

            // literals never leave the process; prepared statements and batches carry their SQL
            assertThat(sink.spans()).noneSatisfy(s -> assertThat(s.attr("db.query.text")).contains("book"));
            List<SpanRecord> inserts = sink.query("INSERT INTO orders (id, item) VALUES (?, ?)");
            assertThat(inserts).extracting(s -> s.attr("db.operation.batch.size")).containsExactlyInAnyOrder(null, "3");
            int expectedPrepared = db.equals("sqlite") ? 1 : 2; // direct and through the pool
            assertThat(sink.query("SELECT name FROM customers WHERE id = ?")).hasSize(expectedPrepared);

            SpanRecord join = only(sink.query("SELECT c.name FROM customers c JOIN payroll p ON p.id = c.id"));
            assertThat(join.attributes().get("agentid.sql.tables").toString()).contains("customers", "payroll");
            if (db.equals("postgresql")) {
                assertThat(select.attr("server.address")).isEqualTo("localhost");
                assertThat(select.attr("server.port")).isEqualTo(String.valueOf(postgres.getPort()));
            }
            assertThat(sink.spans()).noneSatisfy(s -> assertThat(String.valueOf(s.attr("agentid.db.url"))).contains("s3cret"));
        }
    }

    private static SpanRecord only(List<SpanRecord> spans) {
        assertThat(spans).hasSize(1);
        return spans.get(0);
    }

}
