package io.agentid.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import io.opentelemetry.sdk.testing.trace.TestSpanData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Authenticator;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.SocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The exporter agentid builds, sending through {@link UrlConnectionSender} to a real loopback HTTP server. */
class UrlConnectionSenderTest {
    /** What the server received: one entry per request. */
    record Received(String method, String path, String contentType, String encoding, String header, long length,
            byte[] body, int remotePort) {}

    private HttpServer server;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    /** Statuses to answer, in order; 200 once they run out. */
    private final Deque<Integer> statuses = new ArrayDeque<>();
    private ExecutorService pool;
    private OtlpHttpSpanExporter exporter;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/v1/traces", this::answer);
        server.start();
        pool = Executors.newCachedThreadPool(AgentThread.factory("test-export-http"));
    }

    @AfterEach
    void stop() {
        if (exporter != null) {
            exporter.shutdown().join(5, TimeUnit.SECONDS);
        }
        server.stop(0);
        pool.shutdownNow();
    }

    private void answer(HttpExchange x) throws IOException {
        byte[] body = x.getRequestBody().readAllBytes();
        received.add(new Received(x.getRequestMethod(), x.getRequestURI().getPath(),
                x.getRequestHeaders().getFirst("Content-Type"), x.getRequestHeaders().getFirst("Content-Encoding"),
                x.getRequestHeaders().getFirst("X-Test"),
                x.getRequestHeaders().getFirst("Content-Length") == null ? -1
                        : Long.parseLong(x.getRequestHeaders().getFirst("Content-Length")),
                body, x.getRemoteAddress().getPort()));
        Integer status;
        synchronized (statuses) {
            status = statuses.poll();
        }
        if (status != null && status == 401) {
            x.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"collector\"");
        }
        byte[] reply = status == null || status == 200 ? new byte[0] : ("status " + status).getBytes();
        x.sendResponseHeaders(status == null ? 200 : status, reply.length == 0 ? -1 : reply.length);
        x.getResponseBody().write(reply);
        x.close();
    }

    private OtlpHttpSpanExporterBuilder builder(String endpoint) {
        return OtlpHttpSpanExporter.builder()
                .setEndpoint(endpoint)
                .setTimeout(Duration.ofSeconds(5))
                .setRetryPolicy(RetryPolicy.builder().setMaxAttempts(2).setInitialBackoff(Duration.ofMillis(10)).build())
                .setExecutorService(pool)
                .setComponentLoader(UrlConnectionSender.componentLoader(getClass().getClassLoader()));
    }

    private String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1/traces";
    }

    private static List<SpanData> spans(int n) {
        List<SpanData> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(TestSpanData.builder()
                    .setName("GET " + i)
                    .setKind(SpanKind.CLIENT)
                    .setStartEpochNanos(1_000_000_000L + i)
                    .setEndEpochNanos(2_000_000_000L + i)
                    .setHasEnded(true)
                    .setStatus(StatusData.ok())
                    .build());
        }
        return out;
    }

    private static boolean export(OtlpHttpSpanExporter e, int spans) {
        CompletableResultCode r = e.export(spans(spans));
        r.join(10, TimeUnit.SECONDS);
        assertThat(r.isDone()).as("export finished").isTrue();
        return r.isSuccess();
    }

    @Test
    void sendsTheMessageWithItsHeadersAndKeepsTheConnection() {
        exporter = builder(endpoint()).addHeader("X-Test", "one").build();

        assertThat(export(exporter, 3)).isTrue();
        assertThat(export(exporter, 500)).isTrue();

        assertThat(received).hasSize(2);
        Received first = received.get(0);
        assertThat(first.method()).isEqualTo("POST");
        assertThat(first.path()).isEqualTo("/v1/traces");
        assertThat(first.contentType()).isEqualTo("application/x-protobuf");
        assertThat(first.header()).isEqualTo("one");
        assertThat(first.encoding()).isNull();
        assertThat(first.length()).isEqualTo(first.body().length).isPositive();
        // the span names are in the protobuf as they are
        assertThat(new String(first.body(), java.nio.charset.StandardCharsets.ISO_8859_1)).contains("GET 2");
        assertThat(received.get(1).body().length).isGreaterThan(first.body().length * 100);
        assertThat(received.get(1).remotePort()).as("the second export reuses the first's connection")
                .isEqualTo(first.remotePort());
    }

    @Test
    void compressesWhenTheExporterIsToldTo() throws IOException {
        exporter = builder(endpoint()).setCompression("gzip").build();

        assertThat(export(exporter, 5)).isTrue();

        Received r = received.get(0);
        assertThat(r.encoding()).isEqualTo("gzip");
        byte[] plain = new GZIPInputStream(new ByteArrayInputStream(r.body())).readAllBytes();
        assertThat(new String(plain, java.nio.charset.StandardCharsets.ISO_8859_1)).contains("GET 4");
    }

    @Test
    void retriesARetryableStatusOnce() {
        statuses.add(503);
        exporter = builder(endpoint()).build();

        assertThat(export(exporter, 1)).isTrue();
        assertThat(received).hasSize(2);

        statuses.add(503);
        statuses.add(429);
        assertThat(export(exporter, 1)).as("two attempts, both answered 503/429").isFalse();
        assertThat(received).hasSize(4);
    }

    @Test
    void doesNotRetryAClientError() {
        statuses.add(400);
        exporter = builder(endpoint()).build();

        assertThat(export(exporter, 1)).isFalse();
        assertThat(received).hasSize(1);
        assertThat(export(exporter, 1)).as("the next export goes out as usual").isTrue();
    }

    @Test
    void failsWithoutThrowingWhenNothingListens() throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        exporter = builder("http://127.0.0.1:" + port + "/v1/traces").build();

        assertThat(export(exporter, 1)).isFalse();
    }

    @Test
    void usesNoneOfTheApplicationsProxyOrAuthenticator() {
        ProxySelector proxies = ProxySelector.getDefault();
        AtomicInteger asked = new AtomicInteger();
        try {
            // an application's proxy (nothing listens there) and password prompt
            ProxySelector.setDefault(ProxySelector.of(new InetSocketAddress("127.0.0.1", 9)));
            Authenticator.setDefault(new Authenticator() {
                @Override
                protected PasswordAuthentication getPasswordAuthentication() {
                    asked.incrementAndGet();
                    return new PasswordAuthentication("app", "secret".toCharArray());
                }
            });
            statuses.add(401);
            exporter = builder(endpoint()).build();

            assertThat(export(exporter, 1)).isFalse();
            assertThat(export(exporter, 1)).isTrue();
            assertThat(received).hasSize(2);
            assertThat(asked).hasValue(0);
        } finally {
            ProxySelector.setDefault(proxies);
            Authenticator.setDefault(null);
        }
    }

    @Test
    void goesThroughTheProxyTheExporterIsGiven() {
        List<URI> asked = Collections.synchronizedList(new ArrayList<>());
        ProxySelector direct = new ProxySelector() {
            @Override
            public List<Proxy> select(URI uri) {
                asked.add(uri);
                return List.of(Proxy.NO_PROXY);
            }

            @Override
            public void connectFailed(URI uri, SocketAddress sa, IOException ioe) {}
        };
        exporter = builder(endpoint())
                .setProxy(io.opentelemetry.sdk.common.export.ProxyOptions.create(direct))
                .build();

        assertThat(export(exporter, 1)).isTrue();
        assertThat(asked).extracting(URI::getPath).containsExactly("/v1/traces");
    }
}
