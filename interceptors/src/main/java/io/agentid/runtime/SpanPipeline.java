package io.agentid.runtime;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.common.InstrumentationScopeInfo;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.IdGenerator;
import io.opentelemetry.sdk.trace.data.EventData;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.data.StatusData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.jctools.queues.MpscArrayQueue;

/**
 * Carries call records from application threads to the OTLP exporter.
 *
 * <p>Implementation notes. Application threads only {@code offer} into one of two bounded JCTools MPSC
 * queues and never wait: a full queue drops the record and counts it. Denied calls go to the evidence
 * queue, which the export thread always drains first, so a flood of allowed calls can never push out the
 * record of a blocked one. One daemon thread builds the spans (ids, attributes, events) and exports
 * batches of up to {@link #BATCH}, at most one request per {@link #LINGER_NANOS} unless batches fill; it parks briefly
 * when both queues are empty. The exporter itself is created on that thread, so
 * building it (and loading the JDK HTTP client) costs the application's start-up nothing.
 */
public final class SpanPipeline {
    public static final int BATCH = 512;
    private static final long IDLE_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /**
     * The least time between two export requests unless a batch is full: at a few calls a millisecond (HTTP
     * requests) sending whatever is queued would cost one export request, and ~0.3 ms of the application's CPU,
     * per span or two. A span after a quiet spell goes at once (so the first ones are sent, and the exporter
     * warmed, while the application starts, not at its exit); a full batch goes at once; at shutdown everything
     * goes at once.
     */
    static final long LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(200);
    private static final long REPORT_EVERY_NANOS = TimeUnit.SECONDS.toNanos(60);

    static final AttributeKey<String> AGENT_ID = AttributeKey.stringKey("agentid.agent.id");
    static final AttributeKey<String> KIND = AttributeKey.stringKey("agentid.kind");
    static final AttributeKey<String> DECISION = AttributeKey.stringKey("agentid.decision");
    static final AttributeKey<String> RULE_ID = AttributeKey.stringKey("agentid.rule.id");
    static final AttributeKey<String> REASON = AttributeKey.stringKey("agentid.reason");
    static final AttributeKey<String> POLICY_VERSION = AttributeKey.stringKey("agentid.policy.version");
    static final AttributeKey<String> MODE = AttributeKey.stringKey("agentid.mode");
    static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");

    private final MpscArrayQueue<CallRecord> evidence;
    private final MpscArrayQueue<CallRecord> allowed;
    private final LongAdder droppedEvidence = new LongAdder();
    private final LongAdder droppedAllowed = new LongAdder();
    private final LongAdder exported = new LongAdder();
    private final LongAdder exportFailed = new LongAdder();
    private final Supplier<SpanExporter> exporterFactory;
    private final String agentId;
    private final Resource resource;
    private final InstrumentationScopeInfo scope;
    private final long epochOffsetNanos;
    private final Thread worker;
    private final long lingerNanos;
    private volatile boolean running = true;
    private volatile SpanExporter exporter;
    private long lastReportNanos = System.nanoTime();
    private long reportedDropsAllowed;
    private long reportedDropsEvidence;
    private long reportedFailures;

    public SpanPipeline(Supplier<SpanExporter> exporterFactory, String agentId, Resource resource, String version,
            int evidenceCapacity, int allowedCapacity) {
        this(exporterFactory, agentId, resource, version, evidenceCapacity, allowedCapacity, LINGER_NANOS);
    }

    SpanPipeline(Supplier<SpanExporter> exporterFactory, String agentId, Resource resource, String version,
            int evidenceCapacity, int allowedCapacity, long lingerNanos) {
        this.lingerNanos = lingerNanos;
        this.exporterFactory = exporterFactory;
        this.agentId = agentId;
        this.resource = resource;
        this.scope = InstrumentationScopeInfo.builder("io.agentid").setVersion(version).build();
        this.evidence = new MpscArrayQueue<>(evidenceCapacity);
        this.allowed = new MpscArrayQueue<>(allowedCapacity);
        this.epochOffsetNanos = System.currentTimeMillis() * 1_000_000L - System.nanoTime();
        this.worker = new AgentThread(this::run, "agentid-export");
        worker.setDaemon(true);
    }

    public void start() {
        worker.start();
    }

    /** Never blocks; drops and counts when the queue for this kind of record is full. */
    public void submit(CallRecord record) {
        if (record.isEvidence()) {
            if (!evidence.offer(record)) {
                droppedEvidence.increment();
            }
        } else if (!allowed.offer(record)) {
            droppedAllowed.increment();
        }
    }

    public long droppedAllowed() {
        return droppedAllowed.sum();
    }

    public long droppedEvidence() {
        return droppedEvidence.sum();
    }

    public long exported() {
        return exported.sum();
    }

