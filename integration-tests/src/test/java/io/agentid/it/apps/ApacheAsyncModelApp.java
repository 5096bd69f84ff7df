package io.agentid.it.apps;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Model calls with Apache HttpClient 5 async or HttpAsyncClient 4 (argument 2: {@code 5} or {@code 4}) against the
 * scripted OpenAI-compatible server of {@code ModelBodiesIT}: the steps of {@link ModelBodiesApp#STEPS}, printed as
 * {@code step.<name>=ok <status> <body as base64>} or {@code step.<name>=blocked <class of the future's failure's
 * cause> <message>}. Argument 1: the server's port.
 *
 * <p>HttpClient 5 (prefix {@code ap5a_}): a {@code SimpleHttpRequest} with a body (HttpClient 5.6 makes a
 * {@code BasicAsyncEntityProducer} of it, text or bytes), answered into a {@code SimpleHttpResponse}; {@code cheap} goes
 * through {@code AsyncRequestBuilder} with a {@code StringAsyncEntityProducer} (sent chunked) and a
 * {@code SimpleResponseConsumer}, {@code async_cheap} likewise with {@code AsyncEntityProducers.create(String,
 * ContentType)}; {@code gzip_cheap} is answered gzipped (HttpClient decodes it); {@code oneshot} is streamed by
 * {@code AsyncEntityProducers.createBinary} (not repeatable).
 *
 * <p>HttpAsyncClient 4 (prefix {@code ap4a_}): {@code HttpPost} with a {@code StringEntity} ({@code async_cheap}: a
 * {@code ByteArrayEntity}; {@code oneshot}: an {@code InputStreamEntity}, not repeatable), answered through the default
 * {@code BasicAsyncResponseConsumer}; {@code gzip_cheap} asks for gzip and the application gunzips the answer itself
 * (HttpAsyncClient 4 does not decode).
 *
 * <p>Argument 2 {@code charsets} (prefix {@code ap5c_}): HttpClient 5 async posts {@link #charsetBody()}, a prompt
 * with non-ASCII text, in each of {@link #CHARSET_STEPS}' charsets, printed as above.
 */
public final class ApacheAsyncModelApp {
    /**
     * name, the charset of the request's content type, its producer: {@code simple}, a {@code SimpleHttpRequest}'s
     * text body (HttpClient makes a {@code StringAsyncEntityProducer} of it, which encodes as it sends), or
     * {@code bytes}, {@code AsyncEntityProducers.create(String, ContentType)} (a {@code BasicAsyncEntityProducer}
     * holding the text encoded).
     */
    public static final String[][] CHARSET_STEPS = {
        {"utf8_simple", "UTF-8", "simple"},
        {"latin1_simple", "ISO-8859-1", "simple"},
        {"utf16_simple", "UTF-16", "simple"},
        {"latin1_bytes", "ISO-8859-1", "bytes"},
        {"utf16_bytes", "UTF-16", "bytes"},
    };

    /** The request body of {@link #CHARSET_STEPS}: text that Latin-1, UTF-8 and UTF-16 encode differently. */
    public static String charsetBody() {
        return "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Say caf\u00e9 na\u00efve Z\u00fcrich in three languages.\"}]}";
    }

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        if (args[1].equals("charsets")) {
            charsets(base);
            return;
        }
        boolean five = args[1].equals("5");
        String prefix = five ? "ap5a_" : "ap4a_";
        try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient c5 =
                        org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault();
                org.apache.http.impl.nio.client.CloseableHttpAsyncClient c4 =
                        org.apache.http.impl.nio.client.HttpAsyncClients.createDefault()) {
            c5.start();
            c4.start();
            for (String[] s : ModelBodiesApp.STEPS) {
                String name = prefix + s[0];
                String body = ModelBodiesApp.body(s[0], s[1], Integer.parseInt(s[2]));
                String outcome;
                try {
                    outcome = five ? five(c5, base + ModelBodiesApp.path(name), body, s[0])
                            : four(c4, base + ModelBodiesApp.path(name), body, s[0]);
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    outcome = "blocked " + c.getClass().getName() + " " + c.getMessage();
                }
                System.out.println("step." + name + "=" + outcome);
            }
        }
        System.out.println("done=true");
    }

    private static void charsets(String base) throws Exception {
        try (org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client =
                org.apache.hc.client5.http.impl.async.HttpAsyncClients.createDefault()) {
            client.start();
            for (String[] s : CHARSET_STEPS) {
                String name = "ap5c_" + s[0];
                String uri = base + ModelBodiesApp.path(name);
                org.apache.hc.core5.http.ContentType type = org.apache.hc.core5.http.ContentType.create(
                        "application/json", java.nio.charset.Charset.forName(s[1]));
                org.apache.hc.client5.http.async.methods.SimpleHttpResponse r;
                if (s[2].equals("simple")) {
                    r = client.execute(org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(uri)
                            .setBody(charsetBody(), type).build(), null).get(30, TimeUnit.SECONDS);
                } else {
                    r = client.execute(org.apache.hc.core5.http.nio.support.AsyncRequestBuilder.post(uri)
                            .setEntity(org.apache.hc.core5.http.nio.entity.AsyncEntityProducers.create(
                                    charsetBody(), type)).build(),
                            org.apache.hc.client5.http.async.methods.SimpleResponseConsumer.create(), null)
                            .get(30, TimeUnit.SECONDS);
                }
                System.out.println("step." + name + "=ok " + r.getCode() + " "
                        + Base64.getEncoder().encodeToString(r.getBodyBytes()));
            }
        }
        System.out.println("done=true");
    }

    private static String five(org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient client, String uri,
            String body, String step) throws Exception {
        org.apache.hc.core5.http.ContentType json = org.apache.hc.core5.http.ContentType.APPLICATION_JSON;
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        if (step.equals("cheap") || step.equals("async_cheap") || step.equals("oneshot")) {
            org.apache.hc.core5.http.nio.AsyncEntityProducer entity;
            if (step.equals("oneshot")) {
                ByteBuffer left = ByteBuffer.wrap(bytes);
                entity = org.apache.hc.core5.http.nio.entity.AsyncEntityProducers.createBinary(channel -> {
                    try {
                        channel.write(left);
                        if (!left.hasRemaining()) {
                            channel.endStream();
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }, json);
            } else if (step.equals("cheap")) {
                entity = new org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer(body, json);
            } else {
                entity = org.apache.hc.core5.http.nio.entity.AsyncEntityProducers.create(body, json);
            }
            org.apache.hc.client5.http.async.methods.SimpleHttpResponse r = client.execute(
                    org.apache.hc.core5.http.nio.support.AsyncRequestBuilder.post(uri).setEntity(entity).build(),
                    org.apache.hc.client5.http.async.methods.SimpleResponseConsumer.create(), null)
                    .get(30, TimeUnit.SECONDS);
            return "ok " + r.getCode() + " " + Base64.getEncoder().encodeToString(r.getBodyBytes());
        }
        org.apache.hc.client5.http.async.methods.SimpleRequestBuilder b =
                org.apache.hc.client5.http.async.methods.SimpleRequestBuilder.post(uri);
        if (step.equals("gzip_cheap")) {
            b.setBody(bytes, json);
        } else {
            b.setBody(body, json);
        }
        org.apache.hc.client5.http.async.methods.SimpleHttpResponse r = client.execute(b.build(), null)
                .get(30, TimeUnit.SECONDS);
        return "ok " + r.getCode() + " " + Base64.getEncoder().encodeToString(r.getBodyBytes());
    }

    private static String four(org.apache.http.impl.nio.client.CloseableHttpAsyncClient client, String uri,
            String body, String step) throws Exception {
        org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(uri);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        org.apache.http.entity.ContentType json = org.apache.http.entity.ContentType.APPLICATION_JSON;
        switch (step) {
            case "oneshot":
                post.setEntity(new org.apache.http.entity.InputStreamEntity(new ByteArrayInputStream(bytes),
                        bytes.length, json));
                break;
            case "async_cheap":
                post.setEntity(new org.apache.http.entity.ByteArrayEntity(bytes, json));
                break;
            default:
                post.setEntity(new org.apache.http.entity.StringEntity(body, json));
        }
        if (step.equals("gzip_cheap")) {
            post.setHeader("Accept-Encoding", "gzip");
        }
        org.apache.http.HttpResponse r = client.execute(post, null).get(30, TimeUnit.SECONDS);
        byte[] got = org.apache.http.util.EntityUtils.toByteArray(r.getEntity());
        org.apache.http.Header enc = r.getFirstHeader("Content-Encoding");
        if (enc != null && enc.getValue().equals("gzip")) {
            try (InputStream z = new GZIPInputStream(new ByteArrayInputStream(got))) {
                got = z.readAllBytes();
            }
        }
        return "ok " + r.getStatusLine().getStatusCode() + " " + Base64.getEncoder().encodeToString(got);
    }
}
