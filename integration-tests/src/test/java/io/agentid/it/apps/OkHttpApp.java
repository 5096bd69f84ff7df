package io.agentid.it.apps;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Makes allowed and denied OkHttp requests ({@code execute} and {@code enqueue}) against
 * {@code CountingHttpServer} on loopback, printing each outcome as {@code step.<name>=ok <status> <body>} or
 * {@code step.<name>=blocked <exception class> <message>}, and {@code okhttp.version=} the OkHttp it ran on.
 * Compiled against this module's OkHttp, run on the class path of the OkHttp under test (3, 4 or 5): it uses only
 * API all three have (a text body: {@link #text}). {@code 127.0.0.1} and {@code localhost} are the same server but two hosts to the policy
 * (http-guardrails.yaml denies {@code localhost} and DELETE).
 *
 * <p>Arguments: the server's HTTP port and HTTPS port. Run with the server's trust store as
 * {@code javax.net.ssl.trustStore}.
 */
public final class OkHttpApp {
    /** The application's own trace context, which agentid must leave alone. */
    public static final String OWN_TRACEPARENT = HttpApp.OWN_TRACEPARENT;
    private static final MediaType TEXT = MediaType.get("text/plain");

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int tlsPort = Integer.parseInt(args[1]);
        String http = "http://127.0.0.1:" + port;
        String httpLocal = "http://localhost:" + port;
        String https = "https://127.0.0.1:" + tlsPort;
        String httpsLocal = "https://localhost:" + tlsPort;
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
        System.out.println("okhttp.version=" + okHttpVersion());

        step("ok_get", () -> execute(client, get(http + "/ok-get")));
        step("ok_post", () -> execute(client, new Request.Builder().url(http + "/ok-post")
                .post(text("hello world")).build()));
        step("ok_async_get", () -> enqueue(client, get(http + "/ok-async-get")));
        step("ok_denied", () -> execute(client, get(httpLocal + "/ok-denied")));
        step("ok_async_denied", () -> enqueue(client, get(httpLocal + "/ok-async-denied")));
        step("ok_post_denied", () -> execute(client, new Request.Builder().url(httpLocal + "/ok-post-denied")
                .post(text("must not leave")).build()));
        step("ok_delete_denied", () -> execute(client, new Request.Builder().url(http + "/ok-delete").delete().build()));
        step("ok_redirect_denied", () -> execute(client, get(redirect(http, "ok-redirect-denied",
                httpLocal + "/ok-landing-denied"))));
        step("ok_async_redirect_denied", () -> enqueue(client, get(redirect(http, "ok-async-redirect-denied",
                httpLocal + "/ok-async-landing-denied"))));
        step("ok_redirect_allowed", () -> execute(client, get(redirect(http, "ok-redirect-allowed",
                http + "/ok-landing-allowed"))));
        step("ok_https", () -> execute(client, get(https + "/ok-https")));
        step("ok_https_denied", () -> execute(client, get(httpsLocal + "/ok-https-denied")));
        step("ok_host_header", () -> execute(client, new Request.Builder().url(httpLocal + "/ok-host-header")
                .header("Host", "127.0.0.1:" + port).build()));
        OkHttpClient proxied = client.newBuilder()
                .proxy(new Proxy(Proxy.Type.HTTP, new InetSocketAddress("127.0.0.1", port))).build();
        step("ok_proxy_denied", () -> execute(proxied, get(httpLocal + "/ok-proxy-denied")));
        // an application interceptor that sends the request elsewhere: decided where it really goes
        OkHttpClient rewriting = client.newBuilder().addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                .url(chain.request().url().newBuilder().host("localhost").build()).build())).build();
        step("ok_rewritten_denied", () -> execute(rewriting, get(http + "/ok-rewritten-denied")));
        step("ok_secret", () -> execute(client, new Request.Builder()
                .url("http://agent:pw-secret-value@127.0.0.1:" + port
                        + "/ok-secret?api_key=secret-ok-key&q=1&X-Amz-Signature=secret-ok-sig")
                .header("Authorization", "Bearer auth-secret-value").header("Cookie", "session=cookie-secret-value")
                .header("X-Api-Key", "xkey-secret-value").build()));
        step("ok_own_traceparent", () -> execute(client, new Request.Builder().url(http + "/ok-own-tp")
                .header("traceparent", OWN_TRACEPARENT).build()));
        System.out.println("done=true");
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        System.exit(0);
    }

    /**
     * {@code okhttp3.OkHttp.VERSION} (4 and 5: a constant, read reflectively, as javac inlines it), or the version in
     * {@code okhttp3.internal.Version.userAgent()} ({@code okhttp/3.14.9}; 3.x).
     */
    private static String okHttpVersion() {
        try {
            return String.valueOf(Class.forName("okhttp3.OkHttp").getField("VERSION").get(null));
        } catch (ReflectiveOperationException e) {
            try {
                String agent = (String) Class.forName("okhttp3.internal.Version").getMethod("userAgent").invoke(null);
                return agent.substring(agent.indexOf('/') + 1);
            } catch (ReflectiveOperationException | RuntimeException e3) {
                return "unknown";
            }
        }
    }

    /** A text body: {@code RequestBody.create(String, MediaType)} (4 and 5), or 3.x's {@code create(MediaType, String)}. */
    @SuppressWarnings("deprecation")
    private static RequestBody text(String content) {
        try {
            return RequestBody.create(content, TEXT);
        } catch (NoSuchMethodError e) {
            return RequestBody.create(TEXT, content);
        }
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

    private static Request get(String url) {
        return new Request.Builder().url(url).build();
    }

    private static String redirect(String base, String name, String to) {
        return base + "/r/" + name + "?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    }

    private static String describe(Response r) throws IOException {
        try (r) {
            return r.code() + " " + r.body().string() + " " + r.protocol();
        }
    }

    private static String execute(OkHttpClient client, Request request) throws IOException {
        return describe(client.newCall(request).execute());
    }

    private static String enqueue(OkHttpClient client, Request request) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        client.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try {
                    done.complete(describe(response));
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause(); // what Callback.onFailure received
            }
            throw e;
        }
    }
}
