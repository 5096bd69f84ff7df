package io.agentid.it.apps;

import java.io.IOException;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * Model calls with OkHttp (4 or 5, whichever is on the class path) against the scripted OpenAI-compatible server
 * of {@code ModelBodiesIT}: the steps of {@link ModelBodiesApp#STEPS}, each to {@code /<step>/v1/chat/completions},
 * printed as {@code step.<name>=ok <status> <body as base64>} or {@code step.<name>=blocked <class> <message>}.
 * The application reads every body itself ({@code ResponseBody.bytes()}), so the test can compare what it got with
 * what the server sent. Argument: the server's port.
 */
public final class OkHttpModelApp {
    private static final MediaType JSON = MediaType.get("application/json");

    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
        for (String[] s : ModelBodiesApp.STEPS) {
            String name = "ok_" + s[0];
            String body = ModelBodiesApp.body(s[0], s[1], Integer.parseInt(s[2]));
            RequestBody rb = s[0].equals("oneshot") ? oneShot(body) : RequestBody.create(body, JSON);
            Request request = new Request.Builder().url(base + ModelBodiesApp.path(name)).post(rb).build();
            String outcome;
            try {
                outcome = s[0].equals("async_cheap") ? enqueue(client, request) : describe(client.newCall(request)
                        .execute());
            } catch (IOException e) {
                outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
            }
            System.out.println("step." + name + "=" + outcome);
        }
        System.out.println("done=true");
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        System.exit(0);
    }

    /** A body OkHttp may write only once (a stream, say): agentid must not write it first. */
    private static RequestBody oneShot(String body) {
        return new RequestBody() {
            @Override
            public MediaType contentType() {
                return JSON;
            }

            @Override
            public long contentLength() {
                return body.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                sink.writeUtf8(body);
            }
        };
    }

    private static String describe(Response r) throws IOException {
        try (r) {
            return "ok " + r.code() + " " + Base64.getEncoder().encodeToString(r.body().bytes());
        }
    }

    private static String enqueue(OkHttpClient client, Request request) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        client.newCall(request).enqueue(new Callback() {
            @Override
            public void onFailure(Call call, IOException e) {
                done.completeExceptionally(e);
            }

            @Override
            public void onResponse(Call call, Response response) {
                try {
                    done.complete(describe(response));
                } catch (IOException e) {
                    done.completeExceptionally(e);
                }
            }
        });
        try {
            return done.get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException) {
                throw (IOException) e.getCause();
            }
            throw e;
        }
    }
}
