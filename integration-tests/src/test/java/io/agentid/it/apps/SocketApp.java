package io.agentid.it.apps;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.channels.SocketChannel;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Opens raw TCP connections (a {@code Socket}, a {@code SocketChannel} blocking, non-blocking and through its
 * socket adaptor, OkHttp, Netty's NIO transport, a JDK WebSocket handshake) to allowed and denied destinations,
 * reaches an H2 TCP server through JDBC, and makes one request with each JDK HTTP client; prints {@code step.<name>=ok ...} or
 * {@code step.<name>=blocked <exception class> <message>}.
 *
 * <p>Arguments: an allowed port, a denied port (both raw TCP servers on all addresses), the HTTP port of
 * {@code CountingHttpServer}, the H2 TCP server's port.
 */
public final class SocketApp {
    public static void main(String[] args) throws Exception {
        int allowed = Integer.parseInt(args[0]);
        int denied = Integer.parseInt(args[1]);
        int http = Integer.parseInt(args[2]);
        int h2 = Integer.parseInt(args[3]);

        step("socket_allowed", () -> socket("127.0.0.1", allowed));
        step("socket_denied_port", () -> socket("127.0.0.1", denied));
        step("socket_denied_name", () -> socket("localhost", allowed));
        step("socket_denied_cidr", () -> socket("127.0.0.2", allowed));
        // a name the policy allows that stands for an address it denies (no DNS: the address is given)
        step("socket_denied_resolved_ip", () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(java.net.InetAddress.getByAddress("agent-name.test",
                        new byte[] {127, 0, 0, 2}), allowed), 5_000);
                return "ok " + s.isConnected();
            }
        });
        step("channel_allowed", () -> {
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", allowed))) {
                return "ok " + c.isConnected();
            }
        });
        step("channel_denied", () -> {
            try (SocketChannel c = SocketChannel.open(new InetSocketAddress("127.0.0.1", denied))) {
                return "ok " + c.isConnected();
            }
        });
        step("channel_nonblocking_denied", () -> {
            try (SocketChannel c = SocketChannel.open()) {
                c.configureBlocking(false);
                return "ok " + c.connect(new InetSocketAddress("localhost", allowed));
            }
        });
        step("channel_adaptor_denied", () -> {
            try (SocketChannel c = SocketChannel.open()) {
                c.socket().connect(new InetSocketAddress("127.0.0.1", denied), 5_000);
                return "ok " + c.isConnected();
            }
        });
        step("okhttp_denied", () -> {
            okhttp3.OkHttpClient client = new okhttp3.OkHttpClient.Builder().retryOnConnectionFailure(false).build();
            try (okhttp3.Response r = client.newCall(new okhttp3.Request.Builder()
                    .url("http://127.0.0.1:" + denied + "/okhttp").build()).execute()) {
                return "ok " + r.code();
            }
        });
        // Netty's NIO transport: a stack agentid has no interceptor for, connecting through SocketChannel
        step("netty_allowed", () -> netty(allowed));
        step("netty_denied", () -> netty(denied));
        // a JDK WebSocket's opening handshake
        step("websocket_denied", () -> {
            WebSocket ws = HttpClient.newHttpClient().newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + denied + "/ws"), new WebSocket.Listener() {})
                    .get(10, TimeUnit.SECONDS);
            ws.abort();
            return "ok";
        });
        step("jdbc_h2_tcp", () -> {
            try (Connection c = DriverManager.getConnection("jdbc:h2:tcp://127.0.0.1:" + h2 + "/mem:backstop", "sa", "");
                    Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 41 + 1")) {
                rs.next();
                return "ok " + rs.getInt(1);
            }
        });
        step("url_allowed", () -> {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + http + "/socket-url").openConnection();
            try (InputStream in = c.getInputStream()) {
                return "ok " + c.getResponseCode() + " " + new String(in.readAllBytes(), "UTF-8");
            }
        });
        step("jdk_allowed", () -> {
            HttpResponse<String> r = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + http + "/socket-jdk")).build(),
                    HttpResponse.BodyHandlers.ofString());
            return "ok " + r.statusCode() + " " + r.body();
        });
        System.out.println("done=true");
    }

    private static String netty(int port) throws Exception {
        EventLoopGroup group = new NioEventLoopGroup(1);
        try {
            ChannelFuture f = new Bootstrap().group(group)
                    .channel(NioSocketChannel.class)
                    .handler(new ChannelInboundHandlerAdapter())
                    .connect(new InetSocketAddress("127.0.0.1", port));
            if (!f.await(10_000)) {
                return "timed out";
            }
            if (!f.isSuccess()) {
                throw new Exception("netty connect failed", f.cause());
            }
            f.channel().close().sync();
            return "ok true";
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    private static String socket(String host, int port) throws Exception {
        try (Socket s = new Socket(host, port)) {
            return "ok " + s.isConnected();
        }
    }

    interface Step {
        String run() throws Exception;
    }

    private static void step(String name, Step step) {
        String outcome;
        try {
            outcome = step.run();
        } catch (Throwable t) {
            Throwable e = t;
            while (e.getCause() != null && (e.getMessage() == null || !e.getMessage().startsWith("agentid:"))) {
                e = e.getCause();
            }
            outcome = "blocked " + e.getClass().getName() + " " + e.getMessage();
        }
        System.out.println("step." + name + "=" + outcome.replace('\n', ' '));
    }
}
