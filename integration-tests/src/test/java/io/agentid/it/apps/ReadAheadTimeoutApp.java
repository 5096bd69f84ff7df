package io.agentid.it.apps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;

/**
 * Model calls whose chunked JSON answer stalls mid-body past a client's timeout, for {@code ReadAheadTimeoutIT}: the
 * server sends the headers and part of the body, then nothing (until the client closes the connection). Argument 1:
 * the server's port; argument 2: the client ({@code apache5}, {@code apache4}, {@code url} for HttpURLConnection,
 * {@code okhttp} for OkHttp 4 or 5, whichever is on the class path). Each client runs its {@link #steps}: a stalled
 * model call ({@code stalled*}) on a client with a timeout of {@link #TIMEOUT_MS}, then a model call answered whole
 * ({@code after*}) on the same client (its pool, its connection manager), which shows whether the failed call left the
 * client as it would have without the agent.
 *
 * <p>Each step posts a chat completion to {@code /<name>/v1/chat/completions} and reads the body itself, and prints
 * {@code step.<name>=ok <status> <length> <sha-256>}, {@code failed <status> <class> <message> after <length>
 * <sha-256 of what was read>} when the body's read failed, or {@code threw <class> <message>} when the call itself
 * (execute, getResponseCode) did; {@code cause.<name>=} the failure's cause ({@code <class> <message>}, or
 * {@code none}); {@code time.<name>=<ms until the client returned the response> <ms until the body was read or
 * failed>}; {@code reading.<name>=<other threads inside a socket read>} after the response was closed; for the Apache
 * clients {@code pool.<name>=leased=<n> available=<n>}, their connection manager's totals after the response was
 * closed.
 */
public final class ReadAheadTimeoutApp {
    /** The timeout of each client's stalled steps (read/socket/response timeout; OkHttp's call timeout). */
    public static final int TIMEOUT_MS = 1000;

    private ReadAheadTimeoutApp() {}

    /**
     * A client's steps: name, and which of its clients runs it. {@code apache5}: {@code stalled} through a client
     * whose {@code ConnectionConfig} has a socket timeout, {@code stalled_rc} through one whose default
     * {@code RequestConfig} has a response timeout (no socket timeout). {@code okhttp}: a call timeout, the read
     * timeout long, {@code stalled} by {@code execute()}, {@code stalled_async} by {@code enqueue}, and
     * {@code twice} through an application interceptor that closes the first answer unread and asks again.
     */
    public static String[][] steps(String kind) {
        switch (kind) {
            case "apache5":
                return new String[][] {{"stalled", "0"}, {"after", "0"}, {"stalled_rc", "1"}, {"after_rc", "1"}};
            case "okhttp":
                return new String[][] {{"stalled", "0"}, {"after", "0"}, {"stalled_async", "1"}, {"after_async", "1"},
                    {"twice", "2"}};
            default:
                return new String[][] {{"stalled", "0"}, {"after", "0"}};
        }
    }

    /** The prefix of a client's step names. */
    public static String prefix(String kind) {
        switch (kind) {
            case "apache5":
                return "rt5_";
            case "apache4":
                return "rt4_";
            case "okhttp":
                return "rtok_";
            default:
                return "rturl_";
        }
    }

    public static String path(String name) {
        return "/" + name + "/v1/chat/completions";
    }

    /** What a client gives a step. */
    interface Client extends AutoCloseable {
        /** Sends the request with the client numbered {@code which}: the response, its body read later. */
        Object post(int which, String url, String body) throws IOException;

        int status(Object response) throws IOException;

        InputStream body(Object response) throws IOException;

        void close(Object response) throws IOException;

        /** The connection pool's totals, where the client has one the application can see (null: none). */
        default String pool(int which) {
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        String kind = args[1];
        String prefix = prefix(kind);
        try (Client client = kind.equals("apache5") ? new Apache5() : kind.equals("apache4") ? new Apache4()
                : kind.equals("okhttp") ? new Ok() : new Url()) {
            for (String[] s : steps(kind)) {
                String name = prefix + s[0];
                int which = Integer.parseInt(s[1]);
                long[] times = new long[3];
                Throwable[] failure = new Throwable[1];
                String outcome = step(client, which, base + path(name), times, failure);
                System.out.println("step." + name + "=" + outcome);
                Throwable cause = failure[0] == null ? null : failure[0].getCause();
                System.out.println("cause." + name + "=" + (cause == null ? "none"
                        : cause.getClass().getName() + " " + cause.getMessage()));
                System.out.println("time." + name + "=" + (times[1] - times[0]) / 1_000_000 + " "
                        + (times[2] - times[1]) / 1_000_000);
                System.out.println("reading." + name + "=" + socketReaders());
                String pool = client.pool(which);
                if (pool != null) {
                    System.out.println("pool." + name + "=" + pool);
                }
            }
        }
        System.out.println("done=true");
        System.exit(0);
    }

