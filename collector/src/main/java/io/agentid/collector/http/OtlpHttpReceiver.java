package io.agentid.collector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.agentid.collector.ingest.Ingest;
import io.agentid.collector.otlp.Decoded;
import io.agentid.collector.otlp.OtlpCodec;
import io.agentid.collector.otlp.OtlpDecodeException;
import io.agentid.collector.otlp.OtlpStatus;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/HTTP trace receiver: {@code POST /v1/traces} with {@code application/x-protobuf} or {@code application/json},
 * optionally gzip. Answers 200 (with partial success when some spans were rejected) only after the spans are
 * durable; 400 for an undecodable body, 413 over the size limit, 415 for another content type or encoding, 503
 * with {@code Retry-After} when the writer is behind. Error bodies are a {@code google.rpc.Status} in the
 * request's encoding, as the OTLP specification asks.
 */
public final class OtlpHttpReceiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtlpHttpReceiver.class);
    static final String PROTOBUF = "application/x-protobuf";
    static final String JSON = "application/json";

    private final HttpServer server;
    private final Ingest ingest;
    private final int maxBodyBytes;

    public OtlpHttpReceiver(String host, int port, Ingest ingest, int maxBodyBytes) throws IOException {
        this.ingest = ingest;
        this.maxBodyBytes = maxBodyBytes;
        this.server = HttpIo.bind(host, port, "OTLP/HTTP receiver (--otlp-http-port)",
                Math.max(16, 4 * Runtime.getRuntime().availableProcessors()));
        server.createContext("/", this::handle);
        server.start();
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private void handle(HttpExchange ex) throws IOException {
        boolean json = false;
        try {
            String path = ex.getRequestURI().getPath();
            if (!"/v1/traces".equals(path) && !"/v1/traces/".equals(path)) {
                String msg = "/v1/metrics".equals(path) || "/v1/logs".equals(path)
                        ? "this collector receives traces only (POST /v1/traces)"
                        : "no such endpoint: " + path + " (OTLP traces go to POST /v1/traces)";
                HttpIo.send(ex, 404, JSON, OtlpStatus.json(OtlpStatus.UNIMPLEMENTED, msg));
                return;
            }
            if (!"POST".equals(ex.getRequestMethod())) {
                ex.getResponseHeaders().set("Allow", "POST");
                HttpIo.send(ex, 405, JSON, OtlpStatus.json(OtlpStatus.INVALID_ARGUMENT,
                        ex.getRequestMethod() + " is not supported; send POST /v1/traces"));
                return;
            }
            String type = HttpIo.mediaType(ex);
            json = JSON.equals(type);
            if (!json && !PROTOBUF.equals(type) && !"application/protobuf".equals(type)) {
                HttpIo.send(ex, 415, JSON, OtlpStatus.json(OtlpStatus.INVALID_ARGUMENT,
                        "unsupported Content-Type '" + type + "'; send application/x-protobuf or application/json"));
                return;
            }
            String encoding = ex.getRequestHeaders().getFirst("Content-Encoding");
            encoding = encoding == null ? "" : encoding.trim().toLowerCase(Locale.ROOT);
            if (!encoding.isEmpty() && !"gzip".equals(encoding) && !"identity".equals(encoding)) {
                error(ex, json, 415, OtlpStatus.INVALID_ARGUMENT,
                        "unsupported Content-Encoding '" + encoding + "'; send gzip or no encoding");
                return;
            }
            byte[] body;
            try {
                body = HttpIo.readBody(ex, "gzip".equals(encoding), maxBodyBytes);
            } catch (HttpIo.TooLarge e) {
                ex.getResponseHeaders().set("Connection", "close");
                error(ex, json, 413, OtlpStatus.RESOURCE_EXHAUSTED, e.getMessage());
                return;
            } catch (HttpIo.BadEncoding e) {
                error(ex, json, 400, OtlpStatus.INVALID_ARGUMENT, e.getMessage());
                return;
            }
            Decoded decoded;
            try {
                decoded = json ? OtlpCodec.decodeJson(body, 0, body.length)
                        : OtlpCodec.decodeProtobuf(body, 0, body.length);
            } catch (OtlpDecodeException e) {
                error(ex, json, 400, OtlpStatus.INVALID_ARGUMENT, e.getMessage());
                return;
            }
            CompletableFuture<Void> durable = ingest.submit(decoded.spans());
            if (durable == null) {
                ex.getResponseHeaders().set("Retry-After", "1");
                error(ex, json, 503, OtlpStatus.UNAVAILABLE, "collector is busy writing; retry after 1 s");
                return;
            }
            try {
                durable.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                ex.getResponseHeaders().set("Retry-After", "5");
                Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
                error(ex, json, 503, OtlpStatus.UNAVAILABLE, "spans not stored (" + cause.getMessage()
                        + "); retry after 5 s");
                return;
            }
            byte[] response = json ? OtlpCodec.responseJson(decoded.rejected(), decoded.rejectedReason())
                    : OtlpCodec.responseProtobuf(decoded.rejected(), decoded.rejectedReason());
            HttpIo.send(ex, 200, json ? JSON : PROTOBUF, response);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            error(ex, json, 503, OtlpStatus.UNAVAILABLE, "collector is shutting down");
        } catch (IOException e) {
            // the client went away mid-request; nothing was acknowledged
            ex.close();
        } catch (RuntimeException | Error e) {
            log.error("OTLP/HTTP request failed", e);
            error(ex, json, 500, OtlpStatus.INTERNAL, "internal error: " + e.getClass().getSimpleName());
        }
    }

    private static void error(HttpExchange ex, boolean json, int status, int code, String message) {
        try {
            HttpIo.send(ex, status, json ? JSON : PROTOBUF,
                    json ? OtlpStatus.json(code, message) : OtlpStatus.protobuf(code, message));
        } catch (IOException e) {
            ex.close();
        }
    }

    @Override
    public void close() {
        HttpIo.stop(server);
    }
}
