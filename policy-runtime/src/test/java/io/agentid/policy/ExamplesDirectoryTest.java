package io.agentid.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every policy in the repository's examples/ directory loads; examples/policy.yaml decides as its comments say. */
class ExamplesDirectoryTest {

    @Test
    void everyExampleLoads() throws IOException, PolicyException {
        List<Path> files;
        try (Stream<Path> s = Files.list(examples())) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).isNotEmpty();
        for (Path f : files) {
            assertThat(PolicyEngine.load(f).version()).startsWith("sha256:");
        }
    }

    @Test
    void theEgressAllowlist() throws PolicyException {
        PolicyEngine e = PolicyEngine.load(examples().resolve("policy.yaml"));
        assertThat(e.decideHttp("a", "POST", "https", "api.openai.com", 443, "/v1/chat/completions", "gpt-4o", 0.01).ruleId())
                .isEqualTo("default");
        assertThat(e.decideHttp("a", "GET", "https", "pastebin.com", 443, "/", null, Double.NaN).ruleId())
                .isEqualTo("egress-allowlist");
        assertThat(e.decideHttp("a", null, null, "203.0.113.9", 25, null, null, Double.NaN).ruleId())
                .isEqualTo("egress-allowlist");
        assertThat(e.decideHttp("a", null, null, "10.1.2.3", 5432, null, null, Double.NaN).ruleId()).isEqualTo("default");
        assertThat(e.decideHttp("a", "POST", "https", "api.openai.com", 443, "/v1/chat/completions", "gpt-4o", 0.9).ruleId())
                .isEqualTo("no-expensive-calls");
    }

    private static Path examples() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path dir = p.resolve("examples");
            if (Files.isRegularFile(dir.resolve("policy.yaml"))) {
                return dir;
            }
        }
        throw new AssertionError("examples/policy.yaml not found above " + Path.of("").toAbsolutePath());
    }
}
