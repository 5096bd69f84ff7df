package io.agentid.collector.store;

import io.agentid.collector.model.SpanRecord;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A collector stand-in run in a forked JVM by {@link StoreProcessTest}. {@code append <dir>}: appends batches of
 * {@link #BATCH} spans (batch b is trace {@link #traceId}(b)) and prints {@code acked N} after each append returns,
 * until killed. {@code hold <dir>}: opens the store, prints {@code opened} and waits.
 */
public final class StoreChild {

    static final int BATCH = 200;

    public static void main(String[] args) throws Exception {
        // Without fsync: what the test proves is that the WAL write alone survives a process kill.
        RocksSpanStore store = RocksSpanStore.open(Path.of(args[1]),
                RocksSpanStore.Settings.defaults().withSyncWrites(false));
        if (args[0].equals("hold")) {
            System.out.println("opened");
            System.out.flush();
            Thread.sleep(600_000);
            return;
        }
        TestSpans gen = new TestSpans(1, 0.05);
        long t0 = RocksSpanStoreTest.T0;
        for (int b = 0; ; b++) {
            List<SpanRecord> batch = new ArrayList<>(BATCH);
            for (int i = 0; i < BATCH; i++) {
                SpanRecord s = gen.next(t0 + (long) b * BATCH + i);
                batch.add(gen.span(traceId(b), String.format("%016x", i + 1), s.startEpochNanos(), "agent-" + b % 3,
                        "sql", s.call().decision(), s.call().ruleId()));
            }
            store.append(batch);
            System.out.println("acked " + (b + 1) * BATCH);
            System.out.flush();
        }
    }

    static String traceId(int batch) {
        return String.format("%032x", batch + 1);
    }
}
