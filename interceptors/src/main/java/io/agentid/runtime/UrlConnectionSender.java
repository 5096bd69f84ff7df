package io.agentid.runtime;

import io.opentelemetry.common.ComponentLoader;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.export.Compressor;
import io.opentelemetry.sdk.common.export.HttpResponse;
import io.opentelemetry.sdk.common.export.HttpSender;
import io.opentelemetry.sdk.common.export.HttpSenderConfig;
import io.opentelemetry.sdk.common.export.HttpSenderProvider;
import io.opentelemetry.sdk.common.export.MessageWriter;
import io.opentelemetry.sdk.common.export.RetryPolicy;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.net.URL;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocketFactory;

/**
 * The OTLP exporter's HTTP transport: one blocking {@link HttpURLConnection} request per export, on the exporter's
 * executor (agentid's own threads), the message written straight into the connection's stream, the connection kept
 * alive by the JDK for the next export. It replaces the SDK's JDK {@code HttpClient} sender, which cost ~1.5 ms of
 * CPU per 512-span request on its own selector and executor threads (docs/PERFORMANCE.md) and kept a selector
 * thread that the JVM's exit waited for.
 *
 * <p>Implementation notes. Nothing global of the application's is used: no proxy unless the exporter is given one
 * (as the SDK's JDK sender), the JVM's default TLS context rather than
 * {@code HttpsURLConnection.setDefaultSSLSocketFactory}'s, no response cache, no redirects; the body is streamed
 * (never buffered for a resend), so a 401 is returned as it is and an application's {@code Authenticator.setDefault}
 * is never asked for a password for the collector. The one shared setting left is {@code CookieHandler.getDefault()}, which the JDK applies to
 * every {@code HttpURLConnection}; a collector sets no cookies. Retries follow the exporter's {@link RetryPolicy} as
 * the SDK's senders do: the OTLP spec's retryable statuses (429, 502, 503, 504) and I/O errors other than TLS
 * ones, with jittered exponential backoff.
 */
public final class UrlConnectionSender implements HttpSender {
    /** OTLP/HTTP: "429, 502, 503, 504" are retryable, every other failure is not. */
    private static final Set<Integer> RETRYABLE = Set.of(429, 502, 503, 504);

    private final URL url;
    private final HttpSenderConfig config;
    private final SSLSocketFactory tls;
    private final ExecutorService executor;
    private volatile boolean shutdown;

    UrlConnectionSender(HttpSenderConfig config) {
        this.config = config;
        URI endpoint = config.getEndpoint();
        try {
            this.url = endpoint.toURL();
        } catch (java.net.MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("not an http(s) URL: " + endpoint, e);
        }
        SSLSocketFactory f = null;
        if ("https".equalsIgnoreCase(endpoint.getScheme())) {
            try {
                f = (config.getSslContext() != null ? config.getSslContext() : SSLContext.getDefault())
                        .getSocketFactory();
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("no TLS context for " + endpoint, e);
            }
        }
        this.tls = f;
        this.executor = config.getExecutorService();
        if (executor == null) {
            throw new IllegalArgumentException("agentid's sender runs on the exporter's executor: none was given");
        }
    }

    /** A component loader that offers this sender for {@link HttpSenderProvider}, and {@code loader}'s otherwise. */
    public static ComponentLoader componentLoader(ClassLoader loader) {
        ComponentLoader others = ComponentLoader.forClassLoader(loader);
        HttpSenderProvider provider = UrlConnectionSender::new;
        return new ComponentLoader() {
            @Override
            @SuppressWarnings("unchecked")
            public <T> Iterable<T> load(Class<T> spi) {
                return spi == HttpSenderProvider.class ? List.of((T) provider) : others.load(spi);
            }
        };
    }

    @Override
    public void send(MessageWriter message, Consumer<HttpResponse> onResponse, Consumer<Throwable> onError) {
        if (shutdown) {
            onError.accept(new IllegalStateException("the sender is shut down"));
            return;
        }
        try {
            executor.execute(() -> {
                HttpResponse response;
                try {
                    response = sendWithRetries(message);
                } catch (Throwable t) {
                    onError.accept(t);
                    return;
                }
                onResponse.accept(response);
            });
        } catch (RejectedExecutionException e) {
            onError.accept(e);
        }
    }