    /** Stops the export thread after it has sent what is queued, waiting at most {@code timeoutMillis}. */
    public void shutdown(long timeoutMillis) {
        running = false;
        LockSupport.unpark(worker);
        try {
            worker.join(timeoutMillis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        report(true);
    }

    private void run() {
        try {
            exporter = exporterFactory.get();
        } catch (Throwable t) {
            AgentLog.error("span export disabled: cannot create the OTLP exporter: " + t, t);
        }
        List<SpanData> batch = new ArrayList<>(BATCH);
        IdGenerator ids = IdGenerator.random();
        long lastExport = System.nanoTime() - lingerNanos;
        while (true) {
            boolean stopping = !running;
            fill(batch, evidence, ids);
            fill(batch, allowed, ids);
            if (batch.isEmpty()) {
                if (stopping) {
                    break;
                }
                report(false);
                LockSupport.parkNanos(IDLE_PARK_NANOS);
                continue;
            }
            long sinceExport = System.nanoTime() - lastExport;
            if (batch.size() < BATCH && !stopping && sinceExport < lingerNanos) {
                // a few calls a millisecond would otherwise cost one export request each
                LockSupport.parkNanos(Math.min(IDLE_PARK_NANOS, lingerNanos - sinceExport));
                continue;
            }
            long t0 = System.nanoTime();
            export(batch);
            lastExport = System.nanoTime();
            if (stopping) {
                AgentLog.debug("export: last " + batch.size() + " spans sent in " + (lastExport - t0) / 1_000_000
                        + " ms");
            }
            batch.clear();
        }
        SpanExporter e = exporter;
        if (e != null) {
            long t0 = System.nanoTime();
            e.shutdown().join(2, TimeUnit.SECONDS);
            AgentLog.debug("export: exporter shut down in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        }
    }

    private void fill(List<SpanData> batch, MpscArrayQueue<CallRecord> queue, IdGenerator ids) {
        CallRecord r;
        while (batch.size() < BATCH && (r = queue.relaxedPoll()) != null) {
            try {
                batch.add(toSpan(r, ids));
            } catch (Throwable t) {
                io.agentid.bootstrap.Faults.report("export.span", t);
            }
        }
    }

    private void export(List<SpanData> batch) {
        SpanExporter e = exporter;
        if (e == null) {
            exportFailed.add(batch.size());
            return;
        }
        try {
            CompletableResultCode result = e.export(Collections.unmodifiableList(new ArrayList<>(batch)));
            result.join(30, TimeUnit.SECONDS);
            if (result.isSuccess()) {
                exported.add(batch.size());
            } else {
                exportFailed.add(batch.size());
            }
        } catch (Throwable t) {
            exportFailed.add(batch.size());
            io.agentid.bootstrap.Faults.report("export", t);
        }
    }

    SpanData toSpan(CallRecord r, IdGenerator ids) {
        AttributesBuilder a = SpanAttributes.builder();
        r.addAttributes(a);
        a.put(AGENT_ID, agentId);
        a.put(KIND, r.kind());
        a.put(DECISION, r.decision.verdict().label());
        a.put(RULE_ID, r.decision.ruleId());
        a.put(REASON, r.decision.reason());
        a.put(POLICY_VERSION, r.decision.policyVersion());
        a.put(MODE, r.decision.mode().label());
        if (r.errorType != null) {
            a.put(ERROR_TYPE, r.errorType);
        }
        long start = r.startNanoTime + epochOffsetNanos;
        long end = r.endNanoTime + epochOffsetNanos;
        List<EventData> events = Collections.emptyList();
        StatusData status = StatusData.unset();
        if (r.decision.isDeny()) {
            Attributes ev = Attributes.of(RULE_ID, r.decision.ruleId(), REASON, r.decision.reason());
            events = List.of(EventData.create(end, r.blocked ? "agentid.blocked" : "agentid.would_block", ev));
            if (r.blocked) {
                status = StatusData.create(StatusCode.ERROR,
                        "blocked by rule '" + r.decision.ruleId() + "': " + r.decision.reason());
            }
        } else if (r.errorType != null) {
            status = StatusData.create(StatusCode.ERROR, r.errorType);
        }
        SpanContext ctx = SpanContext.create(r.traceId != null ? r.traceId : ids.generateTraceId(),
                r.spanId != null ? r.spanId : ids.generateSpanId(), TraceFlags.getSampled(), TraceState.getDefault());
        return new CallSpanData(r.spanName(), ctx, start, end, a.build(), events, status, resource, scope);
    }

    private void report(boolean last) {
        long now = System.nanoTime();
        if (!last && now - lastReportNanos < REPORT_EVERY_NANOS) {
            return;
        }
        lastReportNanos = now;
        long da = droppedAllowed.sum();
        long de = droppedEvidence.sum();
        long f = exportFailed.sum();
        if (da != reportedDropsAllowed || de != reportedDropsEvidence || f != reportedFailures || last) {
            if (da > 0 || de > 0 || f > 0 || last) {
                String line = "export: " + exported.sum() + " spans exported, " + da
                        + " allowed-call spans dropped (queue full), " + de + " denied-call spans dropped, " + f
                        + " spans failed to export";
                if (de > 0 || f > 0) {
                    AgentLog.warn(line);
                } else {
                    AgentLog.info(line);
                }
            }
            reportedDropsAllowed = da;
            reportedDropsEvidence = de;
            reportedFailures = f;
        }
    }
}
