package io.agentid.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The real collector, {@code collector/target/agentid-collector.jar}, in its own JVM (the JVM running the tests)
 * on loopback with every port 0: {@link #start} waits for {@code agentid-collector: ready} and reads the ports it
 * printed. Its standard output and error go to files, so nothing it prints can block it.
 */
public final class CollectorProcess implements AutoCloseable {
    private static final Pattern GRPC = Pattern.compile("(?m)^agentid-collector: OTLP/gRPC listening on 127\\.0\\.0\\.1:(\\d+)$");
    private static final Pattern HTTP = Pattern.compile(
            "(?m)^agentid-collector: OTLP/HTTP listening on http://127\\.0\\.0\\.1:(\\d+)/v1/traces$");
    private static final Pattern API = Pattern.compile("(?m)^agentid-collector: review API on http://127\\.0\\.0\\.1:(\\d+)/api/calls$");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final Path dataDir;
    private final Path out;
    private final Path err;
    private final String command;
    private int grpcPort;
    private int httpPort;
    private int apiPort;

    private CollectorProcess(Process process, Path dataDir, Path out, Path err, String command) {
        this.process = process;
        this.dataDir = dataDir;
        this.out = out;
        this.err = err;
        this.command = command;
    }

    public static Path jar() {
        Path jar = Path.of(System.getProperty("agentid.collector.jar", "../collector/target/agentid-collector.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agentid-collector.jar not found at " + jar.toAbsolutePath() + "; build it first"
                    + " (./mvnw -DskipTests package -pl collector -am)");
        }
        return jar.toAbsolutePath();
    }

    /** The JVM the collector runs on: {@code -Dagentid.collector.java}, by default the one running the tests. */
    public static Path java() {
        String java = System.getProperty("agentid.collector.java", "");
        return java.isBlank() ? Path.of(System.getProperty("java.home"), "bin", "java") : Path.of(java);
    }

    /** What a collector that exited on its own printed. */
    public record Exited(int exitCode, String stdout, String stderr, String command) {
        @Override
        public String toString() {
            return "$ " + command + "\nexit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    /** The command line: {@code --otlp-grpc-port 0 --otlp-http-port 0 --api-port 0 --data-dir DIR}, then {@code extra}. */
    private static List<String> command(Path dataDir, List<String> extra) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java().toString());
        cmd.add("-Xshare:auto");
        cmd.add("-Xmx512m");
        cmd.add("-jar");
        cmd.add(jar().toString());
        List<String> defaults = List.of("--otlp-grpc-port", "0", "--otlp-http-port", "0", "--api-port", "0");
        for (int i = 0; i < defaults.size(); i += 2) {
            if (!extra.contains(defaults.get(i))) {
                cmd.add(defaults.get(i));
                cmd.add(defaults.get(i + 1));
            }
        }
        cmd.add("--data-dir");
        cmd.add(dataDir.toString());
        cmd.addAll(extra);
        return cmd;
    }

    private static Process launch(List<String> cmd, Path out, Path err) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        // the collector reads every flag from an AGENTID_COLLECTOR_* variable too: none of the caller's may leak in
        pb.environment().keySet().removeIf(k -> k.startsWith("AGENTID_COLLECTOR_"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        return pb.start();
    }

    /** Starts a collector on {@code dataDir} and waits until it is ready; fails with its output if it is not. */
    public static CollectorProcess start(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        List<String> cmd = command(dataDir, List.of(extraArgs));
        Path out = Files.createTempFile("agentid-collector", ".out");
        Path err = Files.createTempFile("agentid-collector", ".err");
        CollectorProcess c = new CollectorProcess(launch(cmd, out, err), dataDir, out, err, String.join(" ", cmd));
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (true) {
            String stdout = c.stdout();
            if (stdout.lines().anyMatch("agentid-collector: ready"::equals)) {
                c.grpcPort = port(GRPC, stdout, c);
                c.httpPort = port(HTTP, stdout, c);
                c.apiPort = port(API, stdout, c);
                return c;
            }
            if (!c.process.isAlive()) {
                throw new AssertionError("the collector exited (code " + c.process.exitValue() + ") before it was ready\n"
                        + c.describe());
            }
            if (System.nanoTime() - deadline > 0) {
                c.kill();
                throw new AssertionError("the collector was not ready after " + READY_TIMEOUT.toSeconds() + " s\n"
                        + c.describe());
            }
            Thread.sleep(25);
        }
    }

    /** Runs a collector that is expected to exit by itself (a start-up error), waits at most 60 s. */
    public static Exited runToExit(Path dataDir, String... extraArgs) throws IOException, InterruptedException {
        List<String> cmd = command(dataDir, List.of(extraArgs));
        Path out = Files.createTempFile("agentid-collector", ".out");
        Path err = Files.createTempFile("agentid-collector", ".err");
        try {
            Process p = launch(cmd, out, err);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                throw new AssertionError("the collector did not exit in 60 s: " + String.join(" ", cmd) + "\n--- stdout\n"
                        + Files.readString(out) + "\n--- stderr\n" + Files.readString(err));
            }
            return new Exited(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8), String.join(" ", cmd));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static int port(Pattern p, String stdout, CollectorProcess c) {
        Matcher m = p.matcher(stdout);
        if (!m.find()) {
            c.process.destroyForcibly();
            throw new AssertionError("the collector is ready but did not print a line matching " + p + "\n" + c.describe());
        }
        return Integer.parseInt(m.group(1));
    }

    public int grpcPort() {
        return grpcPort;
    }

    public int httpPort() {
        return httpPort;
    }

    public int apiPort() {
        return apiPort;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** For {@code OTEL_EXPORTER_OTLP_ENDPOINT}: {@code http://127.0.0.1:P} of the OTLP/HTTP receiver. */
    public String otlpHttpEndpoint() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** {@code http://127.0.0.1:P/v1/traces}. */
    public String tracesUrl() {
        return otlpHttpEndpoint() + "/v1/traces";
    }

    /** {@code http://127.0.0.1:P} of the review API. */
    public String api() {
        return "http://127.0.0.1:" + apiPort;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public String stdout() {
        return read(out);
    }

    public String stderr() {
        return read(err);
    }

    private static String read(Path f) {
        try {
            return Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(could not read " + f + ": " + e + ")";
        }
    }

    /** The command and everything the collector printed so far, for assertion messages. */
    public String describe() {
        return "$ " + command + "\n--- collector stdout\n" + stdout() + "\n--- collector stderr\n" + stderr();
    }

    /** {@code kill -9}: the collector gets no chance to flush or close anything. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new AssertionError("the collector did not die of SIGKILL in 30 s");
        }
    }

    /** SIGTERM, the orderly stop; returns the exit code. */
    public int stop() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the collector did not stop in 30 s after SIGTERM\n" + describe());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        }
        try {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        } catch (IOException ignored) {
            // temp files
        }
    }
}
