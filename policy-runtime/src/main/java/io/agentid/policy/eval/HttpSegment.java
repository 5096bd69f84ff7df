package io.agentid.policy.eval;

import io.agentid.policy.Decision;

/**
 * Up to 32 {@code kind: http} rules in decision order (denies first, then allows, each in file order) and
 * one host index over their host conditions: rule {@code i}'s {@code host} patterns carry bit {@code i}, its
 * {@code host_not} patterns bit {@code 32 + i}. One pass over the host (an exact lookup, one lookup per
 * {@code .} for {@code *.suffix} patterns, a scan of the CIDR ranges only for IP hosts) yields the bits of
 * every host condition the host satisfies. Allocates nothing.
 */
public final class HttpSegment {
    public static final int MAX_RULES = 32;

    private final HttpRule[] rules;
    private final HostTable exact;
    private final HostTable suffixes;
    private final boolean hasSuffixes;
    private final long[] v4Nets;
    private final long[] v4Masks;
    private final long[] v4Bits;
    private final long[] v6High;
    private final long[] v6Low;
    private final long[] v6HighMasks;
    private final long[] v6LowMasks;
    private final long[] v6Bits;
    private final boolean agents;
    /** Bit k for each rule k without a {@code host} condition: the rules alive before the host is looked at. */
    private final long noHost;

    public HttpSegment(HttpRule[] rules, HostTable exact, HostTable suffixes, boolean hasSuffixes, long[] v4Nets, long[] v4Masks,
            long[] v4Bits, long[] v6High, long[] v6Low, long[] v6HighMasks, long[] v6LowMasks, long[] v6Bits) {
        this.rules = rules;
        this.exact = exact;
        this.suffixes = suffixes;
        this.hasSuffixes = hasSuffixes;
        this.v4Nets = v4Nets;
        this.v4Masks = v4Masks;
        this.v4Bits = v4Bits;
        this.v6High = v6High;
        this.v6Low = v6Low;
        this.v6HighMasks = v6HighMasks;
        this.v6LowMasks = v6LowMasks;
        this.v6Bits = v6Bits;
        boolean a = false;
        for (HttpRule r : rules) {
            a |= r.agent() != null || r.agentNot() != null;
        }
        this.agents = a;
        long nh = 0;
        for (int k = 0; k < rules.length; k++) {
            nh |= rules[k].hostBit() == 0 ? 1L << k : 0;
        }
        this.noHost = nh;
    }

    int size() {
        return rules.length;
    }

    /** The bits of the host conditions that canonical {@code host} satisfies. */
    long hostBits(String host) {
        int n = host.length();
        long bits = exact.get(host, 0, n, host.hashCode());
        if (hasSuffixes) {
            // Right to left, so each suffix's hash extends the previous one: h(s[j+1, n)) is ready at each '.'.
            int h = 0;
            int pow = 1;
            for (int j = n - 1; j > 0; j--) {
                char c = host.charAt(j);
                if (c == '.') {
                    bits |= suffixes.get(host, j + 1, n, h);
                }
                h += c * pow;
                pow *= 31;
            }
        }
        if (v4Nets.length > 0 && n >= 7 && n <= 15) {
            long v4 = Ip.v4(host);
            if (v4 >= 0) {
                for (int i = 0; i < v4Nets.length; i++) {
                    if ((v4 & v4Masks[i]) == v4Nets[i]) {
                        bits |= v4Bits[i];
                    }
                }
            }
        }
        if (v6High.length > 0 && host.indexOf(':') >= 0 && Ip.v6(host, 0, n, Ip.VALID) == 1) {
            long hi = Ip.v6(host, 0, n, Ip.HIGH);
            long lo = Ip.v6(host, 0, n, Ip.LOW);
            for (int i = 0; i < v6High.length; i++) {
                if ((hi & v6HighMasks[i]) == v6High[i] && (lo & v6LowMasks[i]) == v6Low[i]) {
                    bits |= v6Bits[i];
                }
            }
        }
        return bits;
    }

    /** The decision of the first rule in this segment that matches, or null. */
    Decision decide(String agentId, int agentHash, long agentMask, boolean agentDotted, String host, int methodBit,
            int schemeBit, int port, String path, String model, double costUsd) {
        long hostBits = hostBits(host);
        HttpRule[] rs = rules;
        // Only rules whose host condition holds (or that have none), in order: a rule about other hosts costs nothing.
        for (long alive = noHost | (hostBits & 0xFFFF_FFFFL); alive != 0; alive &= alive - 1) {
            HttpRule r = rs[Long.numberOfTrailingZeros(alive)];
            if (r.hostNotBit() != 0 && (hostBits & r.hostNotBit()) != 0) {
                continue;
            }
            if (!r.matchesRequest(methodBit, schemeBit, port, path, model, costUsd)) {
                continue;
            }
            if (agents) {
                if (r.agent() != null && !r.agent().matches(agentId, agentHash, agentMask, agentDotted)) {
                    continue;
                }
                if (r.agentNot() != null && r.agentNot().matches(agentId, agentHash, agentMask, agentDotted)) {
                    continue;
                }
            }
            return r.decision();
        }
        return null;
    }
}
