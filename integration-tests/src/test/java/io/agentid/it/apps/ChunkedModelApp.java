package io.agentid.it.apps;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Model calls answered with {@code Transfer-Encoding: chunked} (no {@code Content-Length}) by {@code ModelBodiesIT}'s
 * loopback servers, through one client (argument 3: {@code okhttp} (4 or 5, whichever is on the class path),
 * {@code apache5}, {@code apache4}, {@code url} for HttpURLConnection, {@code apache5async} for HttpClient 5 async or
 * {@code apache4async} for HttpAsyncClient 4; {@code apache4raw}, HttpClient 4 with content compression disabled, which
 * runs {@link #RAW_STEPS}; {@code okhttp-timeout}, OkHttp with a short read timeout, which runs {@link #STALL_STEPS}).
 * Each step posts to
 * {@link #path(String)} and reads the response body itself, byte by byte as an application would, printing
 * {@code step.<name>=ok <status> <length> <sha-256>} or, if reading failed, {@code step.<name>=failed <status>
 * <exception class> <message> after <length> <sha-256 of what was read>}. The test runs it with and without the
 * agent and compares. A {@code *_held} step's server sends the headers and a first part, then waits until the
 * application asks {@code /signal/<name>}, which it does once the client has returned the response and before it
 * reads the body: with a client that read the body ahead, the signal would come only after the server gave up
 * waiting. After each step it prints {@code time.<name>=<ms until the client returned the response> <ms until the
 * body was read or failed>}, {@code reading.<name>=<other threads inside a socket read>} and, for HttpClient 4,
 * {@code entity.<name>=} what the response's entity says of itself. Arguments 1 and 2: the chunked server's port, the
 * port of the server that breaks (or stalls) its answers.
 *
 * <p>The async clients run {@link #ASYNC_STEPS}: their futures complete only once the whole body is in memory
 * ({@code SimpleResponseConsumer}, HttpAsyncClient 4's default {@code BasicAsyncResponseConsumer}), so a held
 * answer would only wait for its server to give up, and their stream is not held ({@code stream}); the application
 * then reads the buffered body byte by byte as for the others.
 */
public final class ChunkedModelApp {
    /** The steps: name, server ("chunked" or "broken"). */
    public static final String[][] STEPS = {
        {"chunked", "chunked"},
        {"chunked_gzip", "chunked"},
        {"chunked_cap", "chunked"},
        {"chunked_big", "chunked"},
        {"stream_held", "chunked"},
        {"other_held", "chunked"},
        {"broken", "broken"},
    };
    /** The steps of the async clients, which buffer the whole answer before the future completes. */
    public static final String[][] ASYNC_STEPS = {
        {"chunked", "chunked"},
        {"chunked_cap", "chunked"},
        {"chunked_big", "chunked"},
        {"stream", "chunked"},
    };
    /**
     * HttpClient 4 with content compression disabled ({@code apache4raw}): the application asks for gzip itself and
     * reads the encoded bytes; {@code sized_gzip} is answered with a {@code Content-Length}, the others chunked.
     */
    public static final String[][] RAW_STEPS = {
        {"chunked", "chunked"},
        {"chunked_gzip", "chunked"},
        {"sized_gzip", "chunked"},
    };
    /**
     * OkHttp with a read timeout of {@link #READ_TIMEOUT_MS} ({@code okhttp-timeout}): {@code stalled}'s server sends
     * the headers and part of the body, then nothing until the client closes the connection.
     */
    public static final String[][] STALL_STEPS = {
        {"stalled", "broken"},
    };
    /** The read timeout of {@code okhttp-timeout}'s client. */
    public static final int READ_TIMEOUT_MS = 1000;
    /** agentid's cap on what it reads ahead (ModelCalls.RESPONSE_CAP). */
    public static final int CAP = 1 << 20;
    public static final String RESPONSE = "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\","
            + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\","
            + "\"content\":\"2, 3, 5. 1 has one divisor.\"},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12,\"total_tokens\":43}}";
    public static final String STREAM = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\","
            + "\"model\":\"gpt-4o-mini\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"2, 3, 5.\"}}]}\n\n"
            + "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"model\":\"gpt-4o-mini\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12,\"total_tokens\":43}}\n\n"
            + "data: [DONE]\n\n";

    private ChunkedModelApp() {}

    /** The steps a client (argument 3) runs. */
    public static String[][] steps(String kind) {
        switch (kind) {
            case "apache4raw":
                return RAW_STEPS;
            case "okhttp-timeout":
                return STALL_STEPS;
            default:
                return kind.endsWith("async") ? ASYNC_STEPS : STEPS;
        }
    }

    /** The prefix of a client's step names. */
    public static String prefix(String kind) {
        switch (kind) {
            case "okhttp":
                return "ok_";
            case "apache5":
                return "ap5_";
            case "apache4":
                return "ap4_";
            case "apache4raw":
                return "ap4r_";
            case "okhttp-timeout":
                return "okt_";
            case "apache5async":
                return "ap5a_";
            case "apache4async":
                return "ap4a_";
            default:
                return "url_";
        }
    }

    /** A step's path; {@code other_*} is no model call's. */
    public static String path(String name) {
        return name.contains("other_") ? "/" + name + "/api/orders" : "/" + name + "/v1/chat/completions";
    }

    /** The request body of a step: a chat completion of gpt-4o-mini, streamed for {@code stream_*}. */
    public static String body(String step) {
        String stream = step.startsWith("stream") ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "";
        return "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50" + stream + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Name three prime numbers and say why 1 is not one of them.\"}]}";
    }

    /**
     * The answer of a step, before any gzip: {@code chunked_cap} is exactly {@link #CAP} bytes and
     * {@code chunked_big} one more, both with their usage first (so that a reader that took a prefix would find it).
     */
    public static byte[] answer(String step) {
        switch (step) {
            case "chunked_cap":
                return padded(CAP);
            case "chunked_big":
                return padded(CAP + 1);
            case "stream_held":
            case "stream":
                return STREAM.getBytes(StandardCharsets.UTF_8);
            default:
                return RESPONSE.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static byte[] padded(int size) {
        String head = "{\"id\":\"chatcmpl-2\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
                + "\"usage\":{\"prompt_tokens\":31,\"completion_tokens\":12,\"total_tokens\":43},"
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
        String tail = "\"},\"finish_reason\":\"stop\"}]}";
        return (head + "a".repeat(size - head.length() - tail.length()) + tail).getBytes(StandardCharsets.UTF_8);
    }

    public static String sha256(byte[] b, int len) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            d.update(b, 0, len);
            return HexFormat.of().formatHex(d.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** What a client gives a step: the status and the body's stream (null: nothing to read). */
    interface Client extends AutoCloseable {
        Object post(String url, String body, boolean gzip) throws IOException;

        int status(Object response) throws IOException;

        InputStream body(Object response) throws IOException;

        void close(Object response) throws IOException;

        /** A GET read to its end. */
        void get(String url) throws IOException;

        /** What the response's entity says of itself, where the client has one (null: nothing to say). */
        default String entity(Object response) {
            return null;
        }
    }

    public static void main(String[] args) throws Exception {
        String chunked = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        String broken = "http://127.0.0.1:" + Integer.parseInt(args[1]);
        String kind = args[2];
        String prefix = prefix(kind);
        try (Client client = kind.equals("okhttp") ? new Ok(10_000) : kind.equals("okhttp-timeout")
                ? new Ok(READ_TIMEOUT_MS) : kind.equals("apache5") ? new Apache5() : kind.equals("apache4")
                ? new Apache4(org.apache.http.impl.client.HttpClients.createDefault(), false)
                : kind.equals("apache4raw") ? new Apache4(org.apache.http.impl.client.HttpClients.custom()
                        .disableContentCompression().build(), true)
                : kind.equals("apache5async") ? new Apache5Async()
                : kind.equals("apache4async") ? new Apache4Async() : new Url()) {
            for (String[] s : steps(kind)) {
                String name = prefix + s[0];
                String base = s[1].equals("broken") ? broken : chunked;
                long[] times = new long[3];
                String outcome = step(client, base, name, s[0], times);
                System.out.println("step." + name + "=" + outcome);
                System.out.println("time." + name + "=" + (times[1] - times[0]) / 1_000_000 + " "
                        + (times[2] - times[1]) / 1_000_000);
                System.out.println("reading." + name + "=" + socketReaders());
            }
        }
        System.out.println("done=true");
        System.exit(0);
    }

    /**
     * The other threads now inside a socket's read: after a step has ended, its client left none (a read that timed
     * out, whoever made it, is over).
     */
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

    /**
     * One step; {@code times}: nanos when it started, when the client returned the response (or failed), and when
     * the application had read the body (or failed to).
     */
    private static String step(Client client, String base, String name, String step, long[] times) {
        Object response;
        int status;
        times[0] = System.nanoTime();
        try {
            response = client.post(base + path(name), body(step), step.contains("gzip"));
            status = client.status(response);
        } catch (IOException e) {
            times[1] = times[2] = System.nanoTime();
            return "blocked " + e.getClass().getName() + " " + e.getMessage();
        }
        times[1] = System.nanoTime();
        String entity = client.entity(response);
        if (entity != null) {
            System.out.println("entity." + name + "=" + entity);
        }
        try {
            if (step.endsWith("_held")) {
                client.get(base + "/signal/" + name);
            }
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            try {
                InputStream in = client.body(response);
                byte[] buf = new byte[1000];
                for (int n; (n = in.read(buf, 0, buf.length)) >= 0; ) {
                    got.write(buf, 0, n);
                }
                times[2] = System.nanoTime();
                return "ok " + status + " " + got.size() + " " + sha256(got.toByteArray(), got.size());
            } catch (IOException e) {
                times[2] = System.nanoTime();
                return "failed " + status + " " + e.getClass().getName() + " " + e.getMessage() + " after "
                        + got.size() + " " + sha256(got.toByteArray(), got.size());
            } finally {
                try {
                    client.close(response);
                } catch (IOException e) {
                    // after a failed read: as the application would, ignore it
                }
            }
        } catch (IOException e) {
            return "error " + e;
        }
    }

    /** OkHttp 4 or 5: it asks for gzip itself and decodes it. */
    static final class Ok implements Client {
        private final okhttp3.OkHttpClient client;

        Ok(int readTimeoutMillis) {
            client = new okhttp3.OkHttpClient.Builder().callTimeout(60, java.util.concurrent.TimeUnit.SECONDS)
                    .readTimeout(readTimeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS).build();
        }

        @Override
        public Object post(String url, String body, boolean gzip) throws IOException {
            return client.newCall(new okhttp3.Request.Builder().url(url)
                    .post(okhttp3.RequestBody.create(body, okhttp3.MediaType.get("application/json"))).build())
                    .execute();
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
        public void get(String url) throws IOException {
            try (okhttp3.Response r = client.newCall(new okhttp3.Request.Builder().url(url).build()).execute()) {
                r.body().bytes();
            }
        }

        @Override
        public void close() {
            client.dispatcher().executorService().shutdown();
            client.connectionPool().evictAll();
        }
    }

    /** Apache HttpClient 5 classic: it asks for gzip and decodes it (above agentid's hook). */
    static final class Apache5 implements Client {
        private final org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
                org.apache.hc.client5.http.impl.classic.HttpClients.createDefault();

        @Override
        public Object post(String url, String body, boolean gzip) throws IOException {
            org.apache.hc.client5.http.classic.methods.HttpPost post =
                    new org.apache.hc.client5.http.classic.methods.HttpPost(url);
            post.setEntity(new org.apache.hc.core5.http.io.entity.StringEntity(body,
                    org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
            return client.executeOpen(null, post, null);
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
        public void get(String url) throws IOException {
            client.execute(new org.apache.hc.client5.http.classic.methods.HttpGet(url),
                    r -> org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity()));
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /** HttpClient 4's messages, shared by its classic and async clients. */
    abstract static class Http4Client implements Client {
        static org.apache.http.client.methods.HttpPost jsonPost(String url, String body) {
            org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(url);
            post.setEntity(new org.apache.http.entity.StringEntity(body,
                    org.apache.http.entity.ContentType.APPLICATION_JSON));
            return post;
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
        public String entity(Object response) {
            org.apache.http.HttpEntity e = ((org.apache.http.HttpResponse) response).getEntity();
            org.apache.http.Header enc = e.getContentEncoding();
            org.apache.http.Header type = e.getContentType();
            return "length=" + e.getContentLength() + " chunked=" + e.isChunked() + " encoding="
                    + (enc == null ? null : enc.getValue()) + " type=" + (type == null ? null : type.getValue());
        }
    }

    /**
     * Apache HttpClient 4 classic. {@code createDefault()}: it asks for gzip and decodes it inside its chain (below
     * agentid's hook). With content compression disabled ({@code askGzip}): the application asks for gzip itself
     * and reads the encoded bytes.
     */
    static final class Apache4 extends Http4Client {
        private final org.apache.http.impl.client.CloseableHttpClient client;
        private final boolean askGzip;

        Apache4(org.apache.http.impl.client.CloseableHttpClient client, boolean askGzip) {
            this.client = client;
            this.askGzip = askGzip;
        }

        @Override
        public Object post(String url, String body, boolean gzip) throws IOException {
            org.apache.http.client.methods.HttpPost post = jsonPost(url, body);
            if (gzip && askGzip) {
                post.setHeader("Accept-Encoding", "gzip");
            }
            return client.execute(post);
        }

        @Override
        public void close(Object response) throws IOException {
            ((org.apache.http.client.methods.CloseableHttpResponse) response).close();
        }

        @Override
        public void get(String url) throws IOException {
            try (org.apache.http.client.methods.CloseableHttpResponse r =
                    client.execute(new org.apache.http.client.methods.HttpGet(url))) {
                org.apache.http.util.EntityUtils.toByteArray(r.getEntity());
            }
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /** The outcome of an async client's future: its result, or its failure's cause as an IOException. */
    static <T> T await(java.util.concurrent.Future<T> future) throws IOException {
        try {
            return future.get(60, java.util.concurrent.TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            throw c instanceof IOException io ? io : new IOException(c);
        } catch (InterruptedException | java.util.concurrent.TimeoutException e) {
            throw new IOException(e);
        }
    }

    /**
     * Apache HttpClient 5 async: a {@code SimpleHttpRequest} with its body, {@code execute(SimpleHttpRequest,
     * callback)}, answered into a {@code SimpleHttpResponse} by its {@code SimpleResponseConsumer} (the whole body).
     */
    static final class Apache5Async implements Client {
        private final org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
                org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();

        Apache5Async() {
            client.start();
        }

        @Override
        public Object post(String url, String body, boolean gzip) throws IOException {
            return await(client.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(url)
                    .setBody(body, org.apache.hc.core5.http.ContentType.APPLICATION_JSON).build(), null));
        }

        @Override
        public int status(Object response) {
            return ((org.apache.hc.client5.http.async.methods.SimpleHttpResponse) response).getCode();
        }

        @Override
        public InputStream body(Object response) {
            byte[] b = ((org.apache.hc.client5.http.async.methods.SimpleHttpResponse) response).getBodyBytes();
            return new java.io.ByteArrayInputStream(b == null ? new byte[0] : b);
        }

        @Override
        public void close(Object response) {}

        @Override
        public void get(String url) throws IOException {
            await(client.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.get(url).build(),
                    null));
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /**
     * Apache HttpAsyncClient 4: {@code HttpPost} with a {@code StringEntity}, {@code execute(HttpUriRequest,
     * callback)}, answered through the default {@code BasicAsyncResponseConsumer} (the whole body).
     */
    static final class Apache4Async extends Http4Client {
        private final org.apache.http.impl.nio.client.CloseableHttpAsyncClient client =
                org.apache.http.impl.nio.client.HttpAsyncClients.createDefault();

        Apache4Async() {
            client.start();
        }

        @Override
        public Object post(String url, String body, boolean gzip) throws IOException {
            return await(client.execute(jsonPost(url, body), null));
        }

        @Override
        public void close(Object response) throws IOException {
            org.apache.http.util.EntityUtils.consume(((org.apache.http.HttpResponse) response).getEntity());
        }

        @Override
        public void get(String url) throws IOException {
            org.apache.http.util.EntityUtils.toByteArray(
                    await(client.execute(new org.apache.http.client.methods.HttpGet(url), null)).getEntity());
        }

        @Override
        public void close() throws IOException {
            client.close();
        }
    }

    /** HttpURLConnection: the application asks for gzip itself and gets the compressed bytes. */
    static final class Url implements Client {
        @Override
        public Object post(String url, String body, boolean gzip) throws IOException {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setRequestMethod("POST");
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", "application/json");
            if (gzip) {
                c.setRequestProperty("Accept-Encoding", "gzip");
            }
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
        public void get(String url) throws IOException {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            try (InputStream in = c.getInputStream()) {
                in.readAllBytes();
            }
        }

        @Override
        public void close() {}
    }
}
