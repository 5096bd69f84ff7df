package io.agentid.it.apps;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * {@code java.net.http.HttpClient} asking for HTTP/2 against {@code Http2IT}'s Jetty server: h2 over TLS (ALPN) and
 * h2c (cleartext, the client's {@code Upgrade: h2c}), {@code send} and {@code sendAsync}, allowed ({@code 127.0.0.1})
 * and denied ({@code localhost}, by http-guardrails.yaml). Prints {@code step.<name>=ok <status> <body> <version>}
 * or {@code step.<name>=blocked <exception class> <message>}; for {@code sendAsync},
 * {@code future.<name>=failed} when the returned future had already failed (nothing was scheduled).
 *
 * <p>Arguments: the TLS port and the cleartext port. Run with the server's trust store as
 * {@code javax.net.ssl.trustStore}.
 */
public final class Http2App {
    public static void main(String[] args) throws Exception {
        String tls = "https://127.0.0.1:" + Integer.parseInt(args[0]);
        String tlsLocal = "https://localhost:" + Integer.parseInt(args[0]);
        String clear = "http://127.0.0.1:" + Integer.parseInt(args[1]);
        String clearLocal = "http://localhost:" + Integer.parseInt(args[1]);
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(10)).build();
        step("h2_send", () -> send(client, get(tls + "/h2-send")));
        step("h2_async", () -> async("h2_async", client, get(tls + "/h2-async")));
        step("h2_post", () -> send(client, HttpRequest.newBuilder(URI.create(tls + "/h2-post"))
                .POST(HttpRequest.BodyPublishers.ofString("hello world")).build()));
        step("h2_denied", () -> send(client, get(tlsLocal + "/h2-denied")));
        step("h2_async_denied", () -> async("h2_async_denied", client, get(tlsLocal + "/h2-async-denied")));
        // cleartext: the first request upgrades the connection (Upgrade: h2c), the next one is h2 from the start
        step("h2c_send", () -> send(client, get(clear + "/h2c-send")));
        step("h2c_async", () -> async("h2c_async", client, get(clear + "/h2c-async")));
        step("h2c_denied", () -> send(client, get(clearLocal + "/h2c-denied")));
        step("h2c_async_denied", () -> async("h2c_async_denied", client, get(clearLocal + "/h2c-async-denied")));
        System.out.println("done=true");
    }

    private interface Step {
        String run() throws Exception;
    }

    private static void step(String name, Step step) {
        String outcome;
        try {
            outcome = "ok " + step.run();
        } catch (IOException e) {
            outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
        } catch (Exception e) {
            outcome = "error " + e;
        }
        System.out.println("step." + name + "=" + outcome);
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).timeout(Duration.ofSeconds(20)).build();
    }

    private static String describe(HttpResponse<String> r) {
        return r.statusCode() + " " + r.body() + " " + r.version();
    }

    private static String send(HttpClient client, HttpRequest request) throws Exception {
        return describe(client.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static String async(String name, HttpClient client, HttpRequest request) throws Exception {
        CompletableFuture<HttpResponse<String>> f = client.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        if (f.isCompletedExceptionally()) {
            System.out.println("future." + name + "=failed");
        }
        try {
            return describe(f.get(30, TimeUnit.SECONDS));
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw e;
        }
    }
}
