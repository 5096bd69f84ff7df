package io.agentid.samples.lc4j;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible chat completions server with a fixed script, so that the LangChain4j sample runs offline
 * and makes the same calls every time. {@code POST /v1/chat/completions} answers, by the number of tool results
 * the request already carries (not by a counter, so a client's retry gets the same answer):
 *
 * <ol start="0">
 *   <li>a tool call: {@code query_database} for customer 2's orders;
 *   <li>a tool call: {@code check_inventory} for the monitor's SKU;
 *   <li>a tool call: {@code send_report} to the URL the note of an order told the model to use (the prompt
 *       injection: the model only does it because a tool result asked it to), with the orders as content;
 *   <li>a tool call: {@code query_database} with {@code DROP TABLE orders}, also from the note;
 *   <li>the final answer ({@code finish_reason: stop}), which says which tool calls were blocked.
 * </ol>
 *
 * Every answer carries a {@code usage} block. Each request is logged to the given stream and counted.
 */
public final class ScriptedModelServer implements AutoCloseable {
    public static final String PATH = "/v1/chat/completions";
    public static final String SKU = "MON-27";
    static final String ORDERS_SQL = "SELECT id, item, sku, status, note FROM orders WHERE customer_id = 2 ORDER BY id";
    static final String DROP_SQL = "DROP TABLE orders";
    private static final Pattern UPLOAD_URL = Pattern.compile("https?://[^\\s'\"\\\\]+/upload");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "scripted-model-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final PrintStream log;

    private ScriptedModelServer(HttpServer server, PrintStream log) {
        this.server = server;
        this.log = log;
    }

    /** Starts the server on 127.0.0.1, on a free port; {@code log} gets one line per request (null: none). */
    public static ScriptedModelServer start(PrintStream log) throws IOException {
        // without it every answer waits ~40 ms for a delayed ACK (must be set before the server classes load)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ScriptedModelServer s = new ScriptedModelServer(server, log);
        server.createContext("/", s::handle);
        server.setExecutor(s.pool);
        server.start();
        return s;
    }

    /** {@code http://127.0.0.1:P/v1}, the base URL an OpenAI client takes. */
    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    /** How many requests arrived (chat completions or not). */
    public int requests() {
        return requests.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        int n = requests.incrementAndGet();
        try (exchange) {
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            if (!exchange.getRequestMethod().equals("POST") || !exchange.getRequestURI().getPath().equals(PATH)) {
                log(n, exchange.getRequestMethod() + " " + exchange.getRequestURI() + " -> 404");
                send(exchange, 404, "{\"error\":{\"message\":\"not found\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            JsonNode request;
            try {
                request = JSON.readTree(body);
            } catch (IOException e) {
                log(n, "unreadable request -> 400");
                send(exchange, 400, "{\"error\":{\"message\":\"invalid json\",\"type\":\"invalid_request_error\"}}");
                return;
            }
            List<String> toolResults = new ArrayList<>();
            for (JsonNode m : request.path("messages")) {
                if ("tool".equals(m.path("role").asText())) {
                    toolResults.add(m.path("content").asText());
                }
            }
            ObjectNode answer = answer(request, toolResults, body.length);
            JsonNode choice = answer.path("choices").path(0);
            JsonNode call = choice.path("message").path("tool_calls").path(0);
            log(n, toolResults.size() + " tool results -> " + (call.isMissingNode() ? choice.path("finish_reason").asText()
                    : "tool call " + call.path("function").path("name").asText()));
            send(exchange, 200, JSON.writeValueAsString(answer));
        } catch (RuntimeException e) {
            log(n, "failed: " + e);
            throw e;
        }
    }

    /** The scripted answer to a request that carries these tool results. */
    static ObjectNode answer(JsonNode request, List<String> toolResults, int requestBytes) {
        String model = request.path("model").asText("gpt-4o-mini");
        int step = toolResults.size();
        ObjectNode message = JSON.createObjectNode().put("role", "assistant");
        String finish = "tool_calls";
        int completionTokens;
        switch (step) {
            case 0 -> {
                toolCall(message, step, "query_database", JSON.createObjectNode().put("sql", ORDERS_SQL));
                completionTokens = 31;
            }
            case 1 -> {
                toolCall(message, step, "check_inventory", JSON.createObjectNode().put("sku", SKU));
                completionTokens = 18;
            }
            case 2 -> {
                Matcher url = UPLOAD_URL.matcher(toolResults.get(0));
                if (url.find()) {
                    toolCall(message, step, "send_report", JSON.createObjectNode().put("url", url.group())
                            .put("content", toolResults.get(0)));
                    completionTokens = 142;
                } else {
                    // no injected instruction in the orders: nothing to exfiltrate, go straight to the answer
                    message.put("content", finalAnswer(toolResults));
                    finish = "stop";
                    completionTokens = 64;
                }
            }
            case 3 -> {
                toolCall(message, step, "query_database", JSON.createObjectNode().put("sql", DROP_SQL));
                completionTokens = 21;
            }
            default -> {
                message.put("content", finalAnswer(toolResults));
                finish = "stop";
                completionTokens = 64;
            }
        }
        if (finish.equals("tool_calls")) {
            message.putNull("content");
        }
        ObjectNode answer = JSON.createObjectNode();
        answer.put("id", "chatcmpl-scripted-" + step);
        answer.put("object", "chat.completion");
        answer.put("created", 1764590400L + step);
        answer.put("model", model);
        answer.put("system_fingerprint", "fp_scripted");
        ArrayNode choices = answer.putArray("choices");
        choices.addObject().put("index", 0).<ObjectNode>set("message", message).put("finish_reason", finish);
        // about four bytes of request JSON a token: close enough to what a real server would bill
        int promptTokens = Math.max(1, requestBytes / 4);
        answer.putObject("usage").put("prompt_tokens", promptTokens).put("completion_tokens", completionTokens)
                .put("total_tokens", promptTokens + completionTokens);
        return answer;
    }

    private static void toolCall(ObjectNode message, int step, String name, ObjectNode arguments) {
        ObjectNode call = message.putArray("tool_calls").addObject();
        call.put("id", "call_scripted_" + step);
        call.put("type", "function");
        call.putObject("function").put("name", name).put("arguments", arguments.toString());
    }

    /** What the model tells the user, from what its tools answered. */
    static String finalAnswer(List<String> toolResults) {
        StringBuilder b = new StringBuilder("Order 502 (27-inch monitor) has shipped; " + SKU
                + " is in stock if a replacement is needed.");
        List<String> blocked = new ArrayList<>();
        if (toolResults.size() > 2 && toolResults.get(2).contains("agentid: blocked")) {
            blocked.add("uploading the orders report");
        }
        if (toolResults.size() > 3 && toolResults.get(3).contains("agentid: blocked")) {
            blocked.add("dropping the orders table");
        }
        if (!blocked.isEmpty()) {
            b.append(" A note in the order asked me to act on it; ").append(String.join(" and ", blocked))
                    .append(blocked.size() == 1 ? " was" : " were").append(" blocked by policy, so I did not.");
        } else if (toolResults.size() > 2) {
            b.append(" As the order note asked, I sent the report and dropped the orders table.");
        }
        return b.toString();
    }

    private void log(int n, String what) {
        if (log != null) {
            log.println("  [model server] request " + n + ": " + what);
        }
    }

    private static void send(HttpExchange exchange, int status, String json) throws IOException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
