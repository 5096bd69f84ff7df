/**
 * Where the collector keeps spans: the {@link io.agentid.collector.store.SpanStore} contract and its RocksDB
 * implementation {@link io.agentid.collector.store.RocksSpanStore}.
 *
 * <h2>Threads</h2>
 *
 * One writer at a time: {@code append} and {@code enforceRetention} share a lock inside the store, so retention can
 * run from a scheduler thread while the ingest thread appends (each waits for the other's current batch or chunk).
 * The duplicate check (is this (trace id, span id) stored already?) and the per-minute counters rely on that: both
 * read-then-write, and only one thread does so. Any number of threads may query; a query reads one RocksDB snapshot,
 * so it sees an append or a retention chunk entirely or not at all. {@code close} waits for running operations
 * (a read-write lock: operations share it, close takes it exclusively); afterwards every operation throws
 * {@code StoreException("store is closed")}.
 *
 * <h2>Measuring</h2>
 *
 * {@code StoreThroughput} (append spans/s, bytes per span) and {@code QueryLatency} (p50/p99 of the review queries)
 * are main classes under {@code src/test/java}; their javadoc has the command.
 */
package io.agentid.collector.store;
