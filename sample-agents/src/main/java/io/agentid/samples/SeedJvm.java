package io.agentid.samples;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a database-seeding main in a fresh JVM without this JVM's command line or the JVM option variables, so
 * without {@code -javaagent}: seeding is setup, not the agent's work, and a policy would (rightly) block it.
 */
public final class SeedJvm {
    private SeedJvm() {
    }

    /** Runs {@code main} (from this jar, with H2 on the class path) with {@code args}; fails with its output. */
    public static void run(Class<?> main, String... args) throws IOException, InterruptedException,
            URISyntaxException {
        String javaCommand = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String classPath = location(main) + File.pathSeparator + location(org.h2.Driver.class);
        List<String> command = new java.util.ArrayList<>(List.of(javaCommand, "-cp", classPath, main.getName()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("JDK_JAVA_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.redirectErrorStream(true);
        Process p = pb.start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(output);
        }
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("seeding the database took more than 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException("seeding the database failed (exit " + p.exitValue() + "):\n"
                    + output.toString(StandardCharsets.UTF_8));
        }
    }

    private static String location(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
    }
}
