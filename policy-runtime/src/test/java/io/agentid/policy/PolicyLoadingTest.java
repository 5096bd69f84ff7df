package io.agentid.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.agentid.policy.compile.PolicyCompiler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading from files, file errors, and the version hash. */
class PolicyLoadingTest {
    @TempDir
    Path dir;

    static final String POLICY = "version: 1\nrules:\n  - { id: no-drop, match: { kind: sql, operation: DROP }, decision: deny, reason: no }\n";

    @Test
    void loadsAFile() throws Exception {
        Path file = write("policy.yaml", POLICY);
        PolicyEngine e = PolicyEngine.load(file);
        assertThat(e.source()).isEqualTo(file.toString());
        assertThat(e.decideSql("a", "DROP", new String[0]).ruleId()).isEqualTo("no-drop");
    }

    @Test
    void versionIsTheTruncatedSha256OfTheBytes() throws Exception {
        Path file = write("policy.yaml", POLICY);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(POLICY.getBytes(StandardCharsets.UTF_8));
        String expected = "sha256:" + HexFormat.of().formatHex(digest).substring(0, 16);
        assertThat(PolicyEngine.load(file).version()).isEqualTo(expected);
        assertThat(PolicyEngine.parse(POLICY, "x").version()).isEqualTo(expected);
        assertThat(PolicyCompiler.version(POLICY.getBytes(StandardCharsets.UTF_8))).isEqualTo(expected);
    }

    @Test
    void versionIsStableAndChangesWithAnyByte() throws Exception {
        String v1 = PolicyEngine.parse(POLICY, "a").version();
        assertThat(PolicyEngine.parse(POLICY, "b").version()).as("independent of the name").isEqualTo(v1);
        assertThat(PolicyEngine.parse(POLICY + "# comment\n", "a").version()).as("a comment changes it").isNotEqualTo(v1);
        assertThat(PolicyEngine.parse(POLICY.replace("reason: no", "reason: no!"), "a").version()).isNotEqualTo(v1);
        assertThat(v1).matches("sha256:[0-9a-f]{16}");
    }

    @Test
    void versionOfANonAsciiPolicyHashesUtf8() throws Exception {
        String policy = POLICY.replace("reason: no", "reason: nön");
        Path file = write("policy.yaml", policy);
        assertThat(PolicyEngine.load(file).version()).isEqualTo(PolicyEngine.parse(policy, "x").version());
        assertThat(PolicyEngine.load(file).decideSql("a", "DROP", new String[0]).reason()).isEqualTo("nön");
    }

    @Test
    void fileNotFound() {
        Path missing = dir.resolve("missing.yaml");
        assertThatThrownBy(() -> PolicyEngine.load(missing))
                .isInstanceOf(PolicyException.class)
                .hasMessage(missing + ": file not found")
                .satisfies(t -> {
                    PolicyException e = (PolicyException) t;
                    assertThat(e.line()).isZero();
                    assertThat(e.column()).isZero();
                    assertThat(e.file()).isEqualTo(missing.toString());
                    assertThat(e.problem()).isEqualTo("file not found");
                });
    }

    @Test
    void aDirectoryIsNotAPolicy() {
        assertThatThrownBy(() -> PolicyEngine.load(dir))
                .isInstanceOf(PolicyException.class)
                .hasMessage(dir + ": is a directory, not a policy file");
    }

    @Test
    void invalidUtf8() throws IOException {
        Path file = dir.resolve("latin1.yaml");
        Files.write(file, "version: 1\nrules: []\n# caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> PolicyEngine.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessage(file + ": the file is not valid utf-8");
    }

    @Test
    void errorsInAFileNameTheFile() throws IOException {
        Path file = write("bad.yaml", "version: 1\nmode: loud\n");
        assertThatThrownBy(() -> PolicyEngine.load(file))
                .isInstanceOf(PolicyException.class)
                .hasMessage(file + ":2:7: `mode` must be enforce or monitor, got `loud`");
    }

    @Test
    void anUnreadableFile() throws IOException {
        Path file = write("secret.yaml", POLICY);
        boolean denied = file.toFile().setReadable(false, false);
        try {
            assumeTrue(denied && !Files.isReadable(file), "cannot make a file unreadable here (running as root?)");
            assertThatThrownBy(() -> PolicyEngine.load(file))
                    .isInstanceOf(PolicyException.class)
                    .hasMessage(file + ": cannot read the file: permission denied");
        } finally {
            file.toFile().setReadable(true, false);
        }
    }

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.UTF_8);
        return p;
    }
}
