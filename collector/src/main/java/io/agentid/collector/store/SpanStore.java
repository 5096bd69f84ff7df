package io.agentid.collector.store;

import io.agentid.collector.model.SpanRecord;
import java.io.Closeable;
import java.util.List;

/**
 * Where spans are kept. {@link #append} is durable when it returns: the batch survives {@code kill -9} and a
 * restart. Appending a span again (same trace id and span id, as a client retry does) stores it once.
 * Implementations are safe for one appending thread and any number of querying threads.
 */
public interface SpanStore extends Closeable {

    /** Writes the batch durably; returns when it would survive a crash of this process. */
    void append(List<SpanRecord> batch) throws StoreException;

    /** Calls matching the query, newest first (by span start time), at most {@code query.limit()}. */
    List<SpanRecord> calls(CallQuery query) throws StoreException;

    /** Every stored span of the trace, in start-time order; empty when none. */
    List<SpanRecord> trace(String traceIdHex) throws StoreException;

    /** Calls and denials by agent and by rule for spans starting in [sinceNanos, untilNanos). */
    Stats stats(long sinceEpochNanos, long untilEpochNanos) throws StoreException;

    /** Deletes spans that retention no longer keeps; returns how many were deleted. */
    long enforceRetention(Retention retention) throws StoreException;

    /** Approximate number of spans stored. */
    long approximateCount();

    @Override
    void close();
}
