package io.agentid.collector.ingest;

import io.agentid.collector.model.SpanRecord;
import io.agentid.collector.store.Retention;
import io.agentid.collector.store.SpanStore;
import io.agentid.collector.store.StoreException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer in front of the store. Receivers {@link #submit} decoded batches; a single thread takes every
 * batch waiting, writes them to the store as one durable append (group commit), and only then completes their
 * futures, so a receiver acknowledges a request only after its spans are durable.
 *
 * <p>Bounded: at most {@code maxPendingSpans} spans wait. When full, {@link #submit} returns {@code null} at once
 * and the receiver answers "retry later" (HTTP 503 with Retry-After, gRPC UNAVAILABLE); nothing is buffered
 * without bound and nothing acknowledged is dropped.
 */
public final class Ingest implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Ingest.class);
    private static final int MAX_GROUP_SPANS = 16_384;

    private final SpanStore store;
    private final long maxPendingSpans;
    private final Retention retention;
    private final long retentionEveryNanos;
    private final BlockingQueue<Pending> queue = new ArrayBlockingQueue<>(4096);
    private final AtomicLong pendingSpans = new AtomicLong();
    private final LongAdder stored = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final Thread writer;
    private volatile boolean closing;

    private record Pending(List<SpanRecord> spans, CompletableFuture<Void> done) {
    }

    public Ingest(SpanStore store, long maxPendingSpans, Retention retention, long retentionEveryMillis) {
        this.store = store;
        this.maxPendingSpans = maxPendingSpans;
        this.retention = retention;
        this.retentionEveryNanos = TimeUnit.MILLISECONDS.toNanos(retentionEveryMillis);
        this.writer = new Thread(this::run, "agentid-collector-writer");
        this.writer.setDaemon(true);
        this.writer.start();
    }

    /**
     * Queues a batch for a durable write. Returns a future completed when the batch is durable (or failed with a
     * {@link StoreException}), or {@code null} when the collector is too busy (or closing) to take it now.
     */
    public CompletableFuture<Void> submit(List<SpanRecord> spans) {
        if (spans.isEmpty()) {
            return CompletableFuture.completedFuture(null);
        }
        if (closing) {
            refused.add(spans.size());
            return null;
        }
        long after = pendingSpans.addAndGet(spans.size());
        // one batch bigger than the whole budget is still taken when nothing else waits
        if (after > maxPendingSpans && after != spans.size()) {
            pendingSpans.addAndGet(-spans.size());
            refused.add(spans.size());
            return null;
        }
        Pending p = new Pending(spans, new CompletableFuture<>());
        if (!queue.offer(p)) {
            pendingSpans.addAndGet(-spans.size());
            refused.add(spans.size());
            return null;
        }
        return p.done;
    }

    public long storedSpans() {
        return stored.sum();
    }

    public long refusedSpans() {
        return refused.sum();
    }

    private void run() {
        List<Pending> group = new ArrayList<>();
        List<SpanRecord> spans = new ArrayList<>();
        long nextRetention = System.nanoTime() + retentionEveryNanos;
        while (true) {
            Pending first;
            try {
                first = queue.poll(200, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
                closing = true;
            }
            if (first != null) {
                group.add(first);
                int n = first.spans.size();
                Pending next;
                while (n < MAX_GROUP_SPANS && (next = queue.poll()) != null) {
                    group.add(next);
                    n += next.spans.size();
                }
                write(group, spans);
            } else if (closing) {
                failLeftovers();
                return;
            }
            if (retention != null && System.nanoTime() - nextRetention >= 0) {
                nextRetention = System.nanoTime() + retentionEveryNanos;
                applyRetention();
            }
        }
    }

    /** A batch offered while the writer was stopping: its sender is told to retry (it was never acknowledged). */
    private void failLeftovers() {
        Pending p;
        while ((p = queue.poll()) != null) {
            pendingSpans.addAndGet(-p.spans.size());
            p.done.completeExceptionally(new StoreException("collector is shutting down"));
        }
    }

    private void write(List<Pending> group, List<SpanRecord> spans) {
        int count = 0;
        for (Pending p : group) {
            spans.addAll(p.spans);
            count += p.spans.size();
        }
        try {
            store.append(spans);
            stored.add(count);
            for (Pending p : group) {
                p.done.complete(null);
            }
        } catch (StoreException | RuntimeException e) {
            log.error("could not store {} spans; their senders are told to retry: {}", count, e.getMessage());
            StoreException failure = e instanceof StoreException se ? se
                    : new StoreException("store failed: " + e, e);
            for (Pending p : group) {
                p.done.completeExceptionally(failure);
            }
        } finally {
            pendingSpans.addAndGet(-count);
            group.clear();
            spans.clear();
        }
    }

    private void applyRetention() {
        try {
            long deleted = store.enforceRetention(retention);
            if (deleted > 0) {
                log.info("retention deleted {} spans", deleted);
            }
        } catch (StoreException | RuntimeException e) {
            log.warn("retention failed: {}", e.getMessage());
        }
    }

    /** Stops taking batches, writes every batch already queued, then returns. */
    @Override
    public void close() {
        closing = true;
        try {
            writer.join(30_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
