package io.agentid.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.Verdict;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class SpanPipelineTest {
    private static final Decision ALLOW = new Decision(Verdict.ALLOW, "default", "no rule matched", "v1", Mode.ENFORCE);
    private static final Decision DENY = new Decision(Verdict.DENY, "no-ddl", "no", "v1", Mode.ENFORCE);

    /** Records each export call's batch. */
    static final class Batches implements SpanExporter {
        final List<List<SpanData>> batches = new CopyOnWriteArrayList<>();

        @Override
        public CompletableResultCode export(Collection<SpanData> spans) {
            batches.add(new ArrayList<>(spans));
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode flush() {
            return CompletableResultCode.ofSuccess();
        }

        @Override
        public CompletableResultCode shutdown() {
            return CompletableResultCode.ofSuccess();
        }

        int spans() {
            return batches.stream().mapToInt(List::size).sum();
        }
    }

    static final class Call extends CallRecord {
        final String name;

        Call(String name, Decision d) {
            super(System.nanoTime(), d, d.isDeny());
            this.name = name;
            finish(System.nanoTime(), null);
        }

        @Override
        protected String kind() {
            return "test";
        }

        @Override
        protected String spanName() {
            return name;
        }

        @Override
        protected void addAttributes(AttributesBuilder attributes) {}
    }

    private static SpanPipeline pipeline(Batches out, long lingerMillis) {
        return new SpanPipeline(() -> out, "a", Resource.empty(), "test", 64, 64,
                TimeUnit.MILLISECONDS.toNanos(lingerMillis));
    }

    @Test
    void callsSpreadOverTimeAreSentTogetherNotOneRequestEach() throws Exception {
        Batches out = new Batches();
        SpanPipeline p = pipeline(out, 300);
        p.start();
        for (int i = 0; i < 40; i++) {
            p.submit(new Call("c" + i, ALLOW));
            Thread.sleep(2); // ~500 calls a second: without the linger, about one export request per call
        }
        p.shutdown(5_000);
        assertThat(out.spans()).isEqualTo(40);
        assertThat(out.batches.size()).as("export requests for 40 calls over ~100 ms").isLessThanOrEqualTo(3);
    }

    @Test
    void aSpanAfterAQuietSpellGoesAtOnceAndTheNextWaitsOutTheLingerWithoutShutdown() throws Exception {
        Batches out = new Batches();
        SpanPipeline p = pipeline(out, 300);
        p.start();
        long t0 = System.nanoTime();
        p.submit(new Call("one", DENY));
        awaitSpans(out, 1);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("first span's wait").isLessThan(250);
        p.submit(new Call("two", ALLOW));
        awaitSpans(out, 2);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("second span's wait").isGreaterThanOrEqualTo(290);
        assertThat(out.batches).hasSize(2);
        assertThat(out.batches.get(0).get(0).getName()).isEqualTo("one");
        assertThat(out.batches.get(1).get(0).getName()).isEqualTo("two");
        p.shutdown(5_000);
    }

    private static void awaitSpans(Batches out, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (out.spans() < n && System.nanoTime() < deadline) {
            Thread.sleep(2);
        }
        assertThat(out.spans()).isEqualTo(n);
    }

    @Test
    void aFullBatchDoesNotWaitForTheLinger() throws Exception {
        Batches out = new Batches();
        SpanPipeline p = new SpanPipeline(() -> out, "a", Resource.empty(), "test", 64, 2 * SpanPipeline.BATCH,
                TimeUnit.HOURS.toNanos(1));
        for (int i = 0; i < SpanPipeline.BATCH; i++) {
            p.submit(new Call("c" + i, ALLOW));
        }
        p.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (out.spans() < SpanPipeline.BATCH && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(out.spans()).isEqualTo(SpanPipeline.BATCH);
        p.shutdown(5_000);
    }

    @Test
    void shutdownSendsWhatIsQueuedAtOnceAndDeniedCallsSurviveAnOverflow() {
        Batches out = new Batches();
        SpanPipeline p = pipeline(out, TimeUnit.HOURS.toMillis(1));
        for (int i = 0; i < 100; i++) {
            p.submit(new Call("allowed" + i, ALLOW)); // 64 fit, 36 are dropped and counted
        }
        p.submit(new Call("denied", DENY));
        p.start();
        long t0 = System.nanoTime();
        p.shutdown(5_000);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(4_000);
        assertThat(out.spans()).isEqualTo(65);
        assertThat(p.droppedAllowed()).isEqualTo(36);
        assertThat(p.droppedEvidence()).isZero();
        assertThat(out.batches.get(0).get(0).getName()).as("evidence first").isEqualTo("denied");
    }
}
