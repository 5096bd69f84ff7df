package io.agentid.it.support;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.agentid.it.support.OtlpSink.SpanRecord;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A real HTTP and HTTPS server on loopback (the JDK's {@code com.sun.net.httpserver}) that records every request
 * it receives, so a test can prove a blocked request never left the client. Every path answers {@code 200}
 * with {@code ok <path> <body bytes>}, except {@code /r/...?to=<url>}, which redirects ({@code 302}) to
 * {@code url} ({@code /r307/...} and {@code /r308/...}: with that status, which tells the client to send the same
 * method and body again), {@code /s503/...}, which answers {@code 503} with {@code Retry-After: 0}, and
 * {@code /hold/<name>}, which holds its answer back until {@link #releaseHeld()} (or the application's {@link #release}), so that a client can cancel it in
 * flight (a forked application learns that it arrived with {@link #awaitHeld}). The HTTPS side uses a self-signed
 * certificate for {@code localhost} and {@code 127.0.0.1}, made with {@code keytool} when the server starts; {@link #trustStore()} is a trust store that holds it.
 */
public final class CountingHttpServer implements AutoCloseable {
    public static final String STORE_PASSWORD = "agentid-it";

    /** One request as it arrived, its body as the server read it (decoded from chunks when chunked). */
    public record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        public int bodyBytes() {
            return body.length;
        }

        public String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name) && !e.getValue().isEmpty()) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    private final HttpServer http;
    private final HttpsServer https;
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private final Path trustStore;
    private final Path keyStore;
    /** Per held name: counted down when {@code /hold/<name>} arrives, and to release it. */
    private final Map<String, CountDownLatch> arrivals = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();

    public CountingHttpServer(Path dir) throws Exception {
        // without it every answer waits ~40 ms for a delayed ACK (must be set before the server classes load)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        keyStore = dir.resolve("server.p12");
        Path cert = dir.resolve("server.crt");
        trustStore = dir.resolve("trust.p12");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD, "-keypass", STORE_PASSWORD);
        keytool("-exportcert", "-alias", "server", "-keystore", keyStore.toString(), "-storepass", STORE_PASSWORD,
                "-file", cert.toString());
        keytool("-importcert", "-noprompt", "-alias", "server", "-file", cert.toString(), "-storetype", "PKCS12",
                "-keystore", trustStore.toString(), "-storepass", STORE_PASSWORD);

        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keyStore)) {
            ks.load(in, STORE_PASSWORD.toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, STORE_PASSWORD.toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);

        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.createContext("/", this::handle);
        http.setExecutor(pool);
        https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(tls));
        https.createContext("/", this::handle);
        https.setExecutor(pool);
        http.start();
        https.start();
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool failed: " + String.join(" ", cmd) + "\n" + out);
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            String query = exchange.getRequestURI().getRawQuery();
            received.add(new Received(exchange.getRequestMethod(), path, query,
                    Map.copyOf(exchange.getRequestHeaders()), body));
            counts.merge(path, 1, Integer::sum);
            int redirect = path.startsWith("/r/") ? 302 : path.startsWith("/r307/") ? 307
                    : path.startsWith("/r308/") ? 308 : 0;
            if (redirect != 0 && query != null && query.startsWith("to=")) {
                exchange.getResponseHeaders().add("Location",
                        URLDecoder.decode(query.substring(3), StandardCharsets.UTF_8));
                exchange.sendResponseHeaders(redirect, -1);
                return;
            }
            if (path.startsWith("/hold/")) {
                String name = path.substring("/hold/".length());
                CountDownLatch release = releases.computeIfAbsent(name, k -> new CountDownLatch(1));
                arrivals.computeIfAbsent(name, k -> new CountDownLatch(1)).countDown();
                await(release); // bounded, so a test that forgets to release cannot hang the server
            } else if (path.startsWith("/release/")) {
                // a forked application releases one held request itself (release)
                releases.computeIfAbsent(path.substring("/release/".length()), k -> new CountDownLatch(1)).countDown();
                exchange.sendResponseHeaders(204, -1);
                return;
            } else if (path.startsWith("/arrived/")) {
                boolean arrived = await(arrivals.computeIfAbsent(path.substring("/arrived/".length()),
                        k -> new CountDownLatch(1)));
                exchange.sendResponseHeaders(arrived ? 204 : 504, -1);
                return;
            }
            if (path.startsWith("/s503/")) {
                // unavailable, retry at once: a client's automatic retry sends the same request again
                exchange.getResponseHeaders().add("Retry-After", "0");
                exchange.sendResponseHeaders(503, -1);
                return;
            }
            byte[] answer = ("ok " + path + " " + body.length).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        }
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Answers every {@code /hold/} request held so far (its client may have gone), and forgets the names, so the next
     * run can hold the same ones again.
     */
    public void releaseHeld() {
        for (CountDownLatch l : releases.values()) {
            l.countDown();
        }
        releases.clear();
        arrivals.clear();
    }

    /**
     * For a forked application: returns once {@code /hold/<name>} has reached the server at {@code base} (a plain
     * {@code HttpURLConnection} to {@code /arrived/<name>}, which waits for it).
     */
    public static void awaitHeld(String base, String name) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(base + "/arrived/" + name)
                .toURL().openConnection();
        try {
            int status = c.getResponseCode();
            if (status != 204) {
                throw new IOException("/hold/" + name + " did not arrive: " + status);
            }
        } finally {
            c.disconnect();
        }
    }

    /**
     * For a forked application: answers the {@code /hold/<name>} request held at the server at {@code base} (a plain
     * {@code HttpURLConnection} to {@code /release/<name>}); the test's {@link #releaseHeld()} still forgets the name.
     */
    public static void release(String base, String name) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) java.net.URI.create(base + "/release/" + name)
                .toURL().openConnection();
        try {
            int status = c.getResponseCode();
            if (status != 204) {
                throw new IOException("/release/" + name + ": " + status);
            }
        } finally {
            c.disconnect();
        }
    }

    public int httpPort() {
        return http.getAddress().getPort();
    }

    public int httpsPort() {
        return https.getAddress().getPort();
    }

    /** The server's key and self-signed certificate (PKCS12, {@link #STORE_PASSWORD}), for other test servers. */
    public Path keyStore() {
        return keyStore;
    }

    public Path trustStore() {
        return trustStore;
    }

    /** How many requests arrived for {@code path}. */
    public int count(String path) {
        return counts.getOrDefault(path, 0);
    }

    public Map<String, Integer> counts() {
        return Map.copyOf(counts);
    }

    public List<Received> received(String path) {
        List<Received> out = new ArrayList<>();
        for (Received r : received) {
            if (r.path().equals(path)) {
                out.add(r);
            }
        }
        return out;
    }

    /**
     * The last two requests for {@code path} came from a run without the agent, then one with it: the first carried no
     * {@code traceparent}, the second the one naming {@code span}.
     */
    public void assertSentWithoutThenWith(String path, SpanRecord span) {
        List<Received> held = received(path);
        assertThat(held).as(path).hasSizeGreaterThanOrEqualTo(2);
        assertThat(held.subList(held.size() - 2, held.size())).extracting(q -> q.header("traceparent") != null)
                .containsExactly(false, true);
        assertThat(held.get(held.size() - 1).header("traceparent"))
                .isEqualTo("00-" + span.traceId() + "-" + span.spanId() + "-01");
    }

    public List<Received> received() {
        return List.copyOf(received);
    }

    @Override
    public void close() {
        releaseHeld();
        http.stop(0);
        https.stop(0);
        pool.shutdownNow();
    }
}
