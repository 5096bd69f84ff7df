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
import org.apache.http.HttpHost;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.concurrent.FutureCallback;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClients;
import org.apache.http.util.EntityUtils;

/**
 * Apache HttpAsyncClient 4 against {@code CountingHttpServer}: the steps of {@link ApacheAsyncHttpApp} (prefix
 * {@code a4_}), printed the same way ({@code step.}, {@code cb.}, {@code ms.}); and one request of the minimal
 * client (not intercepted; its connection is the backstop's).
 *
 * <p>Arguments: the server's HTTP port and HTTPS port. Run with the server's trust store as
 * {@code javax.net.ssl.trustStore}.
 */
public final class ApacheAsync4App {
    public static final String OWN_TRACEPARENT = HttpApp.OWN_TRACEPARENT;
    public static final int PARALLEL = 4;

    /** How long {@link #exitAtOnce}'s callback takes. */
    public static final long CALLBACK_MILLIS = 100;

    /**
     * After a first request, one whose callback takes {@link #CALLBACK_MILLIS}; the future's {@code get} returns as the callback
     * starts (the client completes the future first), and the application exits at once, its client neither
     * closed nor finished with the exchange.
     */
    private static void exitAtOnce(String http) throws Exception {
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
        client.start();
        // a JVM's first request takes ~100 ms (connecting, loading classes): the measured one is the second
        client.execute(new HttpGet(http + "/a4-exit-warm"), null).get(10, TimeUnit.SECONDS);
        // past the export's 200 ms linger, so that the first request's span is exported now: at the exit the export
        // has nothing else to send, and only the shutdown's wait keeps the measured request's span
        Thread.sleep(500);
        Future<HttpResponse> f = client.execute(new HttpGet(http + "/a4-exit-at-once"), new FutureCallback<>() {
            @Override
            public void completed(HttpResponse r) {
                try {
                    Thread.sleep(CALLBACK_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                System.out.println("cb.a4_exit=completed " + r.getStatusLine().getStatusCode());
            }

            @Override
            public void failed(Exception e) {
                System.out.println("cb.a4_exit=failed " + e);
            }

            @Override
            public void cancelled() {
                System.out.println("cb.a4_exit=cancelled");
            }
        });
        System.out.println("step.a4_exit=" + f.get(10, TimeUnit.SECONDS).getStatusLine().getStatusCode());
        System.out.println("done=true");
        System.out.flush();
        System.exit(0);
    }

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
        if (args.length > 2 && args[2].equals("cancel-lease")) {
            cancelBeforeLease(http);
            return;
        }
        if (args.length > 2 && args[2].equals("exit-at-once")) {
            exitAtOnce(http);
            return;
        }
        try (CloseableHttpAsyncClient client = HttpAsyncClients.createSystem();
                CloseableHttpAsyncClient proxied = HttpAsyncClients.custom()
                        .setProxy(new HttpHost("127.0.0.1", port, "http")).build();
                CloseableHttpAsyncClient minimal = HttpAsyncClients.createMinimal()) {
            minimal.start();
            client.start();
            proxied.start();
            step("a4_get", client, new HttpGet(http + "/a4-get"));
            HttpPost post = new HttpPost(http + "/a4-post");
            post.setEntity(new StringEntity("hello world", ContentType.TEXT_PLAIN));
            step("a4_post", client, post);
            step("a4_denied", client, new HttpGet(httpLocal + "/a4-denied"));
            HttpPost postDenied = new HttpPost(httpLocal + "/a4-post-denied");
            postDenied.setEntity(new StringEntity("must not leave", ContentType.TEXT_PLAIN));
            step("a4_post_denied", client, postDenied);
            step("a4_delete_denied", client, new HttpDelete(http + "/a4-delete"));
            step("a4_redirect_denied", client, new HttpGet(redirect(http, "a4-redirect-denied",
                    httpLocal + "/a4-landing-denied")));
            step("a4_redirect_allowed", client, new HttpGet(redirect(http, "a4-redirect-allowed",
                    http + "/a4-landing-allowed")));
            step("a4_https", client, new HttpGet(https + "/a4-https"));
            step("a4_https_denied", client, new HttpGet(httpsLocal + "/a4-https-denied"));
            HttpGet hostHeader = new HttpGet(httpLocal + "/a4-host-header");
            hostHeader.setHeader("Host", "127.0.0.1:" + port);
            step("a4_host_header", client, hostHeader);
            step("a4_proxy_denied", proxied, new HttpGet(httpLocal + "/a4-proxy-denied"));
            HttpGet secret = new HttpGet(http + "/a4-secret?api_key=secret-a4-key&q=1&X-Amz-Signature=secret-a4-sig");
            secret.setHeader("Authorization", "Bearer auth-secret-value");
            secret.setHeader("Cookie", "session=cookie-secret-value");
            secret.setHeader("X-Api-Key", "xkey-secret-value");
            step("a4_secret", client, secret);
            HttpGet own = new HttpGet(http + "/a4-own-tp");
            own.setHeader("traceparent", OWN_TRACEPARENT);
            step("a4_own_traceparent", client, own);
            List<Future<HttpResponse>> futures = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                futures.add(client.execute(new HttpGet(http + "/a4-parallel-" + i), null));
            }
            StringBuilder codes = new StringBuilder();
            for (Future<HttpResponse> f : futures) {
                codes.append(f.get(30, TimeUnit.SECONDS).getStatusLine().getStatusCode()).append(' ');
            }
            System.out.println("step.a4_parallel=ok " + codes.toString().trim());
            // the minimal client is not intercepted: the backstop blocks its connect; its future never completes
            // then (HttpAsyncClient's behaviour on a connect that throws), so it is waited for 3 s only
            try {
                minimal.execute(new HttpGet(httpLocal + "/a4-minimal-denied"), null).get(3, TimeUnit.SECONDS);
                System.out.println("step.a4_minimal_denied=sent");
            } catch (Exception e) {
                System.out.println("step.a4_minimal_denied=" + e.getClass().getName());
            }
        }
        System.out.println("done=true");
    }