    /** The other threads now inside a socket's read (as ChunkedModelApp counts them). */
    private static int socketReaders() {
        int n = 0;
        for (java.util.Map.Entry<Thread, StackTraceElement[]> t : Thread.getAllStackTraces().entrySet()) {
            if (t.getKey() == Thread.currentThread() || t.getKey().getName().startsWith("agentid-")) {
                continue; // agentid's own export threads read the collector's answers
            }
            for (StackTraceElement f : t.getValue()) {
                if ((f.getClassName().startsWith("sun.nio.ch.NioSocketImpl")
                        || f.getClassName().startsWith("java.net.Socket$SocketInputStream"))
                        && f.getMethodName().toLowerCase(java.util.Locale.ROOT).contains("read")) {
                    n++;
                    break;
                }
            }
        }
        return n;
    }

    private static String step(Client client, int which, String url, long[] times, Throwable[] failure) {
        Object response;
        int status;
        times[0] = System.nanoTime();
        try {
            response = client.post(which, url, ChunkedModelApp.body("chunked"));
            status = client.status(response);
        } catch (IOException e) {
            times[1] = times[2] = System.nanoTime();
            failure[0] = e;
            return "threw " + e.getClass().getName() + " " + e.getMessage();
        }
        times[1] = System.nanoTime();
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        try {
            InputStream in = client.body(response);
            byte[] buf = new byte[1000];
            for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                got.write(buf, 0, n);
            }
            times[2] = System.nanoTime();
            return "ok " + status + " " + got.size() + " " + ChunkedModelApp.sha256(got.toByteArray(), got.size());
        } catch (IOException e) {
            times[2] = System.nanoTime();
            failure[0] = e;
            return "failed " + status + " " + e.getClass().getName() + " " + e.getMessage() + " after " + got.size()
                    + " " + ChunkedModelApp.sha256(got.toByteArray(), got.size());
        } finally {
            try {
                client.close(response);
            } catch (IOException e) {
                // after a failed read: as the application would, ignore it
            }
        }
    }

    /**
     * Apache HttpClient 5 classic, {@code executeOpen}: client 0's pool has a {@code ConnectionConfig} socket timeout,
     * client 1's requests a default {@code RequestConfig} response timeout.
     */
    static final class Apache5 implements Client {
        private final org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager[] pools = {
            org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create()
                    .setDefaultConnectionConfig(org.apache.hc.client5.http.config.ConnectionConfig.custom()
                            .setSocketTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(TIMEOUT_MS)).build())
                    .build(),
            org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder.create().build(),
        };
        private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient[] clients = {
            org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(pools[0]).build(),
            org.apache.hc.client5.http.impl.classic.HttpClients.custom().setConnectionManager(pools[1])
                    .setDefaultRequestConfig(org.apache.hc.client5.http.config.RequestConfig.custom()
                            .setResponseTimeout(org.apache.hc.core5.util.Timeout.ofMilliseconds(TIMEOUT_MS)).build())
                    .build(),
        };

        @Override
        public Object post(int which, String url, String body) throws IOException {
            org.apache.hc.client5.http.classic.methods.HttpPost post =
                    new org.apache.hc.client5.http.classic.methods.HttpPost(url);
            post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(body,
                    org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
            return clients[which].executeOpen(null, post, null);
        }

        @Override
        public int status(Object response) {
            return ((org.apache.hc.core5.http.ClassicHttpResponse) response).getCode();
        }

        @Override
        public InputStream body(Object response) throws IOException {
            return ((org.apache.hc.core5.http.ClassicHttpResponse) response).getEntity().getContent();
        }

        @Override
        public void close(Object response) throws IOException {
            ((org.apache.hc.core5.http.ClassicHttpResponse) response).close();
        }

        @Override
        public String pool(int which) {
            org.apache.hc.core5.pool.PoolStats s = pools[which].getTotalStats();
            return "leased=" + s.getLeased() + " available=" + s.getAvailable();
        }

        @Override
        public void close() throws IOException {
            for (org.apache.hc.client5.http.impl.classic.CloseableHttpClient c : clients) {
                c.close();
            }
        }
    }

