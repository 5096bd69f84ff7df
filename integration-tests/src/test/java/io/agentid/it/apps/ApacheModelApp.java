package io.agentid.it.apps;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Model calls with Apache HttpClient 5 or 4 classic (argument 2: {@code 5} or {@code 4}) against the scripted
 * OpenAI-compatible server of {@code ModelBodiesIT}: the steps of {@link ModelBodiesApp#STEPS} ({@code async_cheap}
 * is an ordinary call here: the classic client has no async), printed as
 * {@code step.<name>=ok <status> <body as base64>} or {@code step.<name>=blocked <class> <message>}. The body is a
 * {@code StringEntity} (repeatable), except in {@code oneshot}, an {@code InputStreamEntity} (not). The application
 * reads every response body itself ({@code EntityUtils.toByteArray}). Argument 1: the server's port.
 */
public final class ApacheModelApp {
    public static void main(String[] args) throws Exception {
        String base = "http://127.0.0.1:" + Integer.parseInt(args[0]);
        boolean five = args[1].equals("5");
        String prefix = five ? "ap5_" : "ap4_";
        try (org.apache.hc.client5.http.impl.classic.CloseableHttpClient c5 =
                        org.apache.hc.client5.http.impl.classic.HttpClients.createDefault();
                org.apache.http.impl.client.CloseableHttpClient c4 =
                        org.apache.http.impl.client.HttpClients.createDefault()) {
            for (String[] s : ModelBodiesApp.STEPS) {
                String name = prefix + s[0];
                String body = ModelBodiesApp.body(s[0], s[1], Integer.parseInt(s[2]));
                boolean oneShot = s[0].equals("oneshot");
                String outcome;
                try {
                    outcome = five ? five(c5, base + ModelBodiesApp.path(name), body, oneShot)
                            : four(c4, base + ModelBodiesApp.path(name), body, oneShot);
                } catch (IOException e) {
                    outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
                }
                System.out.println("step." + name + "=" + outcome);
            }
        }
        System.out.println("done=true");
    }

    private static String five(org.apache.hc.client5.http.impl.classic.CloseableHttpClient client, String uri,
            String body, boolean oneShot) throws IOException {
        org.apache.hc.client5.http.classic.methods.HttpPost post =
                new org.apache.hc.client5.http.classic.methods.HttpPost(uri);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        post.setEntity(oneShot
                ? new org.apache.hc.core5.http.io.entity.InputStreamEntity(new ByteArrayInputStream(bytes),
                        bytes.length, org.apache.hc.core5.http.ContentType.APPLICATION_JSON)
                : new org.apache.hc.core5.http.io.entity.StringEntity(body,
                        org.apache.hc.core5.http.ContentType.APPLICATION_JSON));
        return client.execute(post, r -> "ok " + r.getCode() + " " + Base64.getEncoder().encodeToString(
                org.apache.hc.core5.http.io.entity.EntityUtils.toByteArray(r.getEntity())));
    }

    private static String four(org.apache.http.impl.client.CloseableHttpClient client, String uri, String body,
            boolean oneShot) throws IOException {
        org.apache.http.client.methods.HttpPost post = new org.apache.http.client.methods.HttpPost(uri);
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        post.setEntity(oneShot
                ? new org.apache.http.entity.InputStreamEntity(new ByteArrayInputStream(bytes), bytes.length,
                        org.apache.http.entity.ContentType.APPLICATION_JSON)
                : new org.apache.http.entity.StringEntity(body, org.apache.http.entity.ContentType.APPLICATION_JSON));
        try (org.apache.http.client.methods.CloseableHttpResponse r = client.execute(post)) {
            return "ok " + r.getStatusLine().getStatusCode() + " " + Base64.getEncoder().encodeToString(
                    org.apache.http.util.EntityUtils.toByteArray(r.getEntity()));
        }
    }
}