    /**
     * {@code HttpAsyncClients.createDefault()}'s {@code execute} of a request the server holds back
     * ({@code /hold/a4-cancel}), cancelled once it arrived: prints {@code cancel.a4_cancel=} what the future says
     * ({@link HttpApp#cancelled}) and {@code cb.a4_cancel=} what its {@code FutureCallback} was told. The client is
     * not closed (the JVM exits with it open): a span must not wait for the connection to close.
     */
    private static void cancelInFlight(String http) throws Exception {
        CloseableHttpAsyncClient client = HttpAsyncClients.createDefault();
        client.start();
        Recorder cb = new Recorder();
        Future<HttpResponse> f = client.execute(new HttpGet(http + "/hold/a4-cancel"), cb);
        io.agentid.it.support.CountingHttpServer.awaitHeld(http, "a4-cancel");
        System.out.println("cancel.a4_cancel=" + HttpApp.cancelled(f));
        System.out.println("cb.a4_cancel=" + cb.awaited());
        System.out.println("done=true");
        System.out.flush();
        System.exit(0);
    }

    /**
     * A client with a pool of one connection: {@code /hold/a4-lease-first} takes it and is held by the server;
     * {@code /a4-lease-cancelled} is then executed (it waits for a lease) and its future cancelled before it gets one;
     * then the first is released (by the application, through the server) and answered, and {@code /a4-lease-after}
     * goes out on the pool's one connection. Prints {@code cancel.a4_lease=} and {@code cb.a4_lease=} for the
     * cancelled request, and {@code step.}/{@code cb.} for {@code a4_lease_first} and {@code a4_lease_after}.
     */
    private static void cancelBeforeLease(String http) throws Exception {
        CloseableHttpAsyncClient client = HttpAsyncClients.custom().setMaxConnTotal(1).setMaxConnPerRoute(1).build();
        client.start();
        Recorder firstCb = new Recorder();
        long start = System.nanoTime();
        Future<HttpResponse> first = client.execute(new HttpGet(http + "/hold/a4-lease-first"), firstCb);
        io.agentid.it.support.CountingHttpServer.awaitHeld(http, "a4-lease-first");
        Recorder cb = new Recorder();
        // execute starts the exchange on this thread: its lease is asked for (and pending) when it returns
        Future<HttpResponse> f = client.execute(new HttpGet(http + "/a4-lease-cancelled"), cb);
        System.out.println("cancel.a4_lease=" + HttpApp.cancelled(f));
        System.out.println("cb.a4_lease=" + cb.awaited());
        io.agentid.it.support.CountingHttpServer.release(http, "a4-lease-first");
        String outcome;
        try {
            HttpResponse r = first.get(30, TimeUnit.SECONDS);
            outcome = "ok " + r.getStatusLine().getStatusCode() + " " + EntityUtils.toString(r.getEntity());
        } catch (Exception e) {
            outcome = "error " + e;
        }
        System.out.println("step.a4_lease_first=" + outcome);
        System.out.println("cb.a4_lease_first=" + firstCb.awaited());
        System.out.println("ms.a4_lease_first=" + (System.nanoTime() - start) / 1_000_000);
        step("a4_lease_after", client, new HttpGet(http + "/a4-lease-after"));
        System.out.println("cb.a4_lease_later=" + cb.told.get());
        System.out.println("done=true");
        System.out.flush();
        System.exit(0);
    }

    private static void step(String name, CloseableHttpAsyncClient client, HttpUriRequest request) {
        Recorder cb = new Recorder();
        long start = System.nanoTime();
        String outcome;
        try {
            HttpResponse r = client.execute(request, cb).get(30, TimeUnit.SECONDS);
            outcome = "ok " + r.getStatusLine().getStatusCode() + " " + EntityUtils.toString(r.getEntity());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            outcome = "blocked " + c.getClass().getName() + " " + c.getMessage();
        } catch (Exception e) {
            outcome = "error " + e;
        }
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

    private static final class Recorder implements FutureCallback<HttpResponse> {
        final AtomicReference<String> told = new AtomicReference<>("nothing");
        final CountDownLatch done = new CountDownLatch(1);

        @Override
        public void completed(HttpResponse result) {
            told.set("completed " + result.getStatusLine().getStatusCode());
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
