package io.agentid.collector.store;

import io.agentid.collector.model.SpanRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Query latency of {@link RocksSpanStore}: loads N realistic spans (3% denials) unless the directory already holds
 * a store, then runs 1000 queries of each shape and prints p50/p99.
 *
 * <pre>
 * cd collector && ../mvnw -o -q test-compile dependency:build-classpath -Dmdep.outputFile=target/cp.txt
 * java -Xmx2g -cp target/classes:target/test-classes:$(cat target/cp.txt) io.agentid.collector.store.QueryLatency \
 *     [spans=10000000] [dir=/tmp/agentid-query-bench]
 * </pre>
 */
public final class QueryLatency {

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 10_000_000;
        Path dir = Path.of(args.length > 1 ? args[1] : "/tmp/agentid-query-bench");
        boolean load = !Files.isDirectory(dir) || !Files.exists(dir.resolve("CURRENT"));
        try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Settings.defaults()
                .withSyncWrites(false))) {
            if (load) {
                TestSpans gen = new TestSpans(42, 0.03);
                List<SpanRecord> templates = new ArrayList<>();
                for (int i = 0; i < 4096; i++) {
                    templates.add(gen.next(0));
                }
                long t0 = System.nanoTime();
                long base = 1_700_000_000_000_000_000L;
                for (int done = 0; done < total; done += 1024) {
                    List<SpanRecord> b = new ArrayList<>(1024);
                    for (int j = 0; j < 1024 && done + j < total; j++) {
                        b.add(StoreThroughput.copy(templates.get((done + j) % templates.size()), gen,
                                base + (done + j) * 20_000L));
                    }
                    store.append(b);
                    if (done % 1_000_000 == 0 && done > 0) {
                        System.out.printf("  loaded %,d spans (%,.0f/s)%n", done, done / ((System.nanoTime() - t0)
                                / 1e9));
                    }
                }
                System.out.printf("loaded %,d spans in %.0f s%n", total, (System.nanoTime() - t0) / 1e9);
            }
            System.out.printf("store holds %,d spans in %s%n", store.approximateCount(), dir);
            run(store, "decision=deny&limit=100", new CallQuery("deny", null, null, null, null, null, 100));
            run(store, "no filter, limit=100", CallQuery.all(100));
            run(store, "decision=deny&agent=billing-agent&limit=100",
                    new CallQuery("deny", "billing-agent", null, null, null, null, 100));
            run(store, "decision=deny&rule=deny-drop-table&kind=llm&limit=100",
                    new CallQuery("deny", null, "deny-drop-table", "llm", null, null, 100));
            run(store, "decision=deny&limit=1000", new CallQuery("deny", null, null, null, null, null, 1000));
            long t = System.nanoTime();
            Stats st = store.stats(Long.MIN_VALUE, Long.MAX_VALUE);
            System.out.printf("stats over everything: %,d calls, %,d denied, in %.1f ms%n", st.calls(), st.denied(),
                    (System.nanoTime() - t) / 1e6);
        }
    }

    static void run(RocksSpanStore store, String name, CallQuery q) throws StoreException {
        for (int i = 0; i < 100; i++) {
            store.calls(q);
        }
        long[] ns = new long[1000];
        int found = 0;
        for (int i = 0; i < ns.length; i++) {
            long t = System.nanoTime();
            found = store.calls(q).size();
            ns[i] = System.nanoTime() - t;
        }
        Arrays.sort(ns);
        System.out.printf("%-55s %4d results  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms%n", name, found,
                ns[500] / 1e6, ns[990] / 1e6, ns[999] / 1e6);
    }
}