    private HttpResponse sendWithRetries(MessageWriter message) throws IOException, InterruptedException {
        RetryPolicy retry = config.getRetryPolicy();
        int attempts = retry == null ? 1 : Math.max(1, retry.getMaxAttempts());
        long backoff = retry == null ? 0 : retry.getInitialBackoff().toNanos();
        for (int attempt = 1; ; attempt++) {
            HttpResponse response;
            try {
                response = sendOnce(message);
                if (attempt >= attempts || !RETRYABLE.contains(response.getStatusCode())) {
                    return response;
                }
            } catch (IOException e) {
                if (attempt >= attempts || !retryable(retry, e)) {
                    throw e;
                }
            }
            long wait = ThreadLocalRandom.current().nextLong(Math.max(1, backoff));
            TimeUnit.NANOSECONDS.sleep(wait);
            backoff = Math.min((long) (backoff * retry.getBackoffMultiplier()), retry.getMaxBackoff().toNanos());
        }
    }

    private static boolean retryable(RetryPolicy retry, IOException e) {
        if (retry.getRetryExceptionPredicate() != null) {
            return retry.getRetryExceptionPredicate().test(e);
        }
        return !(e instanceof SSLException);
    }

    private HttpResponse sendOnce(MessageWriter message) throws IOException {
        ProxySelector proxies = config.getProxyOptions() == null ? null : config.getProxyOptions().getProxySelector();
        Proxy proxy = Proxy.NO_PROXY;
        if (proxies != null) {
            List<Proxy> choices = proxies.select(config.getEndpoint());
            if (choices != null && !choices.isEmpty()) {
                proxy = choices.get(0);
            }
        }
        HttpURLConnection c = (HttpURLConnection) url.openConnection(proxy);
        if (tls != null && c instanceof HttpsURLConnection) {
            ((HttpsURLConnection) c).setSSLSocketFactory(tls);
        }
        c.setUseCaches(false);
        c.setInstanceFollowRedirects(false);
        c.setConnectTimeout(millis(config.getConnectTimeout()));
        c.setReadTimeout(millis(config.getTimeout()));
        c.setRequestMethod("POST");
        c.setDoOutput(true);
        c.setRequestProperty("Content-Type", config.getContentType());
        Map<String, List<String>> headers = config.getHeadersSupplier() == null ? null
                : config.getHeadersSupplier().get();
        if (headers != null) {
            headers.forEach((name, values) -> values.forEach(v -> c.addRequestProperty(name, v)));
        }
        Compressor compressor = config.getCompressor();
        if (compressor != null) {
            c.setRequestProperty("Content-Encoding", compressor.getEncoding());
            c.setChunkedStreamingMode(0);
        } else {
            c.setFixedLengthStreamingMode(message.getContentLength());
        }
        try {
            try (OutputStream out = compressor != null ? compressor.compress(c.getOutputStream()) : c.getOutputStream()) {
                message.writeMessage(out);
            }
            int status = c.getResponseCode();
            String reason = c.getResponseMessage();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            byte[] body = in == null ? new byte[0] : readAll(in, config.getMaxResponseBodySize());
            return new Response(status, reason == null ? "" : reason, body);
        } catch (IOException e) {
            c.disconnect(); // a half-written or half-read connection is not kept for the next export
            throw e;
        }
    }

    /**
     * The body, read to its end so that the JDK keeps the connection for the next request; bytes past {@code max}
     * are read and dropped.
     */
    private static byte[] readAll(InputStream in, long max) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            long total = 0;
            for (int n; (n = in.read(buf)) > 0; ) {
                int keep = (int) Math.max(0, Math.min(n, max - total));
                out.write(buf, 0, keep);
                total += n;
            }
            return out.toByteArray();
        }
    }

    private static int millis(java.time.Duration d) {
        return d == null ? 0 : (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    @Override
    public CompletableResultCode shutdown() {
        shutdown = true;
        return CompletableResultCode.ofSuccess();
    }

    private static final class Response implements HttpResponse {
        private final int status;
        private final String message;
        private final byte[] body;

        Response(int status, String message, byte[] body) {
            this.status = status;
            this.message = message;
            this.body = body;
        }

        @Override
        public int getStatusCode() {
            return status;
        }

        @Override
        public String getStatusMessage() {
            return message;
        }

        @Override
        public byte[] getResponseBody() {
            return body;
        }
    }
}
