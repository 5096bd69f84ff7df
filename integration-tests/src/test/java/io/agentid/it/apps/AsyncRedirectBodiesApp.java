package io.agentid.it.apps;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * OpenAI-compatible model calls ({@code POST .../v1/chat/completions}, a JSON body, an {@code Authorization} header
 * unless the step says {@code none}) through Apache HttpClient 5 async or HttpAsyncClient 4 (argument 2: {@code 5} or
 * {@code 4}) that {@code CountingHttpServer} answers with a {@code 307} or {@code 308} redirect, which makes the client
 * send the same POST and body again to the {@code Location}. Each step, {@link #STEPS}, goes to
 * {@code /r307/<run>-<client>-<step>/v1/chat/completions?to=<landing>} (or {@code /r308/...}) and prints
 * {@code step.<name>=ok <status> <answer as base64>} or {@code step.<name>=blocked <class of the future's failure's
 * cause> <message>}, and what the {@code FutureCallback} was told as {@code cb.<name>=completed <status>} or
 * {@code cb.<name>=failed <class> <message>}. Arguments: the server's HTTP port, the client, and a run name (in every
 * path, so two runs against one server can be told apart).
 *
 * <p>HttpClient 5 ({@code HttpAsyncClients.createDefault()}, which follows 307 and 308 for any method, but not to
 * another authority when the request has an {@code Authorization} or {@code Cookie} header): a
 * {@code SimpleHttpRequest} with a text body ({@code BasicAsyncEntityProducer}), and for {@code *_chunked} an
 * {@code AsyncRequestBuilder} with a {@code StringAsyncEntityProducer} (sent chunked). HttpAsyncClient 4:
 * {@code HttpPost} with a {@code StringEntity} ({@code *_chunked}: marked chunked, so sent chunked) through
 * {@code HttpAsyncClients.custom().setRedirectStrategy(LaxRedirectStrategy.INSTANCE)}, since the default strategy
 * follows 307 and 308 only for GET and HEAD; {@code default_*} steps use {@code HttpAsyncClients.createDefault()}.
 */
public final class AsyncRedirectBodiesApp {
    /**
     * name, redirect status, landing host ({@code ip} 127.0.0.1, {@code local} localhost), first path ({@code model} a
     * model call's, {@code relay} none), body ({@code cheap}, {@code expensive}), headers ({@code auth}: with an
     * {@code Authorization} header; {@code none}).
     */
    public static final String[][] STEPS = {
        {"307", "307", "ip", "model", "cheap", "auth"},
        {"308", "308", "ip", "model", "cheap", "auth"},
        {"307_chunked", "307", "ip", "model", "cheap", "auth"},
        // to another host: without credentials (HttpClient 5.6 does not follow a redirect to another authority with
        // an Authorization or Cookie header; 307_cross_auth)
        {"307_denied", "307", "local", "model", "cheap", "none"},
        {"308_denied", "308", "local", "model", "cheap", "none"},
        {"307_cross_auth", "307", "local", "model", "cheap", "auth"},
        // the first request is no model call (a relay path), so it is decided on its path and allowed; the hop is
        // one, and is priced from the body it sends again
        {"307_cost", "307", "ip", "relay", "expensive", "auth"},
    };
    /** HttpAsyncClient 4's default client: POST is not redirected, the caller gets the 307/308. */
    public static final String[][] DEFAULT_4 = {
        {"default_307", "307", "ip", "model", "cheap", "auth"},
        {"default_308", "308", "ip", "model", "cheap", "auth"},
    };

    public static final String AUTHORIZATION = "Bearer sk-redirect-test";

    private AsyncRedirectBodiesApp() {}

    /** The body a step sends (on every hop). */
    public static String body(String kind) {
        String model = kind.equals("expensive") ? "o1" : "gpt-4o-mini";
        int maxTokens = kind.equals("expensive") ? 100000 : 50;
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Name three prime numbers, and say why 1 is not one (é, ü).\"}]}";
    }

    /** The path of a step's first request. */
    public static String firstPath(String run, String client, String[] step) {
        return "/r" + step[1] + "/" + run + "-" + client + "-" + step[0]
                + (step[3].equals("model") ? "/v1/chat/completions" : "/relay");
    }

    /** The path of a step's redirect hop (always a model call's). */
    public static String landingPath(String run, String client, String[] step) {
        return "/" + run + "-" + client + "-" + step[0] + "-landing/v1/chat/completions";
    }

    public static String landingUrl(int port, String run, String client, String[] step) {
        return "http://" + (step[2].equals("local") ? "localhost" : "127.0.0.1") + ":" + port
                + landingPath(run, client, step);
    }

