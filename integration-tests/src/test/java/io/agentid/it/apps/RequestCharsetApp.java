package io.agentid.it.apps;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Model calls whose request body is sent in the charset its {@code Content-Type} names, through one client (argument
 * 2: {@code jdk} for {@code java.net.http.HttpClient}, {@code url} for {@code HttpURLConnection}, {@code okhttp} (4 or
 * 5, whichever is on the class path), {@code apache5}, {@code apache4} classic, {@code apache4async} for
 * HttpAsyncClient 4), against {@code RequestCharsetIT}'s loopback server (argument 1: its port). Each step of
 * {@link #STEPS} posts {@link #body(String)} in its charset with {@code Content-Type: application/json;
 * charset=<charset>} to {@link #path(String, String)}, as text the client encodes ({@code string}:
 * {@code BodyPublishers.ofString(s, charset)}, an {@code OutputStreamWriter}, {@code RequestBody.create(String,
 * MediaType)}, {@code StringEntity}) or as bytes the application encoded ({@code bytes}: {@code ofByteArray}, the
 * output stream, {@code RequestBody.create(byte[], MediaType)}, {@code ByteArrayEntity}); or ({@code nocharset}) in
 * its charset under {@code Content-Type: application/json}, which names none: HttpClient 4's {@code StringEntity}
 * with {@code ContentType.create("application/json")}, which encodes in ISO-8859-1 and says nothing of it,
 * {@code BodyPublishers.ofString(s, charset)}, an {@code OutputStreamWriter}, and for OkHttp and HttpClient 5 (whose
 * text bodies are UTF-8 when no charset is named) the bytes the application encoded. It prints
 * {@code step.<name>=ok <status> <body as base64>} or {@code step.<name>=blocked <class> <message>} (for
 * HttpAsyncClient 4, the future's failure's cause).
 */
public final class RequestCharsetApp {
    /** name, charset, form ({@code string}, {@code bytes} or {@code nocharset}). */
    public static final String[][] STEPS = {
        {"utf8", "UTF-8", "string"},
        {"latin1", "ISO-8859-1", "string"},
        {"utf16", "UTF-16", "string"},
        {"utf8_bytes", "UTF-8", "bytes"},
        {"latin1_bytes", "ISO-8859-1", "bytes"},
        {"utf16_bytes", "UTF-16", "bytes"},
        // priced above the test policy's threshold from its whole text, below it from the text before its first
        // accented letter
        {"latin1_expensive", "ISO-8859-1", "string"},
        // in ISO-8859-1 under a Content-Type that names no charset
        {"latin1_nocharset", "ISO-8859-1", "nocharset"},
        {"latin1_nocharset_expensive", "ISO-8859-1", "nocharset"},
    };

    private RequestCharsetApp() {}

    /** The prefix of a client's step names. */
    public static String prefix(String client) {
        switch (client) {
            case "jdk":
                return "jdkc_";
            case "url":
                return "urlc_";
            case "okhttp":
                return "okc_";
            case "apache5":
                return "ap5c_";
            case "apache4":
                return "ap4c_";
            case "apache4async":
                return "ap4ac_";
            default:
                throw new IllegalArgumentException(client);
        }
    }

    public static String path(String client, String step) {
        return "/" + prefix(client) + step + "/v1/chat/completions";
    }

    /**
     * The request body of a step: the text of {@link ApacheAsyncModelApp#charsetBody()} (gpt-4o-mini, text that
     * Latin-1, UTF-8 and UTF-16 encode differently), or for {@code *_expensive} an o1 prompt whose first accented
     * letter comes early and whose text goes on for about two thousand tokens after it.
     */
    public static String body(String step) {
        if (!step.endsWith("_expensive")) {
            // ApacheAsyncModelApp.charsetBody()'s text (that class needs HttpClient 5 on the class path)
            return "{\"model\":\"gpt-4o-mini\",\"max_tokens\":50,\"messages\":["
                    + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                    + "{\"role\":\"user\",\"content\":\"Say caf\u00e9 na\u00efve Z\u00fcrich in three languages.\"}]}";
        }
        return "{\"model\":\"o1\",\"max_tokens\":50,\"messages\":["
                + "{\"role\":\"user\",\"content\":\"Caf\u00e9 notes. "
                + "Summarise the quarterly report for the board in plain words, with figures. ".repeat(150)
                + "\"}]}";
    }

    public static String contentType(String charset) {
        return "application/json; charset=" + charset;
    }

