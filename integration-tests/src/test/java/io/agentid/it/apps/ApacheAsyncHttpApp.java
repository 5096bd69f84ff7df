package io.agentid.it.apps;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;

/**
 * Makes allowed and denied Apache HttpClient 5 async requests ({@code CloseableHttpAsyncClient}) against
 * {@code CountingHttpServer} on loopback, printing each outcome as {@code step.<name>=ok <status> <body>} or
 * {@code step.<name>=blocked <class of the future's failure> <message>}, what the {@code FutureCallback} was told
 * as {@code cb.<name>=completed <status>} or {@code cb.<name>=failed <exception class> <message>}, and
 * {@code ms.<name>=} how long the step took. http-guardrails.yaml denies {@code localhost} and DELETE.
 *
 * <p>Arguments: the server's HTTP port and HTTPS port. Run with the server's trust store as
 * {@code javax.net.ssl.trustStore}.
 */
public final class ApacheAsyncHttpApp {
    public static final String OWN_TRACEPARENT = HttpApp.OWN_TRACEPARENT;
    public static final int PARALLEL = 4;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int tlsPort = Integer.parseInt(args[1]);
        String http = "http://127.0.0.1:" + port;
        String httpLocal = "http://localhost:" + port;
        String https = "https://127.0.0.1:" + tlsPort;
        String httpsLocal = "https://localhost:" + tlsPort;
        if (args.length > 2 && args[2].equals("cancel")) {
            cancelInFlight(http);
            return;
        }
        if (args.length > 2 && args[2].equals("cancel-soft")) {
            cancelSoftly(http);
            return;
        }
        if (args.length > 2 && args[2].equals("exit-at-once")) {
            exitAtOnce(http);
            return;
        }
        try (CloseableHttpAsyncClient client = HttpAsyncClients.custom().useSystemProperties().build();
                CloseableHttpAsyncClient noRetries = HttpAsyncClients.custom().useSystemProperties()
                        .disableAutomaticRetries().build();
                CloseableHttpAsyncClient proxied = HttpAsyncClients.custom().useSystemProperties()
                        .setProxy(new HttpHost("http", "127.0.0.1", port)).build();
                CloseableHttpAsyncClient byDefault = HttpAsyncClients.createDefault();
                // no exec chain: not intercepted, its connections are the backstop's
                CloseableHttpAsyncClient minimal = HttpAsyncClients.createMinimal()) {
            client.start();
            noRetries.start();
            proxied.start();
            byDefault.start();
            minimal.start();
            step("aa_get", client, SimpleRequestBuilder.get(http + "/aa-get").build());
            step("aa_post", client, SimpleRequestBuilder.post(http + "/aa-post")
                    .setBody("hello world", ContentType.TEXT_PLAIN).build());
            step("aa_default", byDefault, SimpleRequestBuilder.get(http + "/aa-default").build());
            step("aa_denied", client, SimpleRequestBuilder.get(httpLocal + "/aa-denied").build());
            step("aa_post_denied", client, SimpleRequestBuilder.post(httpLocal + "/aa-post-denied")
                    .setBody("must not leave", ContentType.TEXT_PLAIN).build());
            step("aa_delete_denied", client, SimpleRequestBuilder.delete(http + "/aa-delete").build());
            step("aa_redirect_denied", client, SimpleRequestBuilder.get(redirect(http, "aa-redirect-denied",
                    httpLocal + "/aa-landing-denied")).build());
            step("aa_redirect_allowed", client, SimpleRequestBuilder.get(redirect(http, "aa-redirect-allowed",
                    http + "/aa-landing-allowed")).build());
            step("aa_https", client, SimpleRequestBuilder.get(https + "/aa-https").build());
            step("aa_https_denied", client, SimpleRequestBuilder.get(httpsLocal + "/aa-https-denied").build());
            step("aa_host_header", client, SimpleRequestBuilder.get(httpLocal + "/aa-host-header")
                    .setHeader("Host", "127.0.0.1:" + port).build());
            step("aa_proxy_denied", proxied, SimpleRequestBuilder.get(httpLocal + "/aa-proxy-denied").build());
            step("aa_noretry_get", noRetries, SimpleRequestBuilder.get(http + "/aa-noretry-get").build());
            step("aa_noretry_denied", noRetries, SimpleRequestBuilder.get(httpLocal + "/aa-noretry-denied").build());
            step("aa_noretry_redirect_denied", noRetries, SimpleRequestBuilder.get(redirect(http,
                    "aa-noretry-redirect-denied", httpLocal + "/aa-noretry-landing-denied")).build());
            // the producer/consumer path, with an entity of known length
            step("aa_producer", client, AsyncRequestBuilder.post(http + "/aa-producer")
                    .setEntity("producer body", ContentType.TEXT_PLAIN).build());
            step("aa_producer_denied", client, AsyncRequestBuilder.post(httpLocal + "/aa-producer-denied")
                    .setEntity("must not leave", ContentType.TEXT_PLAIN).build());
            step("aa_secret", client, SimpleRequestBuilder.get(http
                    + "/aa-secret?api_key=secret-aa-key&q=1&X-Amz-Signature=secret-aa-sig")
                    .setHeader("Authorization", "Bearer auth-secret-value")
                    .setHeader("Cookie", "session=cookie-secret-value")
                    .setHeader("X-Api-Key", "xkey-secret-value").build());
            step("aa_own_traceparent", client, SimpleRequestBuilder.get(http + "/aa-own-tp")
                    .setHeader("traceparent", OWN_TRACEPARENT).build());
            // answered 503 and retried once by the default strategy: one request, one decision, one span
            step("aa_retried", client, SimpleRequestBuilder.get(http + "/s503/aa-retried").build());
            parallel(client, http);
            step("aa_minimal_denied", minimal, SimpleRequestBuilder.get(httpLocal + "/aa-minimal-denied").build());
        }
        System.out.println("done=true");
    }

    /**
     * {@code HttpAsyncClients.createDefault()}'s {@code execute} of a request the server holds back
     * ({@code /hold/aa-cancel}), cancelled once it arrived: prints {@code cancel.aa_cancel=} what the future says
     * ({@link HttpApp#cancelled}) and {@code cb.aa_cancel=} what its {@code FutureCallback} was told. The client is
     * not closed (the JVM exits with it open): a span must not wait for the connection to close.
     */
    private static void cancelInFlight(String http) throws Exception {
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
        client.start();
        Recorder cb = new Recorder();
        Future<SimpleHttpResponse> f = client.execute(SimpleRequestBuilder.get(http + "/hold/aa-cancel").build(), cb);
        io.agentid.it.support.CountingHttpServer.awaitHeld(http, "aa-cancel");
        System.out.println("cancel.aa_cancel=" + HttpApp.cancelled(f));
        System.out.println("cb.aa_cancel=" + cb.awaited());
        System.out.println("done=true");
        System.out.flush();
        System.exit(0);
    }

    /**
     * Hard cancellation off ({@code RequestConfig.setHardCancellationEnabled(false)}), a pool of one connection:
     * {@code /hold/aa-soft-cancel} is cancelled once it arrived (prints {@code cancel.aa_soft=}, {@code cb.aa_soft=},
     * and {@code at.aa_soft_cancel=} the epoch milliseconds after {@code cancel} returned), then, {@link #SOFT_GAP_MS}
     * later, released by the application through the server ({@code at.aa_soft_release=} the epoch milliseconds just
     * before); then {@code /aa-soft-after} is a step on the same client, which gets the pool's one connection only
     * once the cancelled exchange has ended.
     */
    private static void cancelSoftly(String http) throws Exception {
        RequestConfig config = RequestConfig.custom().setHardCancellationEnabled(false).build();
        CloseableHttpAsyncClient client = HttpAsyncClients.custom().setDefaultRequestConfig(config)
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(1).setMaxConnPerRoute(1).build())
                .build();
        client.start();
        Recorder cb = new Recorder();
        Future<SimpleHttpResponse> f = client.execute(
                SimpleRequestBuilder.get(http + "/hold/aa-soft-cancel").build(), cb);
        io.agentid.it.support.CountingHttpServer.awaitHeld(http, "aa-soft-cancel");
        System.out.println("cancel.aa_soft=" + HttpApp.cancelled(f));
        System.out.println("at.aa_soft_cancel=" + System.currentTimeMillis());
        System.out.println("cb.aa_soft=" + cb.awaited());
        Thread.sleep(SOFT_GAP_MS);
        System.out.println("at.aa_soft_release=" + System.currentTimeMillis());
        io.agentid.it.support.CountingHttpServer.release(http, "aa-soft-cancel");
        step("aa_soft_after", client, SimpleRequestBuilder.get(http + "/aa-soft-after").build());
        System.out.println("cb.aa_soft_later=" + cb.told.get());
        // closed before the exit, as every other step's client is: the future of aa_soft_after can complete before
        // the exchange's own callback has ended its span, and an exit right then would lose that span
        client.close();
        System.out.println("done=true");
        System.out.flush();
        System.exit(0);
    }

    /** How long {@link #exitAtOnce}'s callback takes. */
    public static final long CALLBACK_MILLIS = 100;

    /**
     * After a first request, one whose {@code FutureCallback} takes {@link #CALLBACK_MILLIS}: the future's {@code get}
     * returns as the callback starts (the response consumer completes the future, then calls it, on the I/O thread,
     * before the exchange's own callback is told), and the application exits at once, its client not closed.
     */
    private static void exitAtOnce(String http) throws Exception {
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
        client.start();
        // a JVM's first request takes ~100 ms (connecting, loading classes): the measured one is the second
        client.execute(SimpleRequestBuilder.get(http + "/aa-exit-warm").build(), null).get(10, TimeUnit.SECONDS);
        // past the export's 200 ms linger, so that the first request's span is exported now: at the exit the export
        // has nothing else to send, and only the shutdown's wait keeps the measured request's span
        Thread.sleep(500);
        Future<SimpleHttpResponse> f = client.execute(SimpleRequestBuilder.get(http + "/aa-exit-at-once").build(),
                new FutureCallback<>() {
                    @Override
                    public void completed(SimpleHttpResponse r) {
                        try {
                            Thread.sleep(CALLBACK_MILLIS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        System.out.println("cb.aa_exit=completed " + r.getCode());
                    }

                    @Override
                    public void failed(Exception e) {
                        System.out.println("cb.aa_exit=failed " + e);
                    }

                    @Override
                    public void cancelled() {
                        System.out.println("cb.aa_exit=cancelled");
                    }
                });
        System.out.println("step.aa_exit=" + f.get(10, TimeUnit.SECONDS).getCode());
        System.out.println("done=true");
        System.out.flush();
        System.exit(0);
    }

    /** How long {@link #cancelSoftly} waits between the cancel and the release. */
    public static final long SOFT_GAP_MS = 1000;

    /** {@link #PARALLEL} requests in flight at once, each its own exchange. */
    private static void parallel(CloseableHttpAsyncClient client, String http) throws Exception {
        List<Future<SimpleHttpResponse>> futures = new ArrayList<>();
        for (int i = 0; i < PARALLEL; i++) {
            futures.add(client.execute(SimpleRequestBuilder.get(http + "/aa-parallel-" + i).build(), null));
        }
        StringBuilder out = new StringBuilder();
        for (Future<SimpleHttpResponse> f : futures) {
            out.append(f.get(30, TimeUnit.SECONDS).getCode()).append(' ');
        }
        System.out.println("step.aa_parallel=ok " + out.toString().trim());
    }

    private static void step(String name, CloseableHttpAsyncClient client, SimpleHttpRequest request) {
        Recorder cb = new Recorder();
        long start = System.nanoTime();
        String outcome;
        try {
            outcome = outcome(client.execute(request, cb), cb);
        } catch (RuntimeException e) {
            outcome = "error thrown by execute " + e;
        }
        print(name, outcome, cb, start);
    }

    private static void step(String name, CloseableHttpAsyncClient client, AsyncRequestProducer producer) {
        Recorder cb = new Recorder();
        long start = System.nanoTime();
        String outcome;
        try {
            outcome = outcome(client.execute(producer, SimpleResponseConsumer.create(), cb), cb);
        } catch (RuntimeException e) {
            outcome = "error thrown by execute " + e;
        }
        print(name, outcome, cb, start);
    }

    private static String outcome(Future<SimpleHttpResponse> future, Recorder cb) {
        try {
            SimpleHttpResponse r = future.get(30, TimeUnit.SECONDS);
            return "ok " + r.getCode() + " " + r.getBodyText();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            return "blocked " + c.getClass().getName() + " " + c.getMessage();
        } catch (Exception e) {
            return "error " + e;
        }
    }

    private static void print(String name, String outcome, Recorder cb, long start) {
        String told;
        try {
            told = cb.awaited();
        } catch (InterruptedException e) {
            told = "interrupted";
        }
        System.out.println("step." + name + "=" + outcome);
        System.out.println("cb." + name + "=" + told);
        System.out.println("ms." + name + "=" + (System.nanoTime() - start) / 1_000_000);
    }

    /** What the {@code FutureCallback} was told (the future completes after its callback returned). */
    private static final class Recorder implements FutureCallback<SimpleHttpResponse> {
        final AtomicReference<String> told = new AtomicReference<>("nothing");
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void completed(SimpleHttpResponse result) {
            told.set("completed " + result.getCode());
            done.countDown();
        }

        @Override
        public void failed(Exception ex) {
            told.set("failed " + ex.getClass().getName() + " " + ex.getMessage());
            done.countDown();
        }

        @Override
        public void cancelled() {
            told.set("cancelled");
            done.countDown();
        }

        String awaited() throws InterruptedException {
            done.await(10, TimeUnit.SECONDS);
            return told.get();
        }
    }

    private static String redirect(String base, String name, String to) {
        return base + "/r/" + name + "?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    }
}