    public static String firstUrl(int port, String run, String client, String[] step) {
        return "http://127.0.0.1:" + port + firstPath(run, client, step) + "?to="
                + URLEncoder.encode(landingUrl(port, run, client, step), StandardCharsets.UTF_8);
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String client = args[1];
        String run = args[2];
        if (client.equals("5")) {
            try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient c =
                    org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault()) {
                c.start();
                for (String[] s : STEPS) {
                    print(s[0], five(c, firstUrl(port, run, client, s), s));
                }
            }
        } else {
            try (org.apache.http.impl.nio.client.CloseableHttpAsyncClient lax =
                            org.apache.http.impl.nio.client.HttpAsyncClients.custom()
                                    .setRedirectStrategy(org.apache.http.impl.client.LaxRedirectStrategy.INSTANCE)
                                    .build();
                    org.apache.http.impl.nio.client.CloseableHttpAsyncClient plain =
                            org.apache.http.impl.nio.client.HttpAsyncClients.createDefault()) {
                lax.start();
                plain.start();
                for (String[] s : STEPS) {
                    print(s[0], four(lax, firstUrl(port, run, client, s), s));
                }
                for (String[] s : DEFAULT_4) {
                    print(s[0], four(plain, firstUrl(port, run, client, s), s));
                }
            }
        }
        System.out.println("done=true");
    }

    private static void print(String name, String[] outcome) {
        System.out.println("step." + name + "=" + outcome[0]);
        System.out.println("cb." + name + "=" + outcome[1]);
    }

    private static String[] five(org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client, String uri,
            String[] step) throws Exception {
        org.apache.hc.core5.http.ContentType json = org.apache.hc.core5.http.ContentType.APPLICATION_JSON;
        String body = body(step[4]);
        Callback<org.apache.hc.client5.http.async.methods.SimpleHttpResponse> cb = new Callback<>(
                r -> String.valueOf(r.getCode()));
        Future<org.apache.hc.client5.http.async.methods.SimpleHttpResponse> f;
        if (step[0].endsWith("_chunked")) {
            org.apache.hc.core5.http.nio.support.AsyncRequestBuilder b =
                    org.apache.hc.core5.http.nio.support.AsyncRequestBuilder.post(uri)
                            .setEntity(new org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer(body, json));
            if (step[5].equals("auth")) {
                b.setHeader("Authorization", AUTHORIZATION);
            }
            f = client.execute(b.build(), org.apache.hc.client5.http.async.methods.SimpleResponseConsumer.create(), cb);
        } else {
            org.apache.hc.client5.http.async.methods.SimpleRequestBuilder b =
                    org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(uri).setBody(body, json);
            if (step[5].equals("auth")) {
                b.setHeader("Authorization", AUTHORIZATION);
            }
            f = client.execute(b.build(), cb);
        }
        String outcome;
        try {
            org.apache.hc.client5.http.async.methods.SimpleHttpResponse r = f.get(30, TimeUnit.SECONDS);
            outcome = "ok " + r.getCode() + " " + Base64.getEncoder().encodeToString(r.getBodyBytes());
        } catch (ExecutionException e) {
            outcome = "blocked " + e.getCause().getClass().getName() + " " + e.getCause().getMessage();
        }
        return new String[] {outcome, cb.await()};
    }

    private static String[] four(org.apache.http.impl.nio.client.CloseableHttpAsyncClient client, String uri,
            String[] step) throws Exception {
        org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(uri);
        if (step[5].equals("auth")) {
            post.setHeader("Authorization", AUTHORIZATION);
        }
        org.apache.http.entity.ContentType json = org.apache.http.entity.ContentType.APPLICATION_JSON;
        String body = body(step[4]);
        org.apache.http.entity.StringEntity entity = new org.apache.http.entity.StringEntity(body, json);
        entity.setChunked(step[0].endsWith("_chunked"));
        post.setEntity(entity);
        Callback<org.apache.http.HttpResponse> cb = new Callback<>(
                r -> String.valueOf(r.getStatusLine().getStatusCode()));
        Future<org.apache.http.HttpResponse> f = client.execute(post, cb);
        String outcome;
        try {
            org.apache.http.HttpResponse r = f.get(30, TimeUnit.SECONDS);
            byte[] got = r.getEntity() == null ? new byte[0]
                    : org.apache.http.util.EntityUtils.toByteArray(r.getEntity());
            outcome = "ok " + r.getStatusLine().getStatusCode() + " " + Base64.getEncoder().encodeToString(got);
        } catch (ExecutionException e) {
            outcome = "blocked " + e.getCause().getClass().getName() + " " + e.getCause().getMessage();
        }
        return new String[] {outcome, cb.await()};
    }

    /** A {@code FutureCallback} of either version that records what it was told. */
    private static final class Callback<T> implements org.apache.hc.core5.concurrent.FutureCallback<T>,
            org.apache.http.concurrent.FutureCallback<T> {
        private final java.util.function.Function<T, String> status;
        private final AtomicReference<String> told = new AtomicReference<>();
        private final CountDownLatch done = new CountDownLatch(1);

        Callback(java.util.function.Function<T, String> status) {
            this.status = status;
        }

        @Override
        public void completed(T result) {
            told.set("completed " + status.apply(result));
            done.countDown();
        }

        @Override
        public void failed(Exception e) {
            told.set("failed " + e.getClass().getName() + " " + e.getMessage());
            done.countDown();
        }

        @Override
        public void cancelled() {
            told.set("cancelled");
            done.countDown();
        }

        String await() throws InterruptedException {
            return done.await(30, TimeUnit.SECONDS) ? told.get() : "not called";
        }
    }
}