    /** A step's {@code Content-Type}: none named for the {@code nocharset} form. */
    static String contentType(Charset cs, String form) {
        return form.equals("nocharset") ? "application/json" : contentType(cs.name());
    }

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        String client = args[1];
        Sender sender;
        switch (client) {
            case "jdk":
                sender = jdk();
                break;
            case "url":
                sender = RequestCharsetApp::url;
                break;
            case "okhttp":
                sender = okhttp();
                break;
            case "apache5":
                sender = apache5();
                break;
            case "apache4":
                sender = apache4();
                break;
            case "apache4async":
                sender = apache4async();
                break;
            default:
                throw new IllegalArgumentException(client);
        }
        try {
            for (String[] s : STEPS) {
                String name = prefix(client) + s[0];
                String outcome;
                try {
                    outcome = sender.send(base + path(client, s[0]), body(s[0]), Charset.forName(s[1]), s[2]);
                } catch (IOException e) {
                    outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    outcome = "blocked " + c.getClass().getName() + " " + c.getMessage();
                }
                System.out.println("step." + name + "=" + outcome);
            }
        } finally {
            sender.close();
        }
        System.out.println("done=true");
        System.exit(0);
    }

    private interface Sender {
        /** Sends {@code text} in {@code charset} as {@code form}: {@code string}, {@code bytes} or {@code nocharset}. */
        String send(String uri, String text, Charset charset, String form) throws Exception;

        default void close() throws Exception {}
    }

    private static Sender jdk() {
        java.net.http.HttpClient client = java.net.http.HttpClient.newHttpClient();
        return (uri, text, cs, form) -> {
            java.net.http.HttpResponse<String> r = client.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(uri)).header("Content-Type", contentType(cs, form))
                    .POST(form.equals("bytes") ? java.net.http.HttpRequest.BodyPublishers.ofByteArray(text.getBytes(cs))
                            : java.net.http.HttpRequest.BodyPublishers.ofString(text, cs)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            return "ok " + r.statusCode() + " " + b64(r.body().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        };
    }

    private static String url(String uri, String text, Charset cs, String form) throws IOException {
        java.net.HttpURLConnection c = (java.net.HttpURLConnection) new java.net.URL(uri).openConnection();
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", contentType(cs, form));
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            if (form.equals("bytes")) {
                out.write(text.getBytes(cs));
            } else {
                Writer w = new OutputStreamWriter(out, cs);
                w.write(text);
                w.flush();
            }
        }
        int status = c.getResponseCode();
        try (InputStream in = c.getInputStream()) {
            return "ok " + status + " " + b64(in.readAllBytes());
        }
    }

    private static Sender okhttp() {
        okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
        return new Sender() {
            @Override
            public String send(String uri, String text, Charset cs, String form) throws Exception {
                okhttp3.MediaType type = okhttp3.MediaType.get(contentType(cs, form));
                okhttp3.RequestBody rb = !form.equals("string") ? okhttp3.RequestBody.create(text.getBytes(cs), type)
                        : okhttp3.RequestBody.create(text, type); // encodes in the media type's charset
                try (okhttp3.Response r = client.newCall(new okhttp3.Request.Builder().url(uri).post(rb).build())
                        .execute()) {
                    return "ok " + r.code() + " " + b64(r.body().bytes());
                }
            }

            @Override
            public void close() {
                client.dispatcher().executorService().shutdown();
                client.connectionPool().evictAll();
            }
        };
    }

    private static Sender apache5() {
        org.apache.hc.client5.http.impl.classic.CloseableHttpClient client =
                org.apache.hc.client5.http.impl.classic.HttpClients.createDefault();
        return new Sender() {
            @Override
            public String send(String uri, String text, Charset cs, String form) throws Exception {
                org.apache.hc.core5.http.ContentType type = form.equals("nocharset")
                        ? org.apache.hc.core5.http.ContentType.create("application/json")
                        : org.apache.hc.core5.http.ContentType.create("application/json", cs);
                org.apache.hc.client5.http.classic.methods.HttpPost post =
                        new org.apache.hc.client5.http.classic.methods.HttpPost(uri);
                post.setEntity(!form.equals("string")
                        ? new org.apache.hc.core5.http.io.entity.ByteArrayEntity(text.getBytes(cs), type)
                        : new org.apache.hc.core5.http.io.entity.StringEntity(text, type));
                return client.execute(post, r -> "ok " + r.getCode() + " "
                        + b64(org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity())));
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    /** Apart, so that this class verifies without HttpClient 4 on the class path (OkHttp's runs). */
    private static final class Apache4Entities {
        static org.apache.http.HttpEntity of(String text, Charset cs, String form) {
            if (form.equals("nocharset")) {
                // names no charset: StringEntity encodes in ISO-8859-1, HTTP's old default, and says nothing of it
                return new org.apache.http.entity.StringEntity(text,
                        org.apache.http.entity.ContentType.create("application/json"));
            }
            org.apache.http.entity.ContentType type = org.apache.http.entity.ContentType.create("application/json",
                    cs);
            return form.equals("bytes") ? new org.apache.http.entity.ByteArrayEntity(text.getBytes(cs), type)
                    : new org.apache.http.entity.StringEntity(text, type);
        }
    }

    private static Sender apache4() {
        org.apache.http.impl.client.CloseableHttpClient client = org.apache.http.impl.client.HttpClients.createDefault();
        return new Sender() {
            @Override
            public String send(String uri, String text, Charset cs, String form) throws Exception {
                org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(uri);
                post.setEntity(Apache4Entities.of(text, cs, form));
                try (org.apache.http.client.methods.CloseableHttpResponse r = client.execute(post)) {
                    return "ok " + r.getStatusLine().getStatusCode() + " "
                            + b64(org.apache.http.util.EntityUtils.toByteArray(r.getEntity()));
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private static Sender apache4async() {
        org.apache.http.impl.nio.client.CloseableHttpAsyncClient client =
                org.apache.http.impl.nio.client.HttpAsyncClients.createDefault();
        client.start();
        return new Sender() {
            @Override
            public String send(String uri, String text, Charset cs, String form) throws Exception {
                org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(uri);
                post.setEntity(Apache4Entities.of(text, cs, form));
                org.apache.http.HttpResponse r = client.execute(post, null).get(30, TimeUnit.SECONDS);
                return "ok " + r.getStatusLine().getStatusCode() + " "
                        + b64(org.apache.http.util.EntityUtils.toByteArray(r.getEntity()));
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private static String b64(byte[] b) {
        return Base64.getEncoder().encodeToString(b);
    }
}
