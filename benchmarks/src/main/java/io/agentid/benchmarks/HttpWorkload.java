package io.agentid.benchmarks;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * The per-request HTTP workload of {@code benchmarks/http-clients.sh}: sequential GETs to an in-process
 * {@code com.sun.net.httpserver} on 127.0.0.1, with the client {@code -Dbench.client} names, measured the way
 * {@code ../shared/bench} measures its JDK HttpClient workload (warm-up, then 5 equal batches; the median batch's
 * ns per request is the figure), so that a custom mode of that harness can run it in place of its own jar.
 *
 * <pre>
 *   java -Dbench.client=okhttp -jar benchmarks/target/http-workload.jar http 20000 10000
 * </pre>
 *
 * Clients: {@code jdk} (java.net.http.HttpClient, HTTP/1.1), {@code urlconnection} (HttpURLConnection),
 * {@code okhttp} (OkHttp 4), {@code apache5} (HttpClient 5 classic), {@code apache4} (HttpClient 4 classic),
 * {@code apache5-async} (HttpClient 5 async). Each reads the whole response body.
 */
public final class HttpWorkload {
    static final List<String> CLIENTS = List.of("jdk", "urlconnection", "okhttp", "apache5", "apache4", "apache5-async",
            "apache4-async");
    private static final int BATCHES = 5;
    private static final byte[] BODY = "hello from the workload\n".getBytes(StandardCharsets.US_ASCII);
    private static long blackhole;

    private HttpWorkload() {}