    /** Apache HttpClient 4 classic: a default {@code RequestConfig} with a socket timeout, a pooling manager. */
    static final class Apache4 implements Client {
        private final org.apache.http.impl.conn.PoolingHttpClientConnectionManager pool =
                new org.apache.http.impl.conn.PoolingHttpClientConnectionManager();
        private final org.apache.http.impl.client.CloseableHttpClient client =
                org.apache.http.impl.client.HttpClients.custom().setConnectionManager(pool)
                        .setDefaultRequestConfig(org.apache.http.client.config.RequestConfig.custom()
                                .setSocketTimeout(TIMEOUT_MS).build())
                        .build();

        @Override
        public Object post(int which, String url, String body) throws IOException {
            org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(url);
            post.setEntity(new org.apache.http.entity.StringEntity(body,
                    org.apache.http.entity.ContentType.APPLICATION_JSON));
            return client.execute(post);
        }

        @Override
        public int status(Object response) {
            return ((org.apache.http.HttpResponse) response).getStatusLine().getStatusCode();
        }

        @Override
        public InputStream body(Object response) throws IOException {
            return ((org.apache.http.HttpResponse) response).getEntity().getContent();
        }

        @Override
        public void close(Object response) throws IOException {
            ((org.apache.http.client.methods.CloseableHttpResponse) response).close();
        }

        @Override
        public String pool(int which) {
            org.apache.http.pool.PoolStats s = pool.getTotalStats();
            return "leased=" + s.getLeased() + " available=" + s.getAvailable();
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /**
     * OkHttp 4 or 5 with a call timeout of {@link #TIMEOUT_MS} and a long read timeout: client 0 calls
     * {@code execute()}, client 1 {@code enqueue} (the response handed back to the caller's thread, which reads it),
     * client 2 {@code execute()} through an application interceptor that closes the first response unread and
     * proceeds once more, returning the second.
     */
    static final class Ok implements Client {
        private final okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder()
                .callTimeout(TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                .readTimeout(30, java.util.concurrent.TimeUnit.SECONDS).build();
        private final okhttp3.OkHttpClient twice = client.newBuilder().addInterceptor(chain -> {
            chain.proceed(chain.request()).close();
            return chain.proceed(chain.request());
        }).build();

        @Override
        public Object post(int which, String url, String body) throws IOException {
            okhttp3.Call call = client.newCall(new okhttp3.Request.Builder().url(url)
                    .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build());
            if (which == 2) {
                return twice.newCall(call.request()).execute();
            }
            if (which == 0) {
                return call.execute();
            }
            java.util.concurrent.CompletableFuture<okhttp3.Response> f = new java.util.concurrent.CompletableFuture<>();
            call.enqueue(new okhttp3.Callback() {
                @Override
                public void onFailure(okhttp3.Call c, IOException e) {
                    f.completeExceptionally(e);
                }

                @Override
                public void onResponse(okhttp3.Call c, okhttp3.Response r) {
                    f.complete(r);
                }
            });
            try {
                return f.get(60, java.util.concurrent.TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
            } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
                throw new IOException(e);
            }
        }

        @Override
        public int status(Object response) {
            return ((okhttp3.Response) response).code();
        }

        @Override
        public InputStream body(Object response) {
            return ((okhttp3.Response) response).body().byteStream();
        }

        @Override
        public void close(Object response) {
            ((okhttp3.Response) response).close();
        }

        @Override
        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** HttpURLConnection with a read timeout; the response asked for with {@code getResponseCode()}. */
    static final class Url implements Client {
        @Override
        public Object post(int which, String url, String body) throws IOException {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setReadTimeout(TIMEOUT_MS);
            c.setRequestProperty("Content-Type", "application/json");
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(StandardCharsets.UTF_8));
            }
            c.getResponseCode();
            return c;
        }

        @Override
        public int status(Object response) throws IOException {
            return ((HttpURLConnection) response).getResponseCode();
        }

        @Override
        public InputStream body(Object response) throws IOException {
            return ((HttpURLConnection) response).getInputStream();
        }

        @Override
        public void close(Object response) throws IOException {
            ((HttpURLConnection) response).getInputStream().close();
        }

        @Override
        public void close() {}
    }
}
