package io.agentid.collector.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/** What both HTTP servers share: bounded thread pools, body limits, responses. */
final class HttpIo {

    private HttpIo() {
    }

    /** The request body was larger than allowed (compressed or after decompression). */
    static final class TooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        TooLarge(String message) {
            super(message);
        }
    }

    /** The body is not valid gzip. */
    static final class BadEncoding extends IOException {
        private static final long serialVersionUID = 1L;

        BadEncoding(String message) {
            super(message);
        }
    }

    static {
        // without TCP_NODELAY every response waits ~40 ms for the client's delayed ACK (Nagle); read once, when the
        // JDK server's configuration class loads, so set before the first server is created
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
        // a client that sends its request slowly (or never finishes it) is cut off after a minute, so slow clients
        // cannot hold every worker for ever
        if (System.getProperty("sun.net.httpserver.maxReqTime") == null) {
            System.setProperty("sun.net.httpserver.maxReqTime", "60");
        }
    }

    static HttpServer bind(String host, int port, String what, int threads) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 128);
        } catch (BindException e) {
            throw new BindException(what + ": cannot listen on " + host + ":" + port + " (" + e.getMessage()
                    + "); is another process using it? Choose another port, or 0 for a free one");
        }
        AtomicInteger n = new AtomicInteger();
        // bounded: when every worker is busy and the queue is full, the server closes the new connection (the JDK
        // server's answer to a rejected exchange) and the client retries; the accepting thread never blocks
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(threads * 32), r -> {
                    Thread t = new Thread(r, "agentid-" + what.replace(' ', '-') + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        server.setExecutor(pool);
        return server;
    }

    static void stop(HttpServer server) {
        server.stop(0);
        if (server.getExecutor() instanceof ThreadPoolExecutor pool) {
            pool.shutdown();
        }
    }

    static String mediaType(HttpExchange ex) {
        String ct = ex.getRequestHeaders().getFirst("Content-Type");
        if (ct == null) {
            return "";
        }
        int semi = ct.indexOf(';');
        return (semi < 0 ? ct : ct.substring(0, semi)).trim().toLowerCase(Locale.ROOT);
    }

    /**
     * Whether the request carries a body. The JDK server must not be asked for the body of a request without one: a
     * request without Content-Length is read as chunked (and waits for a chunk), and touching an empty body
     * ({@code Content-Length: 0}) leaves the exchange unanswerable.
     */
    static boolean hasBody(HttpExchange ex) {
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            return !"0".equals(cl.trim());
        }
        return ex.getRequestHeaders().getFirst("Transfer-Encoding") != null;
    }

    /**
     * Reads the whole body, at most {@code maxBytes} on the wire and at most {@code maxBytes} after gunzip (which
     * stops decompression bombs).
     */
    static byte[] readBody(HttpExchange ex, boolean gzip, int maxBytes) throws IOException {
        String cl = ex.getRequestHeaders().getFirst("Content-Length");
        if (cl != null) {
            long declared;
            try {
                declared = Long.parseLong(cl.trim());
            } catch (NumberFormatException e) {
                declared = -1;
            }
            if (declared > maxBytes) {
                throw new TooLarge("request body of " + declared + " bytes is over the limit of " + maxBytes);
            }
        }
        if (!hasBody(ex)) {
            return new byte[0];
        }
        InputStream raw = ex.getRequestBody();
        byte[] wire = readLimited(raw, maxBytes, "request body");
        if (!gzip) {
            return wire;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(wire), 8192)) {
            return readLimited(in, maxBytes, "decompressed request body");
        } catch (ZipException | java.io.EOFException e) {
            throw new BadEncoding("Content-Encoding is gzip but the body is not valid gzip: " + e.getMessage());
        }
    }

    private static byte[] readLimited(InputStream in, int maxBytes, String what) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024));
        byte[] buf = new byte[16 * 1024];
        long total = 0;
        int r;
        while ((r = in.read(buf)) > 0) {
            total += r;
            if (total > maxBytes) {
                throw new TooLarge(what + " is over the limit of " + maxBytes + " bytes");
            }
            out.write(buf, 0, r);
        }
        return out.toByteArray();
    }

    static void send(HttpExchange ex, int status, String contentType, byte[] body) throws IOException {
        if (contentType != null) {
            ex.getResponseHeaders().set("Content-Type", contentType);
        }
        if (body.length == 0) {
            ex.sendResponseHeaders(status, -1);
        } else {
            ex.sendResponseHeaders(status, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        }
        ex.close();
    }
}
