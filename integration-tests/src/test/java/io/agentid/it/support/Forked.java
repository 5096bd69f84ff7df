package io.agentid.it.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a main class of this module in a new JVM, with or without agentid.jar attached. */
public final class Forked {
    private final Jvms.Jvm jvm;
    private final String mainClass;
    private final List<String> jvmArgs = new ArrayList<>();
    private final List<String> args = new ArrayList<>();
    private final Map<String, String> env = new HashMap<>();
    private String agentArgs;
    private boolean agent;
    private String classPath = System.getProperty("java.class.path");

    private Forked(Jvms.Jvm jvm, Class<?> main) {
        this.jvm = jvm;
        this.mainClass = main.getName();
    }

    public static Forked of(Jvms.Jvm jvm, Class<?> main) {
        return new Forked(jvm, main);
    }

    public static Path agentJar() {
        Path jar = Path.of(System.getProperty("agentid.jar", "../javaagent/target/agentid.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agentid.jar not found at " + jar.toAbsolutePath() + "; build it first");
        }
        return jar.toAbsolutePath();
    }

    /** Attaches agentid.jar with these {@code -javaagent} arguments (may be null for none). */
    public Forked agent(String agentArgs) {
        this.agent = true;
        this.agentArgs = agentArgs;
        return this;
    }

    /** Runs on this class path instead of this module's test class path. */
    public Forked classPath(String value) {
        this.classPath = value;
        return this;
    }

    public Forked jvmArg(String arg) {
        jvmArgs.add(arg);
        return this;
    }

    public Forked env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Sends spans to {@code sink}, with the standard OpenTelemetry environment variable. */
    public Forked exportTo(OtlpSink sink) {
        return env("OTEL_EXPORTER_OTLP_ENDPOINT", sink.endpoint());
    }

    public Forked args(String... values) {
        args.addAll(List.of(values));
        return this;
    }

    public Result run() throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(jvm.java().toString());
        cmd.add("-Xshare:auto");
        if (agent) {
            cmd.add("-javaagent:" + agentJar() + (agentArgs == null ? "" : "=" + agentArgs));
        }
        cmd.addAll(jvmArgs);
        cmd.add("-cp");
        cmd.add(classPath);
        cmd.add(mainClass);
        cmd.addAll(args);
        Path out = Files.createTempFile("agentid-it", ".out");
        Path err = Files.createTempFile("agentid-it", ".err");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
        pb.environment().remove("OTEL_EXPORTER_OTLP_ENDPOINT");
        pb.environment().remove("AGENTID_POLICY");
        pb.environment().remove("AGENTID_AGENT_ID");
        pb.environment().putAll(env);
        if (!env.containsKey("OTEL_EXPORTER_OTLP_ENDPOINT")) {
            // never export to whatever listens on the default port of the machine running the tests
            pb.environment().put("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:9");
        }
        Process p = pb.start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("forked JVM did not finish in 120 s: " + String.join(" ", cmd));
        }
        Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8), String.join(" ", cmd));
        Files.deleteIfExists(out);
        Files.deleteIfExists(err);
        return r;
    }

    /** What a forked JVM printed. */
    public record Result(int exitCode, String stdout, String stderr, String command) {
        /** The value printed by the application as {@code name=value} on a line of its own, or null. */
        public String value(String name) {
            for (String line : stdout.split("\n")) {
                if (line.startsWith(name + "=")) {
                    return line.substring(name.length() + 1).trim();
                }
            }
            return null;
        }

        public Result assertSucceeded() {
            if (exitCode != 0) {
                throw new AssertionError("forked JVM failed with exit code " + exitCode + "\n$ " + command
                        + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr);
            }
            return this;
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

}
