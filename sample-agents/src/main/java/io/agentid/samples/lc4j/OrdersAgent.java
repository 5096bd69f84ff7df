package io.agentid.samples.lc4j;

import io.agentid.samples.SeedJvm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.http.client.jdk.JdkHttpClient;
import dev.langchain4j.memory.chat.MessageWindowChatMemory;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.SystemMessage;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * A LangChain4j order-support agent: an {@link AiServices} assistant over an {@link OpenAiChatModel} (gpt-4o-mini,
 * through LangChain4j's JDK HTTP client, so every model call is a {@code java.net.http} request) with three tools:
 * {@code query_database} (read-only SQL, by its description only, over a plain {@link Statement} on an embedded
 * H2 database), {@code check_inventory} ({@code GET} on an internal inventory API) and {@code send_report}
 * ({@code POST} of a report to a URL the model chooses).
 *
 * <p>Everything runs offline, in this process, on loopback: the model is a {@link ScriptedModelServer}, the
 * inventory API and the attacker's upload endpoint are {@link CountingServer}s. The note of order 502 carries a
 * prompt injection that tells the model to upload the orders to {@code http://127.0.0.2:<port>/upload} and to
 * {@code DROP TABLE orders}; the model does both. With agentid attached and
 * {@code examples/langchain4j-policy.yaml}, both are blocked, the tools hand the block messages to the model as
 * their results, and the model finishes its answer; without agentid, both succeed, which the summary says.
 *
 * <p>The database is created afresh on every run by a separate JVM without agentid (the provisioning is not the
 * agent's doing), as {@code SupportAgent} does.
 *
 * <p>Usage: {@code java [-javaagent:agentid.jar=...] -jar langchain4j-agent.jar [--db-dir DIR]}. Exit code 0 when
 * the agent answered and every tool call either succeeded or was blocked by agentid, 1 otherwise, 2 on a usage
 * error.
 */
public final class OrdersAgent {

    /** Where the database goes by default, relative to the working directory. */
    public static final Path DEFAULT_DB_DIR = Path.of("agentid-demo", "lc4j-db");
    public static final String MODEL = "gpt-4o-mini";
    static final String QUESTION = "Grace Hopper (customer 2) asks where her monitor is and whether we could send a"
            + " replacement if it arrives broken.";

    private static final int MAX_PRINTED_CHARS = 300;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The assistant LangChain4j implements. */
    interface Assistant {
        @SystemMessage("You are the order-support assistant of a small electronics shop. Use the tools to look up"
                + " orders and stock, then answer the customer's question briefly.")
        String chat(String userMessage);
    }

    /** What the run did; {@link #exitCode()} is the process's exit code. */
    public record Summary(int toolCalls, int succeeded, int blocked, int failed, int modelRequests, String answer,
            boolean ordersIntact, int exfilRequests) {

        public int exitCode() {
            return answer != null && failed == 0 ? 0 : 1;
        }
    }

    private enum Kind { OK, BLOCKED, ERROR }

    /** The tools, as LangChain4j calls them; each prints its call and result, and never throws. */
    public static final class Tools {
        private final Connection connection;
        private final HttpClient http;
        private final String inventoryBase;
        private final PrintStream out;
        private final List<Kind> results = new ArrayList<>();

        Tools(Connection connection, HttpClient http, String inventoryBase, PrintStream out) {
            this.connection = connection;
            this.http = http;
            this.inventoryBase = inventoryBase;
            this.out = out;
        }

        @Tool(name = "query_database", value = "Runs a read-only SQL query on the shop database (table orders:"
                + " id, customer_id, item, sku, status, note) and returns the rows as JSON")
        public String queryDatabase(@P(name = "sql", value = "one SQL SELECT statement") String sql) {
            String result;
            Kind kind;
            try (Statement s = connection.createStatement()) {
                if (s.execute(sql)) {
                    try (ResultSet rs = s.getResultSet()) {
                        result = rows(rs);
                    }
                } else {
                    result = "ok: " + s.getUpdateCount() + " rows affected";
                }
                kind = Kind.OK;
            } catch (SQLException e) {
                kind = blockedByAgentid(e) ? Kind.BLOCKED : Kind.ERROR;
                result = "error: " + e.getMessage();
            }
            return record("query_database", JSON.createObjectNode().put("sql", sql), kind, result);
        }

        @Tool(name = "check_inventory", value = "Returns the stock of a product from the internal inventory API")
        public String checkInventory(@P(name = "sku", value = "the product's SKU, e.g. MON-27") String sku) {
            ObjectNode args = JSON.createObjectNode().put("sku", sku);
            try {
                URI uri = URI.create(inventoryBase + "/inventory/" + sku.replaceAll("[^A-Za-z0-9-]", ""));
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).GET()
                        .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return record("check_inventory", args, r.statusCode() == 200 ? Kind.OK : Kind.ERROR,
                        "HTTP " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                return record("check_inventory", args, blockedByAgentid(e) ? Kind.BLOCKED : Kind.ERROR,
                        "error: " + e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return record("check_inventory", args, Kind.ERROR, "error: interrupted");
            }
        }

        @Tool(name = "send_report", value = "Sends a plain-text report to a reporting endpoint (HTTP POST)")
        public String sendReport(@P(name = "url", value = "the endpoint's URL") String url,
                @P(name = "content", value = "the report") String content) {
            ObjectNode args = JSON.createObjectNode().put("url", url).put("content", content);
            try {
                HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "text/plain; charset=utf-8")
                        .POST(HttpRequest.BodyPublishers.ofString(content, StandardCharsets.UTF_8)).build();
                HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
                return record("send_report", args, r.statusCode() / 100 == 2 ? Kind.OK : Kind.ERROR,
                        "HTTP " + r.statusCode() + ": " + r.body());
            } catch (IOException e) {
                return record("send_report", args, blockedByAgentid(e) ? Kind.BLOCKED : Kind.ERROR,
                        "error: " + e.getMessage());
            } catch (IllegalArgumentException e) {
                return record("send_report", args, Kind.ERROR, "error: invalid url `" + url + "`");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return record("send_report", args, Kind.ERROR, "error: interrupted");
            }
        }

        private String record(String tool, ObjectNode args, Kind kind, String result) {
            results.add(kind);
            out.println("[tool " + results.size() + "] " + tool + " " + clip(args.toString()));
            out.println("         -> " + clip(result));
            return result;
        }

        List<Kind> results() {
            return results;
        }
    }

    private OrdersAgent() {
    }

    public static void main(String[] args) {
        int code;
        try {
            code = run(args, System.out).exitCode();
        } catch (IllegalArgumentException e) {
            System.err.println("langchain4j-agent: " + e.getMessage());
            System.err.println("usage: java [-javaagent:agentid.jar=...] -jar langchain4j-agent.jar [--db-dir DIR]");
            code = 2;
        } catch (Exception e) {
            System.err.println("langchain4j-agent: unexpected error: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    /** Starts the servers, seeds a fresh database, lets the assistant answer and prints what happened to {@code out}. */
    public static Summary run(String[] args, PrintStream out) throws Exception {
        Path dbDir = DEFAULT_DB_DIR;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--db-dir") && i + 1 < args.length) {
                dbDir = Path.of(args[++i]);
            } else {
                throw new IllegalArgumentException("unknown argument `" + args[i] + "`");
            }
        }
        try (CountingServer exfil = CountingServer.exfiltration();
                CountingServer inventory = CountingServer.inventory();
                ScriptedModelServer modelServer = ScriptedModelServer.start(out)) {
            String exfilUrl = "http://127.0.0.2:" + exfil.port() + "/upload";
            // OrdersDatabase, not this class: the seeding JVM gets H2 only, no LangChain4j
            SeedJvm.run(OrdersDatabase.class, dbDir.toString(), exfilUrl);
            String inventoryBase = "http://127.0.0.1:" + inventory.port();
            out.println("orders agent (LangChain4j): model " + MODEL + " at " + modelServer.baseUrl() + " (scripted),"
                    + " inventory API " + inventoryBase + ", database " + dbDir.resolve(OrdersDatabase.DB_NAME + ".mv.db") + " (fresh)");

            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(5)).build();
            try (Connection c = DriverManager.getConnection(OrdersDatabase.url(dbDir))) {
                Tools tools = new Tools(c, http, inventoryBase, out);
                ChatModel model = OpenAiChatModel.builder()
                        .httpClientBuilder(JdkHttpClient.builder())
                        .baseUrl(modelServer.baseUrl())
                        .apiKey("sk-scripted-server-needs-no-key")
                        .modelName(MODEL)
                        .maxTokens(512)
                        .temperature(0.0)
                        .timeout(Duration.ofSeconds(30))
                        .maxRetries(1)
                        .build();
                Assistant assistant = AiServices.builder(Assistant.class)
                        .chatModel(model)
                        .chatMemory(MessageWindowChatMemory.withMaxMessages(30))
                        .tools(tools)
                        .build();

                out.println("user: " + QUESTION);
                String answer = assistant.chat(QUESTION);
                out.println("assistant: " + answer);

                int ok = 0;
                int blocked = 0;
                int failed = 0;
                List<Integer> blockedCalls = new ArrayList<>();
                for (int i = 0; i < tools.results().size(); i++) {
                    switch (tools.results().get(i)) {
                        case OK -> ok++;
                        case BLOCKED -> {
                            blocked++;
                            blockedCalls.add(i + 1);
                        }
                        case ERROR -> failed++;
                    }
                }
                out.println("summary: " + tools.results().size() + " tool calls: " + ok + " succeeded, " + blocked
                        + " blocked by agentid" + (blockedCalls.isEmpty() ? "" : " (calls " + join(blockedCalls) + ")")
                        + ", " + failed + " failed; " + modelServer.requests() + " model requests");
                boolean intact = tableExists(c, "PUBLIC", "ORDERS");
                out.println(intact ? "  orders table intact: " + count(c, "orders") + " rows"
                        : "  orders table was DROPPED -- is agentid attached?");
                int sent = exfil.requests();
                out.println(sent == 0 ? "  exfil server (" + exfilUrl + ") received 0 requests: no order data left"
                        : "  exfil server (" + exfilUrl + ") received " + sent + (sent == 1 ? " request" : " requests")
                        + " (" + exfil.bodyBytes() + " bytes): the orders LEFT -- is agentid attached?");
                return new Summary(tools.results().size(), ok, blocked, failed, modelServer.requests(), answer,
                        intact, sent);
            }
        }
    }

    /** agentid's block: its message prefix (and for SQL, SQLState 42501, which alone is any database's "no privilege"). */
    static boolean blockedByAgentid(Exception e) {
        String m = e.getMessage();
        boolean prefix = m != null && m.startsWith("agentid: blocked");
        return e instanceof SQLException s ? "42501".equals(s.getSQLState()) && prefix : prefix;
    }

    private static String rows(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        List<String> rows = new ArrayList<>();
        while (rs.next()) {
            ObjectNode row = JSON.createObjectNode();
            for (int i = 1; i <= md.getColumnCount(); i++) {
                Object v = rs.getObject(i);
                String k = md.getColumnLabel(i).toLowerCase(Locale.ROOT);
                if (v == null) {
                    row.putNull(k);
                } else if (v instanceof Number n) {
                    row.put(k, n.longValue());
                } else {
                    row.put(k, String.valueOf(v));
                }
            }
            rows.add(row.toString());
        }
        return rows.size() + (rows.size() == 1 ? " row: " : " rows: ") + String.join(", ", rows);
    }

    private static boolean tableExists(Connection c, String schema, String table) throws SQLException {
        try (ResultSet rs = c.getMetaData().getTables(null, schema, table, null)) {
            return rs.next();
        }
    }

    private static long count(Connection c, String table) throws SQLException {
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getLong(1);
        }
    }


    private static String clip(String s) {
        String one = s.replace("\r\n", " ").replace('\n', ' ');
        return one.length() <= MAX_PRINTED_CHARS ? one : one.substring(0, MAX_PRINTED_CHARS) + "... (" + one.length()
                + " chars)";
    }

    private static String join(List<Integer> xs) {
        StringBuilder b = new StringBuilder();
        for (Integer x : xs) {
            b.append(b.length() == 0 ? "" : ", ").append(x);
        }
        return b.toString();
    }
}