    public static void main(String[] args) throws Exception {
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            // else the JDK server waits ~40 ms for the client's delayed ACK on every response
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        if (args.length < 1 || !args[0].equals("http")) {
            System.err.println("usage: java -Dbench.client=(" + String.join("|", CLIENTS)
                    + ") -jar http-workload.jar http N [WARMUP]");
            System.exit(2);
        }
        int n = args.length > 1 ? Integer.parseInt(args[1].replace("_", "")) : 20_000;
        int warmup = args.length > 2 ? Integer.parseInt(args[2].replace("_", "")) : 10_000;
        String client = System.getProperty("bench.client", "jdk");
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", ex -> {
            try (ex) {
                ex.getResponseHeaders().add("Content-Type", "text/plain");
                ex.sendResponseHeaders(200, BODY.length);
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(BODY);
                }
            }
        });
        server.start();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello";
        try (Client c = client(client, url)) {
            run(client, c, n, warmup);
        } finally {
            server.stop(0);
        }
        System.exit(0); // clients' pools and selector threads would delay the exit otherwise
    }

    /** One client: {@link #call()} sends one GET and returns the body's length. */
    interface Client extends Callable<Integer>, AutoCloseable {
        @Override
        Integer call() throws Exception;

        @Override
        default void close() throws Exception {}
    }

    static Client client(String name, String url) throws Exception {
        switch (name) {
            case "jdk": {
                HttpClient c = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpRequest req = HttpRequest.newBuilder(URI.create(url)).GET().build();
                return () -> {
                    HttpResponse<byte[]> r = c.send(req, HttpResponse.BodyHandlers.ofByteArray());
                    return check(r.statusCode(), r.body().length);
                };
            }
            case "urlconnection": {
                URL u = URI.create(url).toURL();
                return () -> {
                    HttpURLConnection c = (HttpURLConnection) u.openConnection();
                    try (InputStream in = c.getInputStream()) {
                        return check(c.getResponseCode(), in.readAllBytes().length);
                    }
                };
            }
            case "okhttp": {
                okhttp3.OkHttpClient c = new okhttp3.OkHttpClient();
                okhttp3.Request req = new okhttp3.Request.Builder().url(url).build();
                return new Client() {
                    @Override
                    public Integer call() throws IOException {
                        try (okhttp3.Response r = c.newCall(req).execute()) {
                            return check(r.code(), r.body().bytes().length);
                        }
                    }

                    @Override
                    public void close() {
                        c.dispatcher().executorService().shutdown();
                        c.connectionPool().evictAll();
                    }
                };
            }
            case "apache5": {
                org.apache.hc.client5.http.impl.classic.CloseableHttpClient c =
                        org.apache.hc.client5.http.impl.classic.HttpClients.createDefault();
                return new Client() {
                    @Override
                    public Integer call() throws IOException {
                        return c.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url), r -> check(
                                r.getCode(), org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity()).length));
                    }

                    @Override
                    public void close() throws IOException {
                        c.close();
                    }
                };
            }
            case "apache4": {
                org.apache.http.impl.client.CloseableHttpClient c = org.apache.http.impl.client.HttpClients.createDefault();
                return new Client() {
                    @Override
                    public Integer call() throws IOException {
                        try (org.apache.http.client.methods.CloseableHttpResponse r =
                                     c.execute(new org.apache.http.client.methods.HttpGet(url))) {
                            return check(r.getStatusLine().getStatusCode(),
                                    org.apache.http.util.EntityUtils.toByteArray(r.getEntity()).length);
                        }
                    }

                    @Override
                    public void close() throws IOException {
                        c.close();
                    }
                };
            }
            case "apache5-async": {
                org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient c =
                        org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();
                c.start();
                return new Client() {
                    @Override
                    public Integer call() throws Exception {
                        org.apache.hc.client5.http.async.methods.SimpleHttpResponse r = c.execute(
                                org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(url).build(), null).get();
                        return check(r.getCode(), r.getBodyBytes().length);
                    }

                    @Override
                    public void close() throws IOException {
                        c.close();
                    }
                };
            }
            case "apache4-async": {
                org.apache.http.impl.nio.client.CloseableHttpAsyncClient c =
                        org.apache.http.impl.nio.client.HttpAsyncClients.createDefault();
                c.start();
                return new Client() {
                    @Override
                    public Integer call() throws Exception {
                        org.apache.http.HttpResponse r =
                                c.execute(new org.apache.http.client.methods.HttpGet(url), null).get();
                        return check(r.getStatusLine().getStatusCode(),
                                org.apache.http.util.EntityUtils.toByteArray(r.getEntity()).length);
                    }

                    @Override
                    public void close() throws IOException {
                        c.close();
                    }
                };
            }
            default:
                throw new IllegalArgumentException("unknown -Dbench.client=" + name + "; one of " + CLIENTS);
        }
    }

    private static int check(int status, int length) {
        if (status != 200 || length != BODY.length) {
            throw new IllegalStateException("status " + status + ", " + length + " bytes");
        }
        return length;
    }

    private static void run(String name, Client c, int n, int warmup) throws Exception {
        for (int i = 0; i < warmup; i++) {
            blackhole += c.call();
        }
        int per = Math.max(1, n / BATCHES);
        double[] nsPerOp = new double[BATCHES];
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long gc0 = gcCount();
        long cpu0 = os.getProcessCpuTime();
        for (int b = 0; b < BATCHES; b++) {
            long t0 = System.nanoTime();
            for (int i = 0; i < per; i++) {
                blackhole += c.call();
            }
            nsPerOp[b] = (double) (System.nanoTime() - t0) / per;
        }
        long cpu1 = os.getProcessCpuTime();
        long gc1 = gcCount();
        double[] sorted = nsPerOp.clone();
        Arrays.sort(sorted);
        StringBuilder sb = new StringBuilder();
        for (double v : nsPerOp) {
            sb.append(sb.length() == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.0f", v));
        }
        System.out.println("http_client=" + name + " (blackhole " + (blackhole & 1) + ")");
        System.out.println("http_batches_ns_per_op=" + sb + " (" + BATCHES + " x " + per + " ops, warmup " + warmup
                + ", java " + System.getProperty("java.version") + ")");
        System.out.println("http_gc=" + (gc1 - gc0) + " collections (measured batches)");
        System.out.println("http_cpu_ns_per_op=" + Math.round((double) (cpu1 - cpu0) / ((long) per * BATCHES))
                + " (process CPU, all threads, measured batches)");
        System.out.println("http_ns_per_op=" + Math.round(sorted[sorted.length / 2]));
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += Math.max(0, gc.getCollectionCount());
        }
        return n;
    }
}
