package io.agentid.collector;

import io.agentid.collector.store.Retention;
import io.agentid.collector.store.StoreException;
import java.io.IOException;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar agentid-collector.jar [flags]}. Every flag can also be set by the environment variable named. */
@Command(name = "agentid-collector", mixinStandardHelpOptions = true, version = "agentid-collector 0.1.0",
        sortOptions = false, usageHelpAutoWidth = true,
        description = "Receives OTLP traces (gRPC and HTTP), stores them durably, and serves the review API.",
        footer = "%nEvery flag also reads an environment variable, e.g. AGENTID_COLLECTOR_API_PORT=8418.")
public final class CollectorMain implements Callable<Integer> {

    @Option(names = "--otlp-grpc-port", paramLabel = "PORT", defaultValue = "${env:AGENTID_COLLECTOR_OTLP_GRPC_PORT:-4317}",
            description = "OTLP/gRPC port; 0 picks a free one (env AGENTID_COLLECTOR_OTLP_GRPC_PORT, default ${DEFAULT-VALUE})")
    int grpcPort;

    @Option(names = "--otlp-http-port", paramLabel = "PORT", defaultValue = "${env:AGENTID_COLLECTOR_OTLP_HTTP_PORT:-4318}",
            description = "OTLP/HTTP port; 0 picks a free one (env AGENTID_COLLECTOR_OTLP_HTTP_PORT, default ${DEFAULT-VALUE})")
    int httpPort;

    @Option(names = "--api-port", paramLabel = "PORT", defaultValue = "${env:AGENTID_COLLECTOR_API_PORT:-8418}",
            description = "review API and page; 0 picks a free one (env AGENTID_COLLECTOR_API_PORT, default ${DEFAULT-VALUE})")
    int apiPort;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "${env:AGENTID_COLLECTOR_DATA_DIR:-./agentid-data}",
            description = "where spans are stored (env AGENTID_COLLECTOR_DATA_DIR, default ${DEFAULT-VALUE})")
    Path dataDir;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "${env:AGENTID_COLLECTOR_BIND:-127.0.0.1}",
            description = "address every port listens on; 0.0.0.0 for all interfaces. The review API has no "
                    + "authentication: expose it only behind one (env AGENTID_COLLECTOR_BIND, default ${DEFAULT-VALUE})")
    String bind;

    @Option(names = "--retention", paramLabel = "AGE", defaultValue = "${env:AGENTID_COLLECTOR_RETENTION:-7d}",
            description = "delete spans older than this: 12h, 7d, 30d; 0 keeps them (env AGENTID_COLLECTOR_RETENTION, default ${DEFAULT-VALUE})")
    String retentionAge;

    @Option(names = "--retention-size", paramLabel = "SIZE", defaultValue = "${env:AGENTID_COLLECTOR_RETENTION_SIZE:-20GB}",
            description = "delete the oldest spans while the store is larger: 500MB, 20GB; 0 for no limit (env AGENTID_COLLECTOR_RETENTION_SIZE, default ${DEFAULT-VALUE})")
    String retentionSize;

    @Option(names = "--max-request-size", paramLabel = "SIZE", defaultValue = "${env:AGENTID_COLLECTOR_MAX_REQUEST_SIZE:-16MB}",
            description = "largest OTLP request accepted, before and after gzip (env AGENTID_COLLECTOR_MAX_REQUEST_SIZE, default ${DEFAULT-VALUE})")
    String maxRequestSize;

    @Option(names = "--max-pending-spans", paramLabel = "N", defaultValue = "${env:AGENTID_COLLECTOR_MAX_PENDING_SPANS:-100000}",
            description = "spans waiting to be written before senders are told to retry (env AGENTID_COLLECTOR_MAX_PENDING_SPANS, default ${DEFAULT-VALUE})")
    long maxPendingSpans;

    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*(B|KB|MB|GB|TB)?", Pattern.CASE_INSENSITIVE);
    private static final Pattern AGE = Pattern.compile("(\\d+)\\s*(s|m|h|d)?");

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        CommandLine cl = new CommandLine(new CollectorMain());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        return cl.execute(args);
    }

    @Override
    public Integer call() {
        org.slf4j.bridge.SLF4JBridgeHandler.removeHandlersForRootLogger();
        org.slf4j.bridge.SLF4JBridgeHandler.install();
        Collector.Settings settings;
        try {
            settings = settings();
        } catch (IllegalArgumentException e) {
            System.err.println("agentid-collector: error: " + e.getMessage());
            return 2;
        }
        Collector collector;
        try {
            collector = Collector.start(settings);
        } catch (BindException | StoreException e) {
            System.err.println("agentid-collector: error: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            System.err.println("agentid-collector: error: could not start: " + e);
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            collector.close();
            stopped.countDown();
        }, "agentid-collector-shutdown"));
        System.out.println("agentid-collector: data in " + settings.dataDir().toAbsolutePath().normalize());
        System.out.println("agentid-collector: OTLP/gRPC listening on " + hostPort(collector.grpcAddress()));
        System.out.println("agentid-collector: OTLP/HTTP listening on http://" + hostPort(collector.httpAddress())
                + "/v1/traces");
        System.out.println("agentid-collector: review API on http://" + hostPort(collector.apiAddress())
                + "/api/calls");
        System.out.println("agentid-collector: ready");
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    private static String hostPort(java.net.InetSocketAddress a) {
        String host = a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return host + ":" + a.getPort();
    }

    Collector.Settings settings() {
        port("--otlp-grpc-port", grpcPort);
        port("--otlp-http-port", httpPort);
        port("--api-port", apiPort);
        if (maxPendingSpans < 1) {
            throw new IllegalArgumentException("--max-pending-spans must be at least 1; got " + maxPendingSpans);
        }
        Duration age = age("--retention", retentionAge);
        long size = size("--retention-size", retentionSize);
        long max = size("--max-request-size", maxRequestSize);
        if (max < 1024 || max > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("--max-request-size must be from 1KB to 2GB; got " + maxRequestSize);
        }
        Retention retention = new Retention(age.isZero() ? null : age, size == 0 ? null : size);
        return new Collector.Settings(bind, grpcPort, httpPort, apiPort, dataDir, retention, (int) max,
                maxPendingSpans);
    }

    private static void port(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(flag + " must be from 0 to 65535; got " + port);
        }
    }

    static Duration age(String flag, String text) {
        Matcher m = AGE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " must be a number of s, m, h or d (e.g. 7d); got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        return switch (unit) {
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            case "d" -> Duration.ofDays(n);
            default -> Duration.ofSeconds(n);
        };
    }

    static long size(String flag, String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(flag + " must be a size such as 512KB, 16MB or 20GB; got '" + text + "'");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        long mult = switch (unit) {
            case "KB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            default -> 1L;
        };
        return Math.multiplyExact(n, mult);
    }
}
