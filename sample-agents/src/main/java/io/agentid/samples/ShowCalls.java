package io.agentid.samples;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Prints what the collector's review API recorded for one agent: how many calls were allowed and blocked, and
 * each call. Used by {@code demo.sh}, so that the demo needs nothing but a JDK (no curl, no jq).
 *
 * <p>Usage: {@code java -cp sample-agent.jar io.agentid.samples.ShowCalls <api-base-url> <agent-id>
 * [wait-seconds]}, e.g. {@code http://127.0.0.1:43123 support-agent 10}. It polls
 * {@code <api-base-url>/api/calls?agent=<agent-id>&limit=100} until the answer holds calls and stops growing,
 * for at most {@code wait-seconds} (default 10). Exit code 0 when it printed calls, 1 when there were none in
 * time or the API could not be read, 2 on a usage error.
 */
public final class ShowCalls {

    private ShowCalls() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length < 2 || args.length > 3) {
            System.err.println("usage: ShowCalls <api-base-url> <agent-id> [wait-seconds]");
            System.exit(2);
        }
        String base = args[0].endsWith("/") ? args[0].substring(0, args[0].length() - 1) : args[0];
        String agent = args[1];
        long waitMillis = (args.length == 3 ? Long.parseLong(args[2]) : 10) * 1000;
        URI uri = URI.create(base + "/api/calls?agent=" + URLEncoder.encode(agent, StandardCharsets.UTF_8) + "&limit=100");

        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + waitMillis * 1_000_000;
        List<Map<String, Object>> calls = List.of();
        String lastProblem = null;
        // Spans arrive in export batches: wait until some are there and a further poll finds no more.
        while (true) {
            try {
                List<Map<String, Object>> now = fetch(http, uri);
                lastProblem = null;
                if (!now.isEmpty() && now.size() == calls.size()) {
                    break;
                }
                calls = now;
            } catch (IOException | RuntimeException e) {
                lastProblem = e.getMessage();
            }
            if (System.nanoTime() > deadline) {
                break;
            }
            Thread.sleep(500);
        }
        if (calls.isEmpty()) {
            System.err.println("collector: no calls recorded for agent `" + agent + "` at " + uri + " after "
                    + waitMillis / 1000 + " s" + (lastProblem == null ? "" : " (last error: " + lastProblem + ")"));
            System.exit(1);
        }
        System.out.println(render(agent, calls));
    }

    static String render(String agent, List<Map<String, Object>> calls) {
        int allowed = 0;
        int blocked = 0;
        int wouldBlock = 0;
        StringBuilder lines = new StringBuilder();
        for (Map<String, Object> c : calls) {
            String decision = str(c, "decision");
            String label;
            if (decision.equals("deny")) {
                // a deny in monitor mode is recorded but not blocked
                boolean didBlock = c.get("blocked") instanceof Boolean b ? b : !"monitor".equals(str(c, "mode"));
                label = didBlock ? "BLOCKED " : "WOULD-BLOCK ";
                if (didBlock) {
                    blocked++;
                } else {
                    wouldBlock++;
                }
            } else {
                label = "allowed ";
                allowed++;
            }
            lines.append("\n  ").append(label).append(pad(str(c, "operation"), 8)).append(' ').append(str(c, "statement"));
            if (decision.equals("deny")) {
                lines.append("\n      rule '").append(str(c, "ruleId")).append("': ").append(str(c, "reason"));
            }
        }
        return "collector: " + calls.size() + " calls recorded for agent `" + agent + "`: " + allowed + " allowed, "
                + blocked + " blocked" + (wouldBlock == 0 ? "" : ", " + wouldBlock + " would be blocked (monitor)")
                + (calls.size() == 100 ? " (the first 100 shown)" : "") + lines;
    }

    private static List<Map<String, Object>> fetch(HttpClient http, URI uri) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        if (r.statusCode() != 200) {
            throw new IOException("HTTP " + r.statusCode() + " from " + uri);
        }
        return calls(r.body());
    }

    /** The {@code calls} array of the API's answer, each call a map. */
    @SuppressWarnings("unchecked")
    static List<Map<String, Object>> calls(String json) {
        Object root = new Json(json).document();
        if (!(root instanceof Map<?, ?> m) || !(m.get("calls") instanceof List<?> list)) {
            throw new IllegalArgumentException("expected {\"calls\":[...]}");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object o : list) {
            if (o instanceof Map<?, ?>) {
                out.add((Map<String, Object>) o);
            }
        }
        return out;
    }

    private static String str(Map<String, Object> m, String key) {
        Object v = m.get(key);
        return v == null ? "" : String.valueOf(v);
    }

    private static String pad(String s, int width) {
        return s.length() >= width ? s : s + " ".repeat(width - s.length());
    }

    /** A small strict JSON reader: objects to maps, arrays to lists, numbers to doubles. */
    static final class Json {
        private final String s;
        private int i;

        Json(String s) {
            this.s = s;
        }

        Object document() {
            Object v = value();
            space();
            if (i != s.length()) {
                throw error("trailing text");
            }
            return v;
        }

        private Object value() {
            space();
            if (i == s.length()) {
                throw error("unexpected end");
            }
            char c = s.charAt(i);
            switch (c) {
                case '{' -> {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    space();
                    if (peek('}')) {
                        return m;
                    }
                    do {
                        space();
                        String k = string();
                        space();
                        expect(':');
                        m.put(k, value());
                        space();
                    } while (peek(','));
                    expect('}');
                    return m;
                }
                case '[' -> {
                    i++;
                    List<Object> l = new ArrayList<>();
                    space();
                    if (peek(']')) {
                        return l;
                    }
                    do {
                        l.add(value());
                        space();
                    } while (peek(','));
                    expect(']');
                    return l;
                }
                case '"' -> {
                    return string();
                }
                default -> {
                    if (s.startsWith("true", i)) {
                        i += 4;
                        return Boolean.TRUE;
                    }
                    if (s.startsWith("false", i)) {
                        i += 5;
                        return Boolean.FALSE;
                    }
                    if (s.startsWith("null", i)) {
                        i += 4;
                        return null;
                    }
                    int start = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
                        i++;
                    }
                    if (start == i) {
                        throw error("unexpected `" + c + "`");
                    }
                    try {
                        return Double.parseDouble(s.substring(start, i));
                    } catch (NumberFormatException e) {
                        throw error("bad number");
                    }
                }
            }
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char c = s.charAt(i++);
                if (c == '"') {
                    return b.toString();
                }
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                if (i >= s.length()) {
                    throw error("unterminated string");
                }
                char e = s.charAt(i++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 't' -> b.append('\t');
                    case 'r' -> b.append('\r');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        if (i + 4 > s.length()) {
                            throw error("bad \\u escape");
                        }
                        b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                        i += 4;
                    }
                    default -> b.append(e); // \" \\ \/
                }
            }
        }

        private void space() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
                i++;
            }
        }

        private boolean peek(char c) {
            if (i < s.length() && s.charAt(i) == c) {
                i++;
                return true;
            }
            return false;
        }

        private void expect(char c) {
            if (!peek(c)) {
                throw error("expected `" + c + "`");
            }
        }

        private IllegalArgumentException error(String problem) {
            return new IllegalArgumentException("invalid json at offset " + i + ": " + problem);
        }
    }
}
