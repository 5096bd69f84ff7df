package io.agentid.it.apps;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http2.HttpVersionPolicy;

/**
 * Apache HttpClient 5 async over HTTP/2 only ({@code HttpAsyncClients.customHttp2()}: {@code InternalH2AsyncClient})
 * against {@code Http2IT}'s Jetty server: h2 over TLS (ALPN) and h2c with prior knowledge (cleartext, no upgrade),
 * allowed ({@code 127.0.0.1}) and denied ({@code localhost}, by http-guardrails.yaml), and one model call (an OpenAI
 * chat completion) over h2c; then the general client ({@code HttpAsyncClients.custom()}: {@code InternalHttpAsyncClient})
 * with a TLS strategy, negotiating h2 by ALPN ({@code HttpVersionPolicy.NEGOTIATE}, steps {@code ahn_}) or insisting on
 * it ({@code FORCE_HTTP_2}, {@code ahf_}), allowed and denied. Prints {@code step.<name>=ok <status> <body> <version>} (the model call's body as
 * base64) or {@code step.<name>=blocked <class of the future's failure's cause> <message>}.
 *
 * <p>Arguments: the TLS port and the cleartext port. Run with the server's trust store as
 * {@code javax.net.ssl.trustStore}.
 */
public final class ApacheAsyncH2App {
    public static void main(String[] args) throws Exception {
        String tls = "https://127.0.0.1:" + Integer.parseInt(args[0]);
        String tlsLocal = "https://localhost:" + Integer.parseInt(args[0]);
        String clear = "http://127.0.0.1:" + Integer.parseInt(args[1]);
        String clearLocal = "http://localhost:" + Integer.parseInt(args[1]);
        try (CloseableHttpAsyncClient client = HttpAsyncClients.customHttp2().useSystemProperties().build()) {
            client.start();
            step(client, "ah2_get", SimpleRequestBuilder.get(tls + "/ah2-get").build(), false);
            step(client, "ah2_post", SimpleRequestBuilder.post(tls + "/ah2-post")
                    .setBody("hello world", ContentType.TEXT_PLAIN).build(), false);
            step(client, "ah2_denied", SimpleRequestBuilder.get(tlsLocal + "/ah2-denied").build(), false);
            step(client, "ah2c_get", SimpleRequestBuilder.get(clear + "/ah2c-get").build(), false);
            step(client, "ah2c_post_denied", SimpleRequestBuilder.post(clearLocal + "/ah2c-post-denied")
                    .setBody("must not leave", ContentType.TEXT_PLAIN).build(), false);
            step(client, "ah2c_model", SimpleRequestBuilder.post(clear + "/ah2c-model/v1/chat/completions")
                    .setBody(ModelBodiesApp.body("cheap", "gpt-4o-mini", 50), ContentType.APPLICATION_JSON).build(),
                    true);
        }
        // the general client (InternalHttpAsyncClient, HTTP/1.1 and 2) with a TLS strategy, h2 negotiated by ALPN
        for (HttpVersionPolicy policy : new HttpVersionPolicy[] {HttpVersionPolicy.NEGOTIATE,
                HttpVersionPolicy.FORCE_HTTP_2}) {
            String p = policy == HttpVersionPolicy.NEGOTIATE ? "ahn" : "ahf";
            try (CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                    .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                            .setTlsStrategy(ClientTlsStrategyBuilder.create().useSystemProperties().build())
                            .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(policy).build())
                            .build())
                    .build()) {
                client.start();
                step(client, p + "_get", SimpleRequestBuilder.get(tls + "/" + p + "-get").build(), false);
                step(client, p + "_post", SimpleRequestBuilder.post(tls + "/" + p + "-post")
                        .setBody("hello world", ContentType.TEXT_PLAIN).build(), false);
                step(client, p + "_denied", SimpleRequestBuilder.get(tlsLocal + "/" + p + "-denied").build(), false);
            }
        }
        System.out.println("done=true");
    }

    private static void step(CloseableHttpAsyncClient client, String name, SimpleHttpRequest request, boolean b64)
            throws Exception {
        String outcome;
        try {
            SimpleHttpResponse r = client.execute(request, null).get(30, TimeUnit.SECONDS);
            String body = b64 ? Base64.getEncoder().encodeToString(r.getBodyBytes())
                    : new String(r.getBodyBytes(), StandardCharsets.UTF_8);
            outcome = "ok " + r.getCode() + " " + body + " " + r.getVersion();
        } catch (ExecutionException e) {
            outcome = "blocked " + e.getCause().getClass().getName() + " " + e.getCause().getMessage();
        }
        System.out.println("step." + name + "=" + outcome);
    }
}
