package io.agentid.it.apps;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;

/**
 * OkHttp (4 or 5, whichever is on the class path) over HTTP/2 (h2 negotiated by ALPN) against {@code Http2IT}'s
 * Jetty server: one allowed request ({@code 127.0.0.1}) and one denied ({@code localhost}), printed as
 * {@code step.<name>=ok <status> <body> <protocol>} or {@code step.<name>=blocked <class> <message>}.
 * Argument: the TLS port. Run with the server's trust store as {@code javax.net.ssl.trustStore}.
 */
public final class OkHttpH2App {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        OkHttpClient client = new OkHttpClient.Builder().callTimeout(30, TimeUnit.SECONDS).build();
        for (String[] s : new String[][] {{"okh2_get", "https://127.0.0.1:" + port + "/okh2-get"},
                {"okh2_denied", "https://localhost:" + port + "/okh2-denied"}}) {
            String outcome;
            try (Response r = client.newCall(new Request.Builder().url(s[1]).build()).execute()) {
                outcome = "ok " + r.code() + " " + r.body().string() + " " + r.protocol();
            } catch (IOException e) {
                outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
            }
            System.out.println("step." + s[0] + "=" + outcome);
        }
        System.out.println("done=true");
        client.dispatcher().executorService().shutdown();
        client.connectionPool().evictAll();
        System.exit(0);
    }
}
