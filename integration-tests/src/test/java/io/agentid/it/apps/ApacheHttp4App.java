package io.agentid.it.apps;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.apache.http.HttpHost;
import org.apache.http.client.methods.HttpDelete;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.client.methods.HttpPost;
import org.apache.http.client.methods.HttpUriRequest;
import org.apache.http.entity.ContentType;
import org.apache.http.entity.StringEntity;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClients;
import org.apache.http.util.EntityUtils;

/**
 * {@link ApacheHttpApp} on Apache HttpClient 4 classic: the same steps and paths. Makes allowed and denied requests against {@code CountingHttpServer} on loopback,
 * printing each outcome as {@code step.<name>=ok <status> <body>} or
 * {@code step.<name>=blocked <exception class> <message>}, and {@code ms.<name>=} how long a denied request took
 * (a block must not be retried: the default retry strategy would wait a second first). http-guardrails.yaml
 * denies {@code localhost} and DELETE.
 *
 * <p>Arguments: the server's HTTP port and HTTPS port. Run with the server's trust store as
 * {@code javax.net.ssl.trustStore}.
 */
public final class ApacheHttp4App {
    public static final String OWN_TRACEPARENT = HttpApp.OWN_TRACEPARENT;

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        int tlsPort = Integer.parseInt(args[1]);
        String http = "http://127.0.0.1:" + port;
        String httpLocal = "http://localhost:" + port;
        String https = "https://127.0.0.1:" + tlsPort;
        String httpsLocal = "https://localhost:" + tlsPort;
        try (CloseableHttpClient client = HttpClients.custom().useSystemProperties().build();
                CloseableHttpClient noRetries = HttpClients.custom().useSystemProperties().disableAutomaticRetries()
                        .build();
                CloseableHttpClient inner = HttpClients.custom().useSystemProperties().build();
                // a client used inside another's call (a request interceptor fetching something first)
                CloseableHttpClient nesting = HttpClients.custom().useSystemProperties()
                        .addInterceptorFirst((org.apache.http.HttpRequestInterceptor) (request, context) -> {
                            if (request.getRequestLine().getUri().endsWith("/ap-nested-outer")) {
                                execute(inner, new HttpGet(http + "/ap-nested-inner"));
                            }
                        }).build();
                CloseableHttpClient proxied = HttpClients.custom().useSystemProperties()
                        .setProxy(new HttpHost("127.0.0.1", port, "http")).build()) {
            step("ap_get", () -> execute(client, new HttpGet(http + "/ap-get")));
            step("ap_post", () -> {
                HttpPost post = new HttpPost(http + "/ap-post");
                post.setEntity(new StringEntity("hello world", ContentType.TEXT_PLAIN));
                return execute(client, post);
            });
            step("ap_denied", () -> execute(client, new HttpGet(httpLocal + "/ap-denied")));
            step("ap_post_denied", () -> {
                HttpPost post = new HttpPost(httpLocal + "/ap-post-denied");
                post.setEntity(new StringEntity("must not leave", ContentType.TEXT_PLAIN));
                return execute(client, post);
            });
            step("ap_delete_denied", () -> execute(client, new HttpDelete(http + "/ap-delete")));
            step("ap_redirect_denied", () -> execute(client, new HttpGet(redirect(http, "ap-redirect-denied",
                    httpLocal + "/ap-landing-denied"))));
            step("ap_redirect_allowed", () -> execute(client, new HttpGet(redirect(http, "ap-redirect-allowed",
                    http + "/ap-landing-allowed"))));
            step("ap_https", () -> execute(client, new HttpGet(https + "/ap-https")));
            step("ap_https_denied", () -> execute(client, new HttpGet(httpsLocal + "/ap-https-denied")));
            step("ap_host_header", () -> {
                HttpGet get = new HttpGet(httpLocal + "/ap-host-header");
                get.setHeader("Host", "127.0.0.1:" + port);
                return execute(client, get);
            });
            step("ap_proxy_denied", () -> execute(proxied, new HttpGet(httpLocal + "/ap-proxy-denied")));
            // the target given apart from a relative request is where it goes
            step("ap_target_denied", () -> describe(client.execute(new HttpHost("localhost", port, "http"),
                    new HttpGet("/ap-target-denied"), r -> r.getStatusLine().getStatusCode() + " " + EntityUtils.toString(r.getEntity()))));
            step("ap_noretry_get", () -> execute(noRetries, new HttpGet(http + "/ap-noretry-get")));
            step("ap_noretry_denied", () -> execute(noRetries, new HttpGet(httpLocal + "/ap-noretry-denied")));
            step("ap_nested", () -> execute(nesting, new HttpGet(http + "/ap-nested-outer")));
            step("ap_secret", () -> {
                HttpGet get = new HttpGet(http + "/ap-secret?api_key=secret-ap-key&q=1&X-Amz-Signature=secret-ap-sig");
                get.setHeader("Authorization", "Bearer auth-secret-value");
                get.setHeader("Cookie", "session=cookie-secret-value");
                get.setHeader("X-Api-Key", "xkey-secret-value");
                return execute(client, get);
            });
            step("ap_own_traceparent", () -> {
                HttpGet get = new HttpGet(http + "/ap-own-tp");
                get.setHeader("traceparent", OWN_TRACEPARENT);
                return execute(client, get);
            });
        }
        System.out.println("done=true");
    }

    private interface Step {
        String run() throws Exception;
    }

    private static void step(String name, Step step) {
        String outcome;
        long start = System.nanoTime();
        try {
            outcome = "ok " + step.run();
        } catch (IOException e) {
            outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
        } catch (Exception e) {
            outcome = "error " + e;
        }
        System.out.println("step." + name + "=" + outcome);
        System.out.println("ms." + name + "=" + (System.nanoTime() - start) / 1_000_000);
    }

    private static String redirect(String base, String name, String to) {
        return base + "/r/" + name + "?to=" + URLEncoder.encode(to, StandardCharsets.UTF_8);
    }

    private static String describe(String s) {
        return s;
    }

    private static String execute(CloseableHttpClient client, HttpUriRequest request) throws IOException {
        return client.execute(request, r -> r.getStatusLine().getStatusCode() + " " + EntityUtils.toString(r.getEntity()));
    }
}
