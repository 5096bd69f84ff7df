package io.agentid.policy;

import io.agentid.policy.compile.PolicyCompiler;
import io.agentid.policy.model.PolicyModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Test helpers: compile policies from text, read test resources, expect errors. */
public final class Policies {
    private Policies() {}

    /** The indexed engine for {@code yaml}, named {@code policy.yaml}; fails the test on a policy error. */
    public static PolicyEngine engine(String yaml) {
        try {
            return PolicyEngine.parse(yaml, "policy.yaml");
        } catch (PolicyException e) {
            throw new AssertionError("policy should compile: " + e.getMessage(), e);
        }
    }

    public static PolicyModel model(String yaml) {
        try {
            return PolicyCompiler.check(yaml, "policy.yaml");
        } catch (PolicyException e) {
            throw new AssertionError("policy should check: " + e.getMessage(), e);
        }
    }

    /** The PolicyException that compiling {@code yaml} (as {@code policy.yaml}) throws. */
    public static PolicyException error(String yaml) {
        try {
            PolicyEngine.parse(yaml, "policy.yaml");
        } catch (PolicyException e) {
            return e;
        }
        throw new AssertionError("expected a policy error for:\n" + yaml);
    }

    public static void assertPolicyError(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(PolicyException.class).hasMessage(message);
    }

    /** A test resource under {@code policy/} as a path. */
    public static Path resource(String name) {
        try {
            var url = Policies.class.getResource("/policy/" + name);
            if (url == null) {
                throw new AssertionError("missing test resource policy/" + name);
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new AssertionError(e);
        }
    }

    public static String read(Path p) {
        try {
            return Files.readString(p, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decisions have no equals; this string holds every field. */
    public static String describe(Decision d) {
        return d.verdict() + "|" + d.ruleId() + "|" + d.reason() + "|" + d.policyVersion() + "|" + d.mode();
    }
}
