package io.agentid.policy.compile;

import io.agentid.policy.Decision;
import io.agentid.policy.Verdict;
import io.agentid.policy.eval.AgentCondition;
import io.agentid.policy.eval.HostTable;
import io.agentid.policy.eval.HttpIndex;
import io.agentid.policy.eval.HttpRule;
import io.agentid.policy.eval.HttpSegment;
import io.agentid.policy.eval.TextGlob;
import io.agentid.policy.model.HostPattern;
import io.agentid.policy.model.HttpMatch;
import io.agentid.policy.model.RuleModel;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Stage 4 for {@code kind: http}: orders the rules (denies, then allows, each in file order), cuts them into
 * {@link HttpSegment}s of at most 32 and builds each segment's host index: exact hosts and {@code *.suffix}
 * suffixes in hash tables, CIDR ranges as (network, mask) pairs, each carrying the bits of the conditions
 * that list them.
 */
final class HttpIndexBuilder {
    private HttpIndexBuilder() {}

    /**
     * @param rules the {@code kind: http} rules, in file order
     * @param decisions each rule's prebuilt decision, parallel to {@code rules}
     */
    static HttpIndex build(List<RuleModel> rules, List<Decision> decisions) {
        List<Integer> order = new ArrayList<>();
        for (Verdict v : new Verdict[] {Verdict.DENY, Verdict.ALLOW}) {
            for (int i = 0; i < rules.size(); i++) {
                if (rules.get(i).decision() == v) {
                    order.add(i);
                }
            }
        }
        List<HttpSegment> segments = new ArrayList<>();
        for (int from = 0; from < order.size(); from += HttpSegment.MAX_RULES) {
            List<Integer> part = order.subList(from, Math.min(order.size(), from + HttpSegment.MAX_RULES));
            segments.add(segment(part, rules, decisions));
        }
        return new HttpIndex(segments);
    }

    private static HttpSegment segment(List<Integer> part, List<RuleModel> rules, List<Decision> decisions) {
        HttpRule[] compiled = new HttpRule[part.size()];
        Map<String, Long> exact = new HashMap<>();
        Map<String, Long> suffixes = new HashMap<>();
        List<long[]> v4 = new ArrayList<>();
        List<long[]> v6 = new ArrayList<>();
        for (int k = 0; k < part.size(); k++) {
            int i = part.get(k);
            RuleModel r = rules.get(i);
            HttpMatch m = (HttpMatch) r.match();
            long hostBit = m.hosts().isEmpty() ? 0 : 1L << k;
            long hostNotBit = m.hostsNot().isEmpty() ? 0 : 1L << (32 + k);
            addHosts(m.hosts(), hostBit, exact, suffixes, v4, v6);
            addHosts(m.hostsNot(), hostNotBit, exact, suffixes, v4, v6);
            compiled[k] = new HttpRule(r.id(), decisions.get(i), hostBit, hostNotBit,
                    HttpIndex.maskOf(m.methods(), true), HttpIndex.maskOf(m.methodsNot(), true),
                    HttpIndex.maskOf(m.schemes(), false), HttpIndex.maskOf(m.schemesNot(), false),
                    ints(m.ports()), ints(m.portsNot()),
                    globs(m.paths(), false), globs(m.pathsNot(), false), globs(m.models(), true), globs(m.modelsNot(), true),
                    m.cost(),
                    m.agents().isEmpty() ? null : new AgentCondition(m.agents()),
                    m.agentsNot().isEmpty() ? null : new AgentCondition(m.agentsNot()));
        }
        long[][] a = v4.toArray(new long[0][]);
        long[][] b = v6.toArray(new long[0][]);
        return new HttpSegment(compiled, new HostTable(exact), new HostTable(suffixes), !suffixes.isEmpty(),
                column(a, 0), column(a, 1), column(a, 2),
                column(b, 0), column(b, 1), column(b, 2), column(b, 3), column(b, 4));
    }

    private static void addHosts(List<HostPattern> patterns, long bit, Map<String, Long> exact, Map<String, Long> suffixes,
            List<long[]> v4, List<long[]> v6) {
        for (HostPattern p : patterns) {
            switch (p.type()) {
                case EXACT -> exact.merge(p.name(), bit, (x, y) -> x | y);
                case SUFFIX -> suffixes.merge(p.name(), bit, (x, y) -> x | y);
                case CIDR -> {
                    int n = p.prefix();
                    if (p.v6()) {
                        long hiMask = n == 0 ? 0 : n >= 64 ? -1L : -1L << (64 - n);
                        long loMask = n <= 64 ? 0 : n == 128 ? -1L : -1L << (128 - n);
                        v6.add(new long[] {p.high(), p.low(), hiMask, loMask, bit});
                    } else {
                        long mask = n == 0 ? 0 : (0xFFFF_FFFFL << (32 - n)) & 0xFFFF_FFFFL;
                        v4.add(new long[] {p.low(), mask, bit});
                    }
                }
                default -> throw new IllegalStateException(p.type().toString());
            }
        }
    }

    private static long[] column(long[][] rows, int c) {
        long[] out = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i][c];
        }
        return out;
    }

    private static int[] ints(List<Integer> xs) {
        if (xs.isEmpty()) {
            return null;
        }
        int[] out = new int[xs.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = xs.get(i);
        }
        return out;
    }

    private static TextGlob[] globs(List<String> patterns, boolean fold) {
        if (patterns.isEmpty()) {
            return null;
        }
        TextGlob[] out = new TextGlob[patterns.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = fold ? TextGlob.caseInsensitive(patterns.get(i)) : TextGlob.caseSensitive(patterns.get(i));
        }
        return out;
    }
}
