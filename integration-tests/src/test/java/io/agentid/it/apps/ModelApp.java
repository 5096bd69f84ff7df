package io.agentid.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Calls an OpenAI-compatible chat completions endpoint on loopback with both JDK clients: a cheap call to an
 * allowed model, an expensive one (a huge {@code max_tokens} on an expensive model) and one to a model the policy
 * does not allow; {@code HttpURLConnection} twice, its response asked for with {@code getResponseCode()} first
 * ({@code url_}) and with a bare {@code getInputStream()} ({@code urlbare_}). Prints {@code step.<name>=ok <status> <body as base64>} or
 * {@code step.<name>=blocked <exception class> <message>}. Each step has its own path prefix
 * ({@code /<step>/v1/chat/completions}), so the server counts them apart. Argument: the server's port.
 */
public final class ModelApp {
    /** The steps: name, model, max_tokens. */
    public static final String[][] STEPS = {
        {"jdk_cheap", "gpt-4o-mini", "50"},
        {"jdk_expensive", "o1", "100000"},
        {"jdk_disallowed", "gpt-4o", "10"},
        {"url_cheap", "gpt-4o-mini", "50"},
        {"url_expensive", "o1", "100000"},
        {"url_disallowed", "gpt-4o", "10"},
        {"urlbare_cheap", "gpt-4o-mini", "50"},
        {"urlbare_expensive", "o1", "100000"},
        {"urlbare_disallowed", "gpt-4o", "10"},
    };

    public static String path(String step) {
        return "/" + step + "/v1/chat/completions";
    }

    /** The request body each step sends. */
    public static String body(String model, int maxTokens) {
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Name three prime numbers and say why 1 is not one of them.\"}]}";
    }

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        HttpClient client = HttpClient.newHttpClient();
        for (String[] s : STEPS) {
            String name = s[0];
            String body = body(s[1], Integer.parseInt(s[2]));
            String outcome;
            try {
                outcome = name.startsWith("jdk_") ? jdk(client, base + path(name), body)
                        : url(base + path(name), body, name.startsWith("urlbare_"));
            } catch (IOException e) {
                outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
            }
            System.out.println("step." + name + "=" + outcome);
        }
        System.out.println("done=true");
    }

    private static String jdk(HttpClient client, String uri, String body) throws IOException, InterruptedException {
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(uri))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        return "ok " + r.statusCode() + " " + b64(r.body().getBytes(StandardCharsets.UTF_8));
    }

    /** {@code bare}: the answer read with {@code getInputStream()} alone, its status asked for only after. */
    private static String url(String uri, String body, boolean bare) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(uri).openConnection();
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            out.write(body.getBytes(StandardCharsets.UTF_8));
        }
        if (bare) {
            byte[] read;
            try (InputStream in = c.getInputStream()) {
                read = in.readAllBytes();
            }
            return "ok " + c.getResponseCode() + " " + b64(read);
        }
        int status = c.getResponseCode();
        try (InputStream in = c.getInputStream()) {
            return "ok " + status + " " + b64(in.readAllBytes());
        }
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
