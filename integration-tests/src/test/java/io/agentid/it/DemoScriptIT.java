package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's demo command, as a newcomer runs it: {@code ./demo.sh --no-wait} from another directory, with the
 * jars the build just made ({@code --no-build}, so the test does not rebuild the project under itself).
 */
class DemoScriptIT {

    @TempDir
    Path cwd;

    @Test
    void theDemoBlocksBothInjectedCallsAndShowsThemThroughTheCollector() throws Exception {
        String out = demo();
        assertThat(out)
                .contains("-> error: agentid: blocked by rule 'no-ddl': agents may not change the schema")
                .contains("-> error: agentid: blocked by rule 'payroll-off-limits': payroll data is not for agents")
                .contains("customers table intact")
                .contains("7 calls recorded for agent `support-agent`: 5 allowed, 2 blocked")
                .contains("/api/calls?decision=deny")
                .contains("demo: collector stopped");
        assertThat(cwd.resolve("agentid-demo/collector.log")).exists();
    }

    @Test
    void theLangChain4jDemoBlocksTheUploadAndTheDrop() throws Exception {
        String out = demo("--langchain4j");
        assertThat(out)
                .contains("-> error: agentid: blocked by rule 'egress-allowlist': egress outside the allowlist")
                .contains("-> error: agentid: blocked by rule 'no-ddl': agents may not change the schema")
                .contains("assistant: Order 502")
                .contains("orders table intact: 4 rows")
                .contains("received 0 requests")
                .contains("10 calls recorded for agent `orders-agent`: 8 allowed, 2 blocked")
                .contains("demo: collector stopped")
                .doesNotContain("SLF4J");
        assertThat(cwd.resolve("agentid-demo/lc4j-db/orders.mv.db")).exists();
    }

    /** Runs {@code demo.sh --no-wait --no-build} plus {@code extra} in the temporary directory; its output. */
    private String demo(String... extra) throws Exception {
        Path root = Path.of(System.getProperty("agentid.root", "..")).toAbsolutePath().normalize();
        Path log = cwd.resolve("demo.out");
        List<String> cmd = new ArrayList<>(List.of("bash", root.resolve("demo.sh").toString(), "--no-wait", "--no-build"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(cwd.toFile()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        Process p = pb.start();
        boolean done = p.waitFor(180, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        assertThat(done).as("demo.sh finished in 180 s; output:%n%s", out).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        return out;
    }
}
