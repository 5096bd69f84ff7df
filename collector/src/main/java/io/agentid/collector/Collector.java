package io.agentid.collector;

import io.agentid.collector.grpc.OtlpGrpcReceiver;
import io.agentid.collector.http.ApiServer;
import io.agentid.collector.http.OtlpHttpReceiver;
import io.agentid.collector.ingest.Ingest;
import io.agentid.collector.store.Retention;
import io.agentid.collector.store.RocksSpanStore;
import io.agentid.collector.store.SpanStore;
import io.agentid.collector.store.StoreException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/** A running collector: the store, the writer in front of it, two OTLP receivers and the review API. */
public final class Collector implements AutoCloseable {

    /** What {@link CollectorMain} reads from flags and environment variables. */
    public record Settings(String bind, int grpcPort, int httpPort, int apiPort, Path dataDir, Retention retention,
            int maxRequestBytes, long maxPendingSpans) {
    }

    private final SpanStore store;
    private final Ingest ingest;
    private final OtlpGrpcReceiver grpc;
    private final OtlpHttpReceiver http;
    private final ApiServer api;

    private Collector(SpanStore store, Ingest ingest, OtlpGrpcReceiver grpc, OtlpHttpReceiver http, ApiServer api) {
        this.store = store;
        this.ingest = ingest;
        this.grpc = grpc;
        this.http = http;
        this.api = api;
    }

    /** Opens the store and starts every server; on any failure, stops what had started and rethrows. */
    public static Collector start(Settings s) throws IOException, StoreException {
        SpanStore store = RocksSpanStore.open(s.dataDir());
        Ingest ingest = null;
        OtlpGrpcReceiver grpc = null;
        OtlpHttpReceiver http = null;
        try {
            ingest = new Ingest(store, s.maxPendingSpans(), s.retention(), 60_000);
            grpc = new OtlpGrpcReceiver(s.bind(), s.grpcPort(), ingest, s.maxRequestBytes());
            http = new OtlpHttpReceiver(s.bind(), s.httpPort(), ingest, s.maxRequestBytes());
            ApiServer api = new ApiServer(s.bind(), s.apiPort(), store, ingest);
            return new Collector(store, ingest, grpc, http, api);
        } catch (IOException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            if (grpc != null) {
                grpc.close();
            }
            if (ingest != null) {
                ingest.close();
            }
            store.close();
            throw e;
        }
    }

    public InetSocketAddress grpcAddress() {
        return grpc.address();
    }

    public InetSocketAddress httpAddress() {
        return http.address();
    }

    public InetSocketAddress apiAddress() {
        return api.address();
    }

    public SpanStore store() {
        return store;
    }

    /** Stops accepting requests, writes every batch already taken, closes the store. */
    @Override
    public void close() {
        grpc.close();
        http.close();
        api.close();
        ingest.close();
        store.close();
    }
}
