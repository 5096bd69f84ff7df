package io.agentid.it.support;

import java.net.URISyntaxException;
import java.nio.file.Path;

/** The policy files in {@code src/test/resources/policies}, as paths a forked JVM can read. */
public final class Policies {
    private Policies() {}

    public static Path path(String name) {
        try {
            return Path.of(Policies.class.getResource("/policies/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("no test policy " + name, e);
        }
    }
}
