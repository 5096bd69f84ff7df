package io.agentid.samples.lc4j;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A small HTTP server that counts what it receives: the sample's internal inventory API
 * ({@code GET /inventory/<sku>}) and the attacker's upload endpoint (anything: {@code 200 stored}). The count is
 * the proof that a blocked request never left the agent.
 */
final class CountingServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool = Executors.newFixedThreadPool(2, r -> {
        Thread t = new Thread(r, "counting-server");
        t.setDaemon(true);
        return t;
    });
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicLong bodyBytes = new AtomicLong();
    private final boolean inventory;

    private CountingServer(String bindAddress, boolean inventory) throws IOException {
        // without it every answer waits ~40 ms for a delayed ACK (must be set before the server classes load)
        System.setProperty("sun.net.httpserver.nodelay", "true");
        this.inventory = inventory;
        server = HttpServer.create(new InetSocketAddress(bindAddress, 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(pool);
        server.start();
    }

    /** The internal inventory API, on 127.0.0.1. */
    static CountingServer inventory() throws IOException {
        return new CountingServer("127.0.0.1", true);
    }

    /** The attacker's endpoint, on every address (so 127.0.0.2 reaches it). */
    static CountingServer exfiltration() throws IOException {
        return new CountingServer("0.0.0.0", false);
    }

    int port() {
        return server.getAddress().getPort();
    }

    int requests() {
        return requests.get();
    }

    long bodyBytes() {
        return bodyBytes.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            long n;
            try (InputStream in = exchange.getRequestBody()) {
                n = in.transferTo(OutputStream.nullOutputStream());
            }
            requests.incrementAndGet();
            bodyBytes.addAndGet(n);
            String path = exchange.getRequestURI().getPath();
            if (!inventory) {
                send(exchange, 200, "text/plain", "stored " + n + " bytes");
            } else if (exchange.getRequestMethod().equals("GET") && path.startsWith("/inventory/")) {
                String sku = path.substring("/inventory/".length());
                send(exchange, 200, "application/json",
                        "{\"sku\":\"" + sku.replaceAll("[^A-Za-z0-9-]", "") + "\",\"in_stock\":12,\"warehouse\":\"Oslo-1\"}");
            } else {
                send(exchange, 404, "application/json", "{\"error\":\"not found\"}");
            }
        }
    }

    private static void send(HttpExchange exchange, int status, String type, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }
}
