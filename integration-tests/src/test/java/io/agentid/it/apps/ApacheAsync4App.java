package io.agentid.it.apps;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.http.HttpResponse;
import org.apache.http.client.methods.HttpGet;
import org.apache.http.impl.nio.client.CloseableHttpAsyncClient;
import org.apache.http.impl.nio.client.HttpAsyncClients;
import org.apache.http.util.EntityUtils;

/**
 * Apache HttpAsyncClient 4 (not intercepted: its connections are decided by the backstop, on the I/O reactor's
 * thread) against {@code CountingHttpServer}: an allowed GET to 127.0.0.1 and one to {@code localhost}, which
 * http-guardrails.yaml denies. Prints {@code step.<name>=ok <status> <body>} or
 * {@code step.<name>=blocked <exception class> <message>} (with the cause's message when wrapped).
 *
 * <p>Arguments: the server's HTTP port.
 */
public final class ApacheAsync4App {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        try (CloseableHttpAsyncClient client = HttpAsyncClients.createDefault()) {
            client.start();
            step("a4_get", client, "http://127.0.0.1:" + port + "/a4-get");
            step("a4_denied", client, "http://localhost:" + port + "/a4-denied");
        }
        System.out.println("done=true");
    }

    private static void step(String name, CloseableHttpAsyncClient client, String url) {
        String outcome;
        try {
            Future<HttpResponse> f = client.execute(new HttpGet(url), null);
            HttpResponse r = f.get(30, TimeUnit.SECONDS);
            outcome = "ok " + r.getStatusLine().getStatusCode() + " " + EntityUtils.toString(r.getEntity());
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            String message = c.getMessage();
            for (Throwable t = c; t != null; t = t.getCause()) {
                if (t.getMessage() != null && t.getMessage().startsWith("agentid:")) {
                    message = t.getMessage();
                }
            }
            outcome = "blocked " + c.getClass().getName() + " " + message;
        } catch (Exception e) {
            outcome = "error " + e;
        }
        System.out.println("step." + name + "=" + outcome);
    }
}
