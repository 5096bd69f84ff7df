package io.agentid.collector.store;

import io.agentid.collector.model.SpanRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Append throughput of {@link RocksSpanStore}: appends N realistic spans in batches, prints spans/s and disk bytes
 * per span. Spans are generated before the clock starts.
 *
 * <pre>
 * cd collector && ../mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -cp target/classes:target/test-classes:$(cat target/cp.txt) io.agentid.collector.store.StoreThroughput \
 *     [spans=2000000] [batch=512] [sync=true] [dir=a fresh temp dir]
 * </pre>
 */
public final class StoreThroughput {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 512;
        boolean sync = args.length > 2 ? Boolean.parseBoolean(args[2]) : true;
        Path dir = args.length > 3 ? Path.of(args[3]) : Files.createTempDirectory("agentid-store-bench");
        // Templates are generated up front; each batch is made of copies with fresh ids and times just before it
        // is appended, and only append() is timed.
        TestSpans gen = new TestSpans(42, 0.03);
        long t0 = 1_700_000_000_000_000_000L;
        List<SpanRecord> templates = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {
            templates.add(gen.next(0));
        }
        System.out.printf("appending %d spans in batches of %d; sync=%s; dir=%s%n", total, batchSize, sync, dir);
        try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Settings.defaults()
                .withSyncWrites(sync))) {
            long elapsedAppend = 0;
            long wall = System.nanoTime();
            long last = wall;
            int done = 0;
            while (done < total) {
                int n = Math.min(batchSize, total - done);
                List<SpanRecord> b = new ArrayList<>(n);
                for (int j = 0; j < n; j++) {
                    b.add(copy(templates.get((done + j) % templates.size()), gen, t0 + (done + j) * 20_000L));
                }
                long s0 = System.nanoTime();
                store.append(b);
                long s1 = System.nanoTime();
                elapsedAppend += s1 - s0;
                done += n;
                if (s1 - last > 10_000_000_000L) {
                    System.out.printf("  %,d spans, %,.0f spans/s so far%n", done, done / (elapsedAppend / 1e9));
                    last = s1;
                }
            }
            long elapsed = elapsedAppend;
            System.out.printf("appended %,d spans in %.1f s of append() (%.1f s wall): %,.0f spans/s (sync=%s,"
                    + " batch=%d)%n", done, elapsed / 1e9, (System.nanoTime() - wall) / 1e9, done / (elapsed / 1e9),
                    sync, batchSize);
            store.flush();
            System.out.printf("after flush: %,d bytes in SST+WAL = %.0f bytes/span; directory %,d bytes = %.0f"
                    + " bytes/span (before full compaction)%n", store.diskBytes(),
                    (double) store.diskBytes() / done, dirSize(dir), (double) dirSize(dir) / done);
        }
    }

    static SpanRecord copy(SpanRecord t, TestSpans gen, long start) {
        return new SpanRecord(gen.hex(16), gen.hex(8), t.parentSpanId(), t.name(), t.kind(), start,
                start + (t.endEpochNanos() - t.startEpochNanos()), t.statusCode(), t.statusMessage(),
                t.resourceAttributes(), t.scopeName(), t.attributes(), t.events());
    }

    static long dirSize(Path dir) throws Exception {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
