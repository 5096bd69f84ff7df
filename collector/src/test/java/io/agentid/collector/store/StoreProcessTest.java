package io.agentid.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store across real processes: {@code kill -9} mid-stream, and two collectors on one directory. */
class StoreProcessTest {

    @TempDir
    Path dir;

    static Process fork(String mode, Path dir) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(java, "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                StoreChild.class.getName(), mode, dir.toString()).redirectErrorStream(true).start();
    }

    @Test
    void everyAckedSpanSurvivesKillDashNine() throws Exception {
        Process child = fork("append", dir);
        long acked = 0;
        StringBuilder output = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                output.append(line).append('\n');
                if (line.startsWith("acked ")) {
                    acked = Long.parseLong(line.substring(6));
                    if (acked >= 20_000) {
                        // SIGKILL while the child is still appending.
                        child.destroyForcibly();
                        break;
                    }
                }
            }
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(acked).as("child output:\n%s", output).isGreaterThanOrEqualTo(20_000);
        try (RocksSpanStore store = RocksSpanStore.open(dir)) {
            assertThat(store.approximateCount()).isGreaterThanOrEqualTo(acked);
            for (int b = 0; b < acked / StoreChild.BATCH; b++) {
                assertThat(store.trace(StoreChild.traceId(b))).as("batch %d", b).hasSize(StoreChild.BATCH);
            }
            // What was stored (acked or not) is whole batches: one WriteBatch per append.
            long count = store.approximateCount();
            assertThat(count % StoreChild.BATCH).isZero();
            assertThat(store.calls(CallQuery.all(1000))).hasSize(1000);
            assertThat(store.stats(Long.MIN_VALUE, Long.MAX_VALUE).calls()).isEqualTo(count);
        }
    }

    @Test
    void aSecondCollectorProcessGetsAClearError() throws Exception {
        Process child = fork("hold", dir);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(),
                StandardCharsets.UTF_8))) {
            assertThat(r.readLine()).isEqualTo("opened");
            assertThatThrownBy(() -> RocksSpanStore.open(dir)).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("another collector is using `" + dir.toAbsolutePath() + "`");
        } finally {
            child.destroyForcibly();
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        // Once that process is gone, its lock is released.
        try (RocksSpanStore store = RocksSpanStore.open(dir)) {
            assertThat(store.calls(CallQuery.all(10))).isEqualTo(List.of());
        }
    }
}
