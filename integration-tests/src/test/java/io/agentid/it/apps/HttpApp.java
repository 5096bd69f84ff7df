package io.agentid.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URL;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Makes allowed and denied HTTP requests with both JDK clients against {@code CountingHttpServer} on loopback,
 * and prints each outcome as {@code step.<name>=ok <status> <body>} or
 * {@code step.<name>=blocked <exception class> <message>}. {@code 127.0.0.1} and {@code localhost} are the
 * same server but two hosts to the policy (http-guardrails.yaml denies {@code localhost} and DELETE).
 *
 * <p>Arguments: the server's HTTP port and HTTPS port. Run with the server's trust store as
 * {@code javax.net.ssl.trustStore}, and the JDK's switches that allow a {@code Host} header.
 */
public final class HttpApp {
    private static final String SECRET_HEADERS_AUTH = "Bearer auth-secret-value";
    /** The application's own trace context, which agentid must leave alone. */
    public static final String OWN_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private static String http;
    private static String httpLocal;
    private static String https;
    private static String httpsLocal;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int tlsPort = Integer.parseInt(args[1]);
        http = "http://127.0.0.1:" + port;
        httpLocal = "http://localhost:" + port;
        https = "https://127.0.0.1:" + tlsPort;
        httpsLocal = "https://localhost:" + tlsPort;
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .connectTimeout(Duration.ofSeconds(10)).build();
        if (args.length > 2 && args[2].equals("cancel")) {
            cancelInFlight(client);
            return;
        }

        // java.net.http.HttpClient
        step("jdk_get", () -> send(client, get(http + "/jdk-get")));
        step("jdk_post", () -> send(client, HttpRequest.newBuilder(URI.create(http + "/jdk-post"))
                .POST(HttpRequest.BodyPublishers.ofString("hello world")).build()));
        step("jdk_async_get", () -> async(client, get(http + "/jdk-async-get")));
        step("jdk_denied", () -> send(client, get(httpLocal + "/jdk-denied")));
        step("jdk_async_denied", () -> async(client, get(httpLocal + "/jdk-async-denied")));
        step("jdk_post_denied", () -> send(client, HttpRequest.newBuilder(URI.create(httpLocal + "/jdk-post-denied"))
                .POST(HttpRequest.BodyPublishers.ofString("must not leave")).build()));
        step("jdk_delete_denied", () -> send(client, HttpRequest.newBuilder(URI.create(http + "/jdk-delete"))
                .DELETE().build()));
        step("jdk_redirect_denied", () -> send(client, get(redirect(http, "jdk-redirect-denied",
                httpLocal + "/jdk-landing-denied"))));
        step("jdk_async_redirect_denied", () -> async(client, get(redirect(http, "jdk-async-redirect-denied",
                httpLocal + "/jdk-async-landing-denied"))));
        step("jdk_redirect_allowed", () -> send(client, get(redirect(http, "jdk-redirect-allowed",
                http + "/jdk-landing-allowed"))));
        step("jdk_http2", () -> send(client, HttpRequest.newBuilder(URI.create(http + "/jdk-http2"))
                .version(HttpClient.Version.HTTP_2).build()));
        step("jdk_https", () -> send(client, HttpRequest.newBuilder(URI.create(https + "/jdk-https"))
                .version(HttpClient.Version.HTTP_2).build()));
        step("jdk_https_denied", () -> send(client, get(httpsLocal + "/jdk-https-denied")));
        step("jdk_host_header", () -> send(client, HttpRequest.newBuilder(URI.create(httpLocal + "/jdk-host-header"))
                .header("Host", "127.0.0.1:" + port).build()));
        HttpClient proxied = HttpClient.newBuilder()
                .proxy(ProxySelector.of(new InetSocketAddress("127.0.0.1", port))).build();
        step("jdk_proxy_denied", () -> send(proxied, get(httpLocal + "/jdk-proxy-denied")));
        step("jdk_secret", () -> send(client, HttpRequest.newBuilder(
                        URI.create(http + "/jdk-secret?api_key=secret-jdk-key&q=1&X-Amz-Signature=secret-jdk-sig"))
                .header("Authorization", SECRET_HEADERS_AUTH).header("Cookie", "session=cookie-secret-value")
                .header("X-Api-Key", "xkey-secret-value").build()));
        step("jdk_own_traceparent", () -> send(client, HttpRequest.newBuilder(URI.create(http + "/jdk-own-tp"))
                .header("traceparent", OWN_TRACEPARENT).build()));

