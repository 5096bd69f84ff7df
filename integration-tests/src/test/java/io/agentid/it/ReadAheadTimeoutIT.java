package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.apps.ChunkedModelApp;
import io.agentid.it.apps.ReadAheadTimeoutApp;
import io.agentid.it.support.CutShortAnswers;
import io.agentid.it.support.Forked;
import io.agentid.it.support.Jvms;
import io.agentid.it.support.OtlpSink;
import io.agentid.it.support.OtlpSink.SpanRecord;
import io.agentid.it.support.Policies;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A model call whose chunked JSON answer stalls in the middle of its body, past the client's timeout, while agentid
 * reads it ahead ({@link ReadAheadTimeoutApp}; docs/HTTP.md, "Reading a model answer ahead"): Apache HttpClient 5
 * classic (a {@code ConnectionConfig} socket timeout, and a {@code RequestConfig} response timeout), HttpClient 4
 * classic ({@code RequestConfig} socket timeout), {@code HttpURLConnection} ({@code setReadTimeout}) and OkHttp 4 and 5
 * (a {@code callTimeout}, through {@code execute()} and {@code enqueue}; OkHttp's read timeout is
 * {@code ModelBodiesIT.okHttpReadTimeoutWhileReadingAhead}'s). Each client runs once without the agent and once with
 * it, and the application must see the same: the same outcome from the same call (the body's read, not the call that
 * returned the response), with the same exception class and message and cause, after the same bytes; the client
 * closes the connection and leaves no thread reading it; the connection pool holds what it would hold; and a second
 * model call on the same client afterwards goes out on a new connection and is answered the same. With the agent the
 * call itself waits for the timeout (the read ahead), and the body's read then fails at once; the whole takes no longer
 * than without the agent plus the timeout. The span ends once, as the response's: status 200, no {@code error.type}
 * (the exchange was answered; what failed is the body, read after the span, as for any other answer), no usage.
 * OkHttp's {@code twice}: an application interceptor that closes a model answer unread and proceeds again gets the
 * same second answer as without the agent; the first answer's span ends unread, the second's has its usage.
 */
class ReadAheadTimeoutIT {
    /** What the server sends of {@link ChunkedModelApp#RESPONSE} before it stalls: a whole chunk and part of the next. */
    private static final int CHUNK = 100;
    private static final int PART = 10;
    /** How long a stalled answer waits for the client to close the connection: only a failing run waits this long. */
    private static final long HOLD_SECONDS = 20;

    private static ServerSocket server;
    private static final ExecutorService connections = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stalling-server");
        t.setDaemon(true);
        return t;
    });
    private static final AtomicInteger connectionIds = new AtomicInteger();
    /** Per path: the connection its (last) request came on. */
    private static final Map<String, Integer> connectionOf = new ConcurrentHashMap<>();
    private static final Map<String, Integer> counts = new ConcurrentHashMap<>();
    private static final Map<String, String> bodies = new ConcurrentHashMap<>();
    /** Per stalled path: whether the client closed the connection before the server gave up waiting. */
    private static final Map<String, Boolean> closed = new ConcurrentHashMap<>();
    /**
     * Per {@code after*} path: whether the client had closed the stalled step's connection before it sent this request
     * (the server waits up to {@link #CLOSE_WAIT_MS} for that close before it answers): a connection left open would be
     * closed only when the application exits.
     */
    private static final Map<String, Boolean> closedBefore = new ConcurrentHashMap<>();
    private static final long CLOSE_WAIT_MS = 3000;

    @BeforeAll
    static void startServer() throws IOException {
        server = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    int id = connectionIds.incrementAndGet();
                    connections.execute(() -> serve(s, id));
                } catch (IOException e) {
                    // closed at the end
                }
            }
        }, "stalling-server-accept");
        t.setDaemon(true);
        t.start();
    }

    @AfterAll
    static void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
        connections.shutdownNow();
    }

    /**
     * Serves one connection, keeping it alive: a {@code stalled*} path is answered 200 chunked JSON with
     * {@link #CHUNK} bytes of {@link ChunkedModelApp#RESPONSE} in one chunk and {@link #PART} bytes of the next, then
     * nothing until the client closes the connection (at most {@link #HOLD_SECONDS}); any other path with the whole
     * answer and a {@code Content-Length}.
     */
    private static void serve(Socket s, int id) {
        byte[] answer = ChunkedModelApp.RESPONSE.getBytes(StandardCharsets.UTF_8);
        try (s) {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            while (true) {
                String path = null;
                long length = 0;
                String requestLine = CutShortAnswers.line(in);
                if (requestLine == null) {
                    return; // the client closed the connection
                }
                path = requestLine.split(" ")[1];
                for (String line; (line = CutShortAnswers.line(in)) != null && !line.isEmpty(); ) {
                    if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                bodies.put(path, new String(in.readNBytes((int) length), StandardCharsets.UTF_8));
                counts.merge(path, 1, Integer::sum);
                connectionOf.put(path, id);
                if (path.contains("_after")) {
                    String stalledPath = path.replace("_after", "_stalled");
                    long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
                    while (!closed.containsKey(stalledPath) && System.nanoTime() < until) {
                        try {
                            Thread.sleep(5);
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                    closedBefore.put(path, closed.getOrDefault(stalledPath, false));
                }
                if (!path.contains("stalled")) {
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + answer.length
                            + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(answer);
                    out.flush();
                    continue;
                }
                CutShortAnswers.writeCutShort(out, answer, CHUNK, PART);
                closed.put(path, CutShortAnswers.awaitClose(s, in, HOLD_SECONDS));
                return;
            }
        } catch (IOException e) {
            // a client that went away
        }
    }

    /** Every JVM × HttpClient 5 classic, HttpClient 4 classic, HttpURLConnection. */
    static List<Arguments> readTimeoutCases() {
        return Jvms.withEach("apache5", "apache4", "url");
    }

    /** Every JVM × OkHttp 4, OkHttp 5. */
    static List<Arguments> okHttpCases() {
        return Jvms.withEach("okhttp4", "okhttp5");
    }

    private static final String SOCKET_TIMEOUT = "java.net.SocketTimeoutException Read timed out";

    /**
     * A socket (read, response) timeout while the body is read: without the agent the call returns at once and the
     * application's read fails after the timeout with the socket's {@code SocketTimeoutException: Read timed out};
     * with it, the same, from the same read, after the same bytes.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("readTimeoutCases")
    void readTimeoutWhileReadingAhead(Jvms.Jvm jvm, String client) throws Exception {
        compare(jvm, client, client, SOCKET_TIMEOUT, "none");
    }

    /**
     * OkHttp's call timeout while the body is read: without the agent {@code execute()} (or the callback) has the
     * response at once and the application's read fails when the call times out, with OkHttp's
     * {@code InterruptedIOException: timeout}; with the agent, the same, from the same read.
     */
    @ParameterizedTest(name = "{0}, {1}")
    @MethodSource("okHttpCases")
    void okHttpCallTimeoutWhileReadingAhead(Jvms.Jvm jvm, String client) throws Exception {
        compare(jvm, client, "okhttp", "java.io.InterruptedIOException timeout", null);
    }

    /**
     * Runs {@code kind}'s steps without and with the agent and compares them. {@code failure}: the exception the bare
     * run's application sees ({@code <class> <message>}); {@code cause}: its cause, or null to compare it only with
     * the bare run's.
     */
    private void compare(Jvms.Jvm jvm, String client, String kind, String failure, String cause) throws Exception {
        String prefix = ReadAheadTimeoutApp.prefix(kind);
        long timeout = ReadAheadTimeoutApp.TIMEOUT_MS;
        byte[] response = ChunkedModelApp.RESPONSE.getBytes(StandardCharsets.UTF_8);
        String failed = "failed 200 " + failure + " after " + (CHUNK + PART) + " "
                + ChunkedModelApp.sha256(response, CHUNK + PART);
        String whole = "ok 200 " + response.length + " " + ChunkedModelApp.sha256(response, response.length);
        Run bare = run(jvm, client, kind, null);
        try (OtlpSink sink = new OtlpSink()) {
            Run agent = run(jvm, client, kind, sink);
            String both = "\nwith the agent: " + agent.result + "\nwithout: " + bare.result;
            System.out.println(client + " on " + jvm + ":" + both); // the report's record of what each run saw
            for (String[] s : ReadAheadTimeoutApp.steps(kind)) {
                String name = prefix + s[0];
                String path = ReadAheadTimeoutApp.path(name);
                boolean stalled = s[0].startsWith("stalled");
                boolean twice = s[0].equals("twice");
                assertThat(bare.result.value("step." + name)).as(name + " without the agent" + both)
                        .isEqualTo(stalled ? failed : whole);
                assertThat(agent.result.value("step." + name)).as(name + both)
                        .isEqualTo(bare.result.value("step." + name));
                assertThat(agent.result.value("cause." + name)).as(name + both)
                        .isEqualTo(bare.result.value("cause." + name));
                if (cause != null) {
                    assertThat(bare.result.value("cause." + name)).as(name + both).isEqualTo(cause);
                }
                assertThat(agent.result.value("pool." + name)).as(name + both)
                        .isEqualTo(bare.result.value("pool." + name));
                assertThat(agent.result.value("reading." + name)).as(name + both).isEqualTo("0");
                assertThat(bare.result.value("reading." + name)).as(name + both).isEqualTo("0");
                for (Run r : List.of(bare, agent)) {
                    assertThat(r.counts.get(path)).as(name + both).isEqualTo(twice ? 2 : 1);
                    assertThat(r.bodies.get(path)).as(name).isEqualTo(ChunkedModelApp.body("chunked"));
                }
                if (stalled) {
                    for (Run r : List.of(bare, agent)) {
                        assertThat(r.closed.get(path)).as(name + ": the client closed the connection" + both).isTrue();
                    }
                    long[] bareTimes = times(bare.result, name);
                    long[] times = times(agent.result, name);
                    // without the agent the read waits for the timeout; with it, the call does (the read ahead). A
                    // call timeout counts from the call's start, so the bare read may wait less than the timeout
                    // by the time the call took to get its headers: the call and the read together wait for it
                    assertThat(bareTimes[0] + bareTimes[1]).as(name + both).isGreaterThanOrEqualTo(timeout - 100);
                    assertThat(times[0]).as(name + both).isGreaterThanOrEqualTo(timeout - 100);
                    assertThat(times[1]).as(name + both).isLessThan(timeout);
                    assertThat(times[0] + times[1]).as(name + both)
                            .isLessThanOrEqualTo(bareTimes[0] + bareTimes[1] + timeout + 2000);
                } else if (!twice) {
                    // the next call on the same client: a new connection, as without the agent
                    String before = prefix + "stalled" + s[0].substring("after".length());
                    String beforePath = ReadAheadTimeoutApp.path(before);
                    for (Run r : List.of(bare, agent)) {
                        assertThat(r.closedBefore.get(path))
                                .as(name + ": the stalled connection was closed before this call" + both).isTrue();
                        assertThat(r.connectionOf.get(path)).as(name + ": a new connection" + both)
                                .isNotEqualTo(r.connectionOf.get(beforePath));
                    }
                }
                List<SpanRecord> spans = sink.spans(x -> String.valueOf(x.attr("url.full")).endsWith(path));
                if (twice) {
                    // the answer the interceptor closed unread: its span ends when it asks again, without usage
                    assertThat(spans).as(name + ": two spans\n" + sink.spans()).hasSize(2)
                            .allSatisfy(x -> assertThat(x.attr("http.response.status_code")).isEqualTo("200"))
                            .allSatisfy(x -> assertThat(x.attr("error.type")).isNull())
                            .anySatisfy(x -> assertThat(x.attr("gen_ai.usage.input_tokens")).isNull())
                            .anySatisfy(x -> assertThat(x.attr("gen_ai.usage.input_tokens")).isEqualTo("31"));
                    continue;
                }
                assertThat(spans).as(name + ": one span\n" + sink.spans()).hasSize(1);
                SpanRecord span = spans.get(0);
                assertThat(span.attr("http.response.status_code")).as(span.toString()).isEqualTo("200");
                assertThat(span.attr("gen_ai.request.model")).as(span.toString()).isEqualTo("gpt-4o-mini");
                assertThat(span.attr("error.type")).as(span.toString()).isNull();
                if (stalled) {
                    assertThat(span.attr("gen_ai.usage.input_tokens")).as(span.toString()).isNull();
                    assertThat(span.attr("agentid.cost.actual_usd")).as(span.toString()).isNull();
                } else {
                    assertThat(span.attr("gen_ai.usage.input_tokens")).as(span.toString()).isEqualTo("31");
                    assertThat(span.attr("gen_ai.usage.output_tokens")).as(span.toString()).isEqualTo("12");
                }
            }
        }
    }

    /** A run's output and what the server saw of it. */
    private record Run(Forked.Result result, Map<String, Integer> counts, Map<String, String> bodies,
            Map<String, Boolean> closed, Map<String, Boolean> closedBefore, Map<String, Integer> connectionOf) {}

    private Run run(Jvms.Jvm jvm, String client, String kind, OtlpSink sink) throws Exception {
        counts.clear();
        bodies.clear();
        closed.clear();
        closedBefore.clear();
        connectionOf.clear();
        Forked f = Forked.of(jvm, ReadAheadTimeoutApp.class).args(String.valueOf(server.getLocalPort()), kind);
        if (client.startsWith("okhttp")) {
            f.classPath(ModelBodiesIT.okHttpClassPath(client.substring(6)));
        }
        if (sink != null) {
            f.agent("policy=" + Policies.path("model-calls.yaml") + ",agent.id=model-agent").exportTo(sink);
        }
        Forked.Result r = f.run().assertSucceeded();
        assertThat(r.value("done")).as(r.toString()).isEqualTo("true");
        // a stalled answer's server records the close after the application moved on: wait for it
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(HOLD_SECONDS + 5);
        for (String[] s : ReadAheadTimeoutApp.steps(kind)) {
            String path = ReadAheadTimeoutApp.path(ReadAheadTimeoutApp.prefix(kind) + s[0]);
            while (s[0].startsWith("stalled") && !closed.containsKey(path) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
        }
        return new Run(r, Map.copyOf(counts), Map.copyOf(bodies), Map.copyOf(closed), Map.copyOf(closedBefore),
                Map.copyOf(connectionOf));
    }

    /** A step's milliseconds until the client returned the response, and then until the body was read or failed. */
    private static long[] times(Forked.Result r, String name) {
        String[] t = r.value("time." + name).split(" ");
        return new long[] {Long.parseLong(t[0]), Long.parseLong(t[1])};
    }
}
