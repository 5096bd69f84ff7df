package io.agentid.it.support;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.provider.Arguments;

/** The JVMs the forked applications run on, from {@code -Dagentid.it.javas=label:/path/to/java,...}. */
public final class Jvms {
    private Jvms() {}

    public record Jvm(String label, Path java) {
        @Override
        public String toString() {
            return "java " + label;
        }
    }

    public static List<Jvm> all() {
        String spec = System.getProperty("agentid.it.javas", "17:" + System.getProperty("java.home") + "/bin/java");
        List<Jvm> out = new ArrayList<>();
        for (String part : spec.split(",")) {
            int colon = part.indexOf(':');
            Path java = Path.of(part.substring(colon + 1).trim());
            if (!Files.isExecutable(java)) {
                throw new IllegalStateException("agentid.it.javas names `" + java + "`, which is not an executable"
                        + " java; install that JDK or pass -Dagentid.it.javas=17:/path/to/java");
            }
            out.add(new Jvm(part.substring(0, colon).trim(), java));
        }
        return out;
    }

    /** A parameterized test's cases: every JVM × each of {@code values}, as ({@code jvm}, {@code value}). */
    public static List<Arguments> withEach(Object... values) {
        List<Arguments> out = new ArrayList<>();
        for (Jvm jvm : all()) {
            for (Object value : values) {
                out.add(Arguments.of(jvm, value));
            }
        }
        return out;
    }

    /** The first JVM of the list: for tests that need not run on every JVM. */
    public static Jvm first() {
        return all().get(0);
    }
}
