package io.agentid.collector.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentid.collector.model.CallView;
import io.agentid.collector.model.SpanEvent;
import io.agentid.collector.model.SpanRecord;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RocksSpanStoreTest {

    static final long T0 = 1_700_000_000_000_000_000L;
    static final long MINUTE = 60_000_000_000L;

    @TempDir
    Path dir;

    RocksSpanStore open() throws StoreException {
        return RocksSpanStore.open(dir, RocksSpanStore.Settings.defaults().withSyncWrites(false));
    }

    // ------------------------------------------------------------------------------------------ round trip

    @Test
    void everyFieldAndAttributeTypeRoundTrips() throws Exception {
        Map<String, Object> nested = new LinkedHashMap<>();
        nested.put("k", "v");
        nested.put("n", -7L);
        nested.put("list", List.of(1L, "two", 3.5, false));
        Map<String, Object> attrs = new LinkedHashMap<>();
        attrs.put("agentid.agent.id", "billing-agent");
        attrs.put("agentid.decision", "deny");
        attrs.put("agentid.rule.id", "deny-payroll");
        attrs.put("custom.string", "héllo ✓ 日本");
        attrs.put("custom.empty", "");
        attrs.put("custom.long", Long.MIN_VALUE);
        attrs.put("custom.long.max", Long.MAX_VALUE);
        attrs.put("custom.double", -0.125);
        attrs.put("custom.nan", Double.NaN);
        attrs.put("custom.true", true);
        attrs.put("custom.false", false);
        attrs.put("custom.list", List.of("a", 2L, 3.0, true, List.of("nested")));
        attrs.put("custom.empty.list", List.of());
        attrs.put("custom.map", nested);
        attrs.put("custom.bytes", new byte[] {0, 1, (byte) 0xFF, 42});
        Map<String, Object> resource = Map.of("service.name", "svc", "custom.resource", 12L);
        List<SpanEvent> events = List.of(new SpanEvent("agentid.blocked", T0 + 5, Map.of("agentid.rule.id", "r")),
                new SpanEvent("earlier", T0 - 1_000, Map.of("bytes", new byte[] {9})));
        SpanRecord s = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", "00f067aa0ba902b7",
                "SELECT payroll", 3, T0, T0 + 1_234_567, 2, "blocked", resource, "io.agentid.jdbc", attrs, events);
        SpanRecord root = new SpanRecord("0af7651916cd43dd8448eb211c80319c", "c7ad6b7169203331", "", "", 0, -5L,
                -10L, 0, "", Map.of(), "", Map.of(), List.of());
        SpanRecord oddParent = new SpanRecord("1af7651916cd43dd8448eb211c80319c", "d7ad6b7169203331", "NOT-HEX",
                "x", 1, T0 + 1, T0 + 2, 1, "", Map.of(), "", Map.of(), List.of());
        try (RocksSpanStore store = open()) {
            store.append(List.of(s, root, oddParent));
            List<SpanRecord> trace = store.trace(s.traceId());
            assertThat(trace).hasSize(2);
            assertSame(trace.get(0), root);
            assertSame(trace.get(1), s);
            assertSame(store.trace(oddParent.traceId()).get(0), oddParent);
        }
    }

    static void assertSame(SpanRecord actual, SpanRecord expected) {
        assertThat(describe(actual)).isEqualTo(describe(expected));
    }

    /** Every field, with byte arrays as hex so that equality is by content. */
    static List<Object> describe(SpanRecord s) {
        List<Object> events = new ArrayList<>();
        for (SpanEvent e : s.events()) {
            events.add(List.of(e.name(), e.epochNanos(), norm(e.attributes())));
        }
        return List.of(s.traceId(), s.spanId(), s.parentSpanId(), s.name(), s.kind(), s.startEpochNanos(),
                s.endEpochNanos(), s.statusCode(), s.statusMessage(), norm(s.resourceAttributes()), s.scopeName(),
                norm(s.attributes()), events);
    }

    static Object norm(Object v) {
        if (v instanceof byte[] b) {
            return "bytes:" + HexFormat.of().formatHex(b);
        }
        if (v instanceof List<?> l) {
            return l.stream().map(RocksSpanStoreTest::norm).collect(Collectors.toList());
        }
        if (v instanceof Map<?, ?> m) {
            Map<Object, Object> n = new LinkedHashMap<>();
            m.forEach((k, x) -> n.put(k, norm(x)));
            return n;
        }
        if (v instanceof Double d) {
            return "double:" + Double.doubleToRawLongBits(d);
        }
        return v;
    }

    // ------------------------------------------------------------------------------------------ queries

    @Test
    void callsAreNewestFirst() throws Exception {
        TestSpans gen = new TestSpans(1, 0.1);
        List<SpanRecord> batch = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            batch.add(gen.next(T0 + (i * 7919L % 50) * 1_000));
        }
        try (RocksSpanStore store = open()) {
            store.append(batch);
            List<SpanRecord> got = store.calls(CallQuery.all(1000));
            assertThat(got).hasSize(50);
            assertThat(got).extracting(SpanRecord::startEpochNanos)
                    .isSortedAccordingTo(Comparator.reverseOrder());
            assertThat(store.calls(CallQuery.all(3))).extracting(SpanRecord::startEpochNanos)
                    .containsExactly(T0 + 49_000, T0 + 48_000, T0 + 47_000);
        }
    }

    /** Random data, random queries: the indexed answer equals a brute-force filter over the same spans. */
    @Test
    void filtersAgreeWithBruteForce() throws Exception {
        TestSpans gen = new TestSpans(7, 0.05);
        SplittableRandom rnd = new SplittableRandom(99);
        List<SpanRecord> all = randomSpans(gen, rnd, 4000);
        try (RocksSpanStore store = open()) {
            for (int i = 0; i < all.size(); i += 300) {
                store.append(all.subList(i, Math.min(all.size(), i + 300)));
            }
            int nonEmpty = 0;
            for (int q = 0; q < 400; q++) {
                CallQuery query = randomQuery(rnd);
                List<String> expected = bruteForce(all, query);
                assertThat(ids(store.calls(query))).as("%s", query).isEqualTo(expected);
                nonEmpty += expected.isEmpty() ? 0 : 1;
            }
            assertThat(nonEmpty).as("queries with results").isGreaterThan(200);
            // Each filter alone, unlimited by time.
            for (String d : List.of("deny", "allow", "none")) {
                CallQuery query = new CallQuery(d, null, null, null, null, null, 1000);
                assertThat(ids(store.calls(query))).isEqualTo(bruteForce(all, query));
            }
            for (String a : TestSpans.AGENTS) {
                CallQuery query = new CallQuery(null, a, null, null, null, null, 1000);
                assertThat(ids(store.calls(query))).isNotEmpty().isEqualTo(bruteForce(all, query));
            }
            for (String r : TestSpans.RULES) {
                CallQuery query = new CallQuery(null, null, r, null, null, null, 1000);
                assertThat(ids(store.calls(query))).isNotEmpty().isEqualTo(bruteForce(all, query));
            }
            for (String k : TestSpans.KINDS) {
                CallQuery query = new CallQuery(null, null, null, k, null, null, 1000);
                assertThat(ids(store.calls(query))).isNotEmpty().isEqualTo(bruteForce(all, query));
            }
            CallQuery all4 = new CallQuery("deny", TestSpans.AGENTS[0], TestSpans.RULES[1], "sql", null, null, 1000);
            assertThat(ids(store.calls(all4))).isNotEmpty().isEqualTo(bruteForce(all, all4));
        }
    }

    static List<SpanRecord> randomSpans(TestSpans gen, SplittableRandom rnd, int n) {
        List<SpanRecord> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // Few distinct times, so that ties (ordered by ids) are common; some spans carry no decision.
            long t = T0 + rnd.nextLong(600) * 1_000_000_000L;
            SpanRecord s = gen.next(t);
            if (rnd.nextInt(10) == 0) {
                Map<String, Object> a = new LinkedHashMap<>(s.attributes());
                a.remove("agentid.decision");
                s = new SpanRecord(s.traceId(), s.spanId(), s.parentSpanId(), s.name(), s.kind(), t,
                        s.endEpochNanos(), s.statusCode(), s.statusMessage(), s.resourceAttributes(), s.scopeName(),
                        a, s.events());
            }
            all.add(s);
        }
        return all;
    }

    static CallQuery randomQuery(SplittableRandom rnd) {
        String d = pick(rnd, "deny", "allow", "none", "maybe");
        String a = pick(rnd, TestSpans.AGENTS);
        String r = pick(rnd, TestSpans.RULES);
        String k = pick(rnd, TestSpans.KINDS);
        Long since = rnd.nextInt(3) == 0 ? T0 + rnd.nextLong(600) * 1_000_000_000L : null;
        Long until = rnd.nextInt(3) == 0 ? T0 + rnd.nextLong(600) * 1_000_000_000L : null;
        int limit = rnd.nextInt(4) == 0 ? 1000 : 1 + rnd.nextInt(50);
        return new CallQuery(d, a, r, k, since, until, limit);
    }

    static String pick(SplittableRandom rnd, String... values) {
        // About half the time no filter on this field.
        return rnd.nextBoolean() ? null : values[rnd.nextInt(values.length)];
    }

    static List<String> bruteForce(List<SpanRecord> all, CallQuery q) {
        return all.stream()
                .filter(s -> {
                    CallView c = s.call();
                    return (q.decision() == null || q.decision().equals(c.decision()))
                            && (q.agent() == null || q.agent().equals(c.agent()))
                            && (q.rule() == null || q.rule().equals(c.ruleId()))
                            && (q.kind() == null || q.kind().equals(c.kind()))
                            && (q.sinceEpochNanos() == null || s.startEpochNanos() >= q.sinceEpochNanos())
                            && (q.untilEpochNanos() == null || s.startEpochNanos() < q.untilEpochNanos());
                })
                .sorted(Comparator.comparingLong(SpanRecord::startEpochNanos).reversed()
                        .thenComparing(SpanRecord::traceId).thenComparing(SpanRecord::spanId))
                .limit(q.limit())
                .map(s -> s.traceId() + "/" + s.spanId())
                .collect(Collectors.toList());
    }

    static List<String> ids(List<SpanRecord> spans) {
        return spans.stream().map(s -> s.traceId() + "/" + s.spanId()).collect(Collectors.toList());
    }

    @Test
    void sinceIsInclusiveAndUntilExclusive() throws Exception {
        TestSpans gen = new TestSpans(2, 0);
        try (RocksSpanStore store = open()) {
            store.append(List.of(gen.next(T0 + 100), gen.next(T0 + 200), gen.next(T0 + 300), gen.next(-50)));
            assertThat(starts(store.calls(new CallQuery(null, null, null, null, T0 + 200, T0 + 300, 10))))
                    .containsExactly(T0 + 200);
            assertThat(starts(store.calls(new CallQuery("allow", null, null, null, T0 + 200, T0 + 300, 10))))
                    .containsExactly(T0 + 200);
            assertThat(starts(store.calls(new CallQuery(null, null, null, null, T0 + 101, null, 10))))
                    .containsExactly(T0 + 300, T0 + 200);
            assertThat(starts(store.calls(new CallQuery("allow", null, null, null, null, T0 + 200, 10))))
                    .containsExactly(T0 + 100, -50L);
            assertThat(starts(store.calls(new CallQuery(null, null, null, null, Long.MIN_VALUE, 0L, 10))))
                    .containsExactly(-50L);
            assertThat(store.calls(new CallQuery(null, null, null, null, T0 + 300, T0 + 300, 10))).isEmpty();
            assertThat(store.calls(new CallQuery(null, null, null, null, T0 + 400, T0 + 300, 10))).isEmpty();
        }
    }

    static List<Long> starts(List<SpanRecord> spans) {
        return spans.stream().map(SpanRecord::startEpochNanos).collect(Collectors.toList());
    }

    @Test
    void limitIsRespectedAndValidated() throws Exception {
        TestSpans gen = new TestSpans(3, 0.5);
        List<SpanRecord> batch = new ArrayList<>();
        for (int i = 0; i < 1500; i++) {
            batch.add(gen.next(T0 + i));
        }
        try (RocksSpanStore store = open()) {
            store.append(batch);
            assertThat(store.calls(CallQuery.all(1))).hasSize(1);
            assertThat(store.calls(CallQuery.all(1000))).hasSize(1000);
            assertThat(store.calls(new CallQuery("deny", null, null, null, null, null, 17))).hasSize(17);
            assertThatThrownBy(() -> store.calls(CallQuery.all(0))).isInstanceOf(StoreException.class)
                    .hasMessage("limit must be 1..1000, was `0`");
            assertThatThrownBy(() -> store.calls(CallQuery.all(1001))).isInstanceOf(StoreException.class)
                    .hasMessage("limit must be 1..1000, was `1001`");
        }
    }

    // ------------------------------------------------------------------------------------------ duplicates

    @Test
    void duplicatesAreStoredAndCountedOnce() throws Exception {
        TestSpans gen = new TestSpans(4, 0.5);
        List<SpanRecord> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(gen.next(T0 + i * 1_000));
        }
        SpanRecord first = batch.get(0);
        // The same ids with another start time, as a buggy retry might send: the first stored version wins.
        SpanRecord restamped = gen.span(first.traceId(), first.spanId(), T0 + 10 * MINUTE, "other-agent", "sql",
                "deny", "r");
        try (RocksSpanStore store = open()) {
            store.append(batch);
            store.append(batch);
            List<SpanRecord> withInBatchDuplicates = new ArrayList<>(batch.subList(0, 10));
            withInBatchDuplicates.addAll(batch.subList(0, 10));
            withInBatchDuplicates.add(restamped);
            store.append(withInBatchDuplicates);
            SpanRecord fresh = gen.next(T0 + 5);
            store.append(List.of(fresh, fresh));

            assertThat(store.approximateCount()).isEqualTo(101);
            assertThat(store.calls(CallQuery.all(1000))).hasSize(101);
            assertThat(store.calls(new CallQuery(null, "other-agent", null, null, null, null, 10))).isEmpty();
            assertThat(store.trace(first.traceId())).hasSize(1).first()
                    .satisfies(s -> assertSame(s, first));
            Stats st = store.stats(T0 - MINUTE, T0 + 20 * MINUTE);
            assertThat(st.calls()).isEqualTo(101);
            long denials = Stream.concat(batch.stream(), Stream.of(fresh))
                    .filter(s -> s.call().decision().equals("deny")).count();
            assertThat(st.denied()).isEqualTo(denials);
        }
    }

    // ------------------------------------------------------------------------------------------ trace, stats

    @Test
    void traceReturnsTheTraceInStartOrder() throws Exception {
        TestSpans gen = new TestSpans(5, 0);
        String trace = "4bf92f3577b34da6a3ce929d0e0e4736";
        List<SpanRecord> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(gen.span(trace, gen.hex(8), T0 + (i * 13 % 20) * 1_000, "a", "sql", "allow", ""));
            batch.add(gen.next(T0 + i));
        }
        try (RocksSpanStore store = open()) {
            store.append(batch);
            List<SpanRecord> got = store.trace(trace);
            assertThat(got).hasSize(20).allMatch(s -> s.traceId().equals(trace));
            assertThat(starts(got)).isSorted();
            assertThat(store.trace(trace.toUpperCase(java.util.Locale.ROOT))).hasSize(20);
            assertThat(store.trace("00000000000000000000000000000001")).isEmpty();
            assertThat(store.trace("not hex")).isEmpty();
        }
    }

    @Test
    void statsCountCallsAndDenialsByAgentAndRule() throws Exception {
        TestSpans gen = new TestSpans(6, 0.2);
        SplittableRandom rnd = new SplittableRandom(6);
        List<SpanRecord> all = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            all.add(gen.next(T0 + rnd.nextLong(30 * MINUTE)));
        }
        try (RocksSpanStore store = open()) {
            store.append(all);
            long since = Math.floorDiv(T0, MINUTE) * MINUTE + 5 * MINUTE;
            long until = since + 10 * MINUTE;
            Stats st = store.stats(since, until);
            List<SpanRecord> in = all.stream()
                    .filter(s -> s.startEpochNanos() >= since && s.startEpochNanos() < until)
                    .collect(Collectors.toList());
            assertThat(st.calls()).isEqualTo(in.size());
            assertThat(st.denied()).isEqualTo(in.stream().filter(s -> s.call().decision().equals("deny")).count());
            assertThat(groups(st.byAgent())).isEqualTo(expectedGroups(in, s -> s.call().agent()));
            assertThat(groups(st.byRule())).isEqualTo(expectedGroups(in, s -> s.call().ruleId()));
            assertThat(st.byAgent()).extracting(Stats.Group::calls).isSortedAccordingTo(Comparator.reverseOrder());
            // Not aligned to minutes: the edge minutes count whole (documented).
            Stats edge = store.stats(since + 1, until - 1);
            assertThat(edge.calls()).isEqualTo(st.calls());
            assertThat(store.stats(until, since).calls()).isZero();
        }
    }

    static Map<String, List<Long>> groups(List<Stats.Group> g) {
        Map<String, List<Long>> m = new HashMap<>();
        g.forEach(x -> m.put(x.key(), List.of(x.calls(), x.denied())));
        return m;
    }

    static Map<String, List<Long>> expectedGroups(List<SpanRecord> in,
            java.util.function.Function<SpanRecord, String> key) {
        Map<String, long[]> m = new HashMap<>();
        for (SpanRecord s : in) {
            long[] c = m.computeIfAbsent(key.apply(s), k -> new long[2]);
            c[0]++;
            c[1] += s.call().decision().equals("deny") ? 1 : 0;
        }
        Map<String, List<Long>> out = new HashMap<>();
        m.forEach((k, v) -> out.put(k, List.of(v[0], v[1])));
        return out;
    }

    // ------------------------------------------------------------------------------------------ retention

    @Test
    void retentionByAgeDeletesOlderSpansAndTheirIndexEntries() throws Exception {
        TestSpans gen = new TestSpans(8, 0.1);
        SplittableRandom rnd = new SplittableRandom(8);
        List<SpanRecord> all = randomSpans(gen, rnd, 10_000);
        long cutoff = T0 + 400 * 1_000_000_000L;
        Clock clock = Clock.fixed(Instant.ofEpochSecond(0, cutoff).plus(Duration.ofHours(1)), ZoneOffset.UTC);
        try (RocksSpanStore store = RocksSpanStore.open(dir, RocksSpanStore.Settings.defaults()
                .withSyncWrites(false).withClock(clock))) {
            store.append(all);
            long old = all.stream().filter(s -> s.startEpochNanos() < cutoff).count();
            long deleted = store.enforceRetention(new Retention(Duration.ofHours(1), null));
            assertThat(deleted).isEqualTo(old).isGreaterThan(RocksSpanStore.RETENTION_CHUNK);
            assertThat(store.enforceRetention(new Retention(Duration.ofHours(1), null))).isZero();
            List<SpanRecord> kept = all.stream().filter(s -> s.startEpochNanos() >= cutoff)
                    .collect(Collectors.toList());
            assertConsistent(store, all, kept, rnd);
        }
    }

    @Test
    void retentionBySizeDeletesOldestFirst() throws Exception {
        TestSpans gen = new TestSpans(9, 0.1);
        SplittableRandom rnd = new SplittableRandom(9);
        List<SpanRecord> all = randomSpans(gen, rnd, 20_000);
        try (RocksSpanStore store = open()) {
            for (int i = 0; i < all.size(); i += 1000) {
                store.append(all.subList(i, i + 1000));
            }
            store.flush();
            long size = store.diskBytes();
            long deleted = store.enforceRetention(new Retention(null, size / 2));
            assertThat(deleted).isBetween(5_000L, 15_000L);
            assertThat(store.approximateCount()).isEqualTo(all.size() - deleted);
            List<SpanRecord> byAge = all.stream()
                    .sorted(Comparator.comparingLong(SpanRecord::startEpochNanos).reversed()
                            .thenComparing(SpanRecord::traceId).thenComparing(SpanRecord::spanId))
                    .collect(Collectors.toList());
            List<SpanRecord> kept = byAge.subList(0, (int) (all.size() - deleted));
            assertConsistent(store, all, kept, rnd);
            store.flush();
            assertThat(store.diskBytes()).isLessThan(size);
            assertThat(store.enforceRetention(new Retention(null, Long.MAX_VALUE))).isZero();
        }
    }

    /** After retention: queries, trace lookups, counts and stats see exactly {@code kept}. */
    static void assertConsistent(RocksSpanStore store, List<SpanRecord> all, List<SpanRecord> kept,
            SplittableRandom rnd) throws StoreException {
        assertThat(store.approximateCount()).isEqualTo(kept.size());
        for (int q = 0; q < 200; q++) {
            CallQuery query = randomQuery(rnd);
            assertThat(ids(store.calls(query))).as("%s", query).isEqualTo(bruteForce(kept, query));
        }
        java.util.Set<String> keptIds = kept.stream().map(s -> s.traceId() + "/" + s.spanId())
                .collect(Collectors.toSet());
        for (int i = 0; i < all.size(); i += 97) {
            SpanRecord s = all.get(i);
            assertThat(store.trace(s.traceId())).hasSize(keptIds.contains(s.traceId() + "/" + s.spanId()) ? 1 : 0);
        }
        Stats st = store.stats(Long.MIN_VALUE, Long.MAX_VALUE);
        assertThat(st.calls()).isEqualTo(kept.size());
        assertThat(groups(st.byRule())).isEqualTo(expectedGroups(kept, s -> s.call().ruleId()));
        // A span deleted and then appended again (a late retry) is stored again.
        SpanRecord oldest = all.stream().filter(s -> !keptIds.contains(s.traceId() + "/" + s.spanId())).findFirst()
                .orElseThrow();
        store.append(List.of(oldest));
        assertThat(store.trace(oldest.traceId())).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------ lifecycle

    @Test
    void reopenAfterCloseKeepsEverything() throws Exception {
        TestSpans gen = new TestSpans(10, 0.3);
        List<SpanRecord> all = randomSpans(gen, new SplittableRandom(10), 2000);
        try (RocksSpanStore store = open()) {
            store.append(all);
        }
        try (RocksSpanStore store = open()) {
            assertThat(store.approximateCount()).isEqualTo(2000);
            CallQuery q = new CallQuery("deny", null, null, null, null, null, 1000);
            assertThat(ids(store.calls(q))).isNotEmpty().isEqualTo(bruteForce(all, q));
            assertSame(store.trace(all.get(5).traceId()).get(0), all.get(5));
            assertThat(store.stats(Long.MIN_VALUE, Long.MAX_VALUE).calls()).isEqualTo(2000);
            store.append(all.subList(0, 10));
            assertThat(store.approximateCount()).isEqualTo(2000);
        }
    }

    @Test
    void operationsAfterCloseFail() throws Exception {
        RocksSpanStore store = open();
        store.close();
        store.close();
        assertThatThrownBy(() -> store.append(List.of(new TestSpans(1, 0).next(T0))))
                .isInstanceOf(StoreException.class).hasMessage("store is closed");
        assertThatThrownBy(() -> store.calls(CallQuery.all(10))).hasMessage("store is closed");
        assertThatThrownBy(() -> store.trace("4bf92f3577b34da6a3ce929d0e0e4736")).hasMessage("store is closed");
        assertThatThrownBy(() -> store.stats(0, 1)).hasMessage("store is closed");
        assertThatThrownBy(() -> store.enforceRetention(new Retention(Duration.ofDays(1), null)))
                .hasMessage("store is closed");
    }

    @Test
    void invalidIdsRejectTheBatch() throws Exception {
        TestSpans gen = new TestSpans(11, 0);
        try (RocksSpanStore store = open()) {
            SpanRecord bad = gen.span("xyz", "0000000000000001", T0, "a", "sql", "allow", "");
            assertThatThrownBy(() -> store.append(List.of(gen.next(T0), bad))).isInstanceOf(StoreException.class)
                    .hasMessageContaining("span `xyz/0000000000000001` has an invalid id");
            assertThat(store.approximateCount()).isZero();
        }
    }

    @Test
    void aSecondStoreOnTheSameDirectoryIsRefused() throws Exception {
        try (RocksSpanStore store = open()) {
            assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                    .hasMessageStartingWith("another collector is using `" + dir.toAbsolutePath() + "`");
            assertThat(store.calls(CallQuery.all(1))).isEmpty();
        }
    }

    @Test
    void aFileIsNotADataDirectory() throws Exception {
        Path file = Files.writeString(dir.resolve("file"), "x");
        assertThatThrownBy(() -> RocksSpanStore.open(file)).isInstanceOf(StoreException.class)
                .hasMessage("data directory `" + file.toAbsolutePath() + "` is a file, not a directory");
        assertThatThrownBy(() -> RocksSpanStore.open(file.resolve("below"))).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("cannot create data directory `" + file.resolve("below").toAbsolutePath()
                        + "`");
    }

    @Test
    void aReadOnlyDirectoryIsRefused() throws Exception {
        Path ro = Files.createDirectory(dir.resolve("ro"));
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
        Path target = ro;
        if (Files.isWritable(ro)) {
            // Running as root, permissions do not stop us; sysfs refuses new files even to root.
            target = Path.of("/sys/kernel");
        }
        Path t = target;
        assertThatThrownBy(() -> RocksSpanStore.open(t)).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("data directory `" + t + "` is not writable");
        Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void corruptDataIsReported() throws Exception {
        try (RocksSpanStore store = open()) {
            store.append(List.of(new TestSpans(12, 0).next(T0)));
        }
        Files.write(dir.resolve("CURRENT"), "MANIFEST-garbage".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(this::open).isInstanceOf(StoreException.class)
                .hasMessageStartingWith("data in `" + dir.toAbsolutePath() + "` is corrupt");
    }
}