        // java.net.HttpURLConnection
        step("url_get", () -> url(http + "/url-get", "GET", null, false, null));
        step("url_post", () -> url(http + "/url-post", "POST", "hello world", false, null));
        step("url_post_fixed", () -> url(http + "/url-post-fixed", "POST", "hello fixed", true, null));
        step("url_denied", () -> url(httpLocal + "/url-denied", "GET", null, false, null));
        step("url_post_denied", () -> url(httpLocal + "/url-post-denied", "POST", "must not leave", false, null));
        step("url_delete_denied", () -> url(http + "/url-delete", "DELETE", null, false, null));
        step("url_redirect_denied", () -> url(redirect(http, "url-redirect-denied", httpLocal + "/url-landing-denied"),
                "GET", null, false, null));
        step("url_redirect_allowed", () -> url(redirect(http, "url-redirect-allowed", http + "/url-landing-allowed"),
                "GET", null, false, null));
        step("url_https", () -> url(https + "/url-https", "GET", null, false, null));
        step("url_https_denied", () -> url(httpsLocal + "/url-https-denied", "GET", null, false, null));
        step("url_host_header", () -> {
            HttpURLConnection c = (HttpURLConnection) new URL(httpLocal + "/url-host-header").openConnection();
            c.setRequestProperty("Host", "127.0.0.1:" + port);
            return read(c);
        });
        step("url_proxy_denied", () -> {
            Proxy proxy = new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", port));
            return read((HttpURLConnection) new URL(httpLocal + "/url-proxy-denied").openConnection(proxy));
        });
        step("url_secret", () -> {
            HttpURLConnection c = (HttpURLConnection) new URL("http://agent:pw-secret-value@127.0.0.1:" + port
                    + "/url-secret?token=secret-url-token&q=1").openConnection();
            c.setRequestProperty("Authorization", SECRET_HEADERS_AUTH);
            c.setRequestProperty("Cookie", "session=cookie-secret-value");
            c.setRequestProperty("X-Api-Key", "xkey-secret-value");
            return read(c);
        });
        step("url_own_traceparent", () -> {
            HttpURLConnection c = (HttpURLConnection) new URL(http + "/url-own-tp").openConnection();
            c.setRequestProperty("traceparent", OWN_TRACEPARENT);
            return read(c);
        });
        System.out.println("done=true");
    }

    /**
     * {@code sendAsync} of a request the server holds back ({@code /hold/jdk-cancel}), cancelled once it arrived:
     * prints {@code cancel.jdk_cancel=} what the future says ({@link #cancelled}) and {@code told.jdk_cancel=} what a
     * dependent stage registered before the cancel was told.
     */
    private static void cancelInFlight(HttpClient client) throws IOException {
        java.util.concurrent.CompletableFuture<HttpResponse<String>> f = client.sendAsync(
                get(http + "/hold/jdk-cancel"), HttpResponse.BodyHandlers.ofString());
        java.util.concurrent.atomic.AtomicReference<String> told = new java.util.concurrent.atomic.AtomicReference<>(
                "nothing");
        f.whenComplete((r, t) -> told.set(t == null ? "completed " + r.statusCode()
                : t.getClass().getName() + (t.getCause() == null ? "" : " " + t.getCause().getClass().getName())));
        io.agentid.it.support.CountingHttpServer.awaitHeld(http, "jdk-cancel");
        System.out.println("cancel.jdk_cancel=" + cancelled(f));
        System.out.println("told.jdk_cancel=" + told.get());
        System.out.println("done=true");
    }

    /**
     * Cancels {@code f} ({@code cancel(true)}) and says what the application sees: what {@code cancel} returned,
     * {@code isCancelled()}, {@code isDone()}, and what {@code get} throws (its class, and the cause's for an
     * {@code ExecutionException}), or anything {@code cancel} itself threw.
     */
    public static String cancelled(java.util.concurrent.Future<?> f) {
        boolean result;
        try {
            result = f.cancel(true);
        } catch (Throwable t) {
            return "cancel threw " + t;
        }
        String get;
        try {
            Object v = f.get(10, java.util.concurrent.TimeUnit.SECONDS);
            get = "returned " + v;
        } catch (java.util.concurrent.CancellationException e) {
            get = e.getClass().getName();
        } catch (ExecutionException e) {
            get = "failed " + e.getCause();
        } catch (Exception e) {
            get = "threw " + e;
        }
        return result + " cancelled=" + f.isCancelled() + " done=" + f.isDone() + " get=" + get;
    }

    interface Step {
        String run() throws Exception;
    }

    private static void step(String name, Step step) {
        String outcome;
        try {
            outcome = step.run();
        } catch (Throwable t) {
            Throwable e = t instanceof CompletionException || t instanceof ExecutionException ? t.getCause() : t;
            outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
            if (!String.valueOf(e.getMessage()).startsWith("agentid: ")) {
                e.printStackTrace();
            }
        }
        System.out.println("step." + name + "=" + outcome.replace('\n', ' '));
    }

    private static HttpRequest get(String uri) {
        return HttpRequest.newBuilder(URI.create(uri)).build();
    }

    private static String redirect(String base, String name, String to) {
        return base + "/r/" + name + "?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    }

    private static String send(HttpClient client, HttpRequest request) throws IOException, InterruptedException {
        return describe(client.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static String async(HttpClient client, HttpRequest request) {
        return describe(client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).join());
    }

    private static String describe(HttpResponse<String> r) {
        return "ok " + r.statusCode() + " " + r.body() + " " + r.version();
    }

    private static String url(String url, String method, String body, boolean fixed, String unused)
            throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setRequestMethod(method);
        if (body != null) {
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            c.setDoOutput(true);
            if (fixed) {
                c.setFixedLengthStreamingMode(bytes.length);
            }
            try (OutputStream out = c.getOutputStream()) {
                out.write(bytes);
            }
        }
        return read(c);
    }

    private static String read(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        try (InputStream in = c.getInputStream()) {
            return "ok " + status + " " + new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
