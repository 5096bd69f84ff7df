package io.agentid.policy.eval;

import io.agentid.policy.Decision;
import io.agentid.policy.Hosts;
import io.agentid.policy.model.HttpMatch;
import java.util.List;

/**
 * The {@code kind: http} index: the rules in decision order (denies, then allows, each in file order) cut
 * into {@link HttpSegment}s of at most 32 rules, each with its own host index. Per call, the host is
 * normalised (free when already canonical), the method and scheme become one bit each (0 when absent) and
 * the agent id is profiled once; then the segments are tried in order. {@link #decide} allocates nothing
 * for a canonical host.
 */
public final class HttpIndex {
    private static final String[] METHODS = HttpMatch.METHODS.toArray(new String[0]);
    private static final String[] SCHEMES = HttpMatch.SCHEMES.toArray(new String[0]);
    /** The bit of a method or scheme that no policy can name. */
    static final int OTHER_METHOD = 1 << METHODS.length;
    static final int OTHER_SCHEME = 1 << SCHEMES.length;

    private final HttpSegment[] segments;

    public HttpIndex(List<HttpSegment> segments) {
        this.segments = segments.toArray(new HttpSegment[0]);
    }

    /** The bit of {@code method} (case-insensitive), {@link #OTHER_METHOD} for any other, 0 for null. */
    static int methodBit(String method) {
        return bit(method, METHODS, OTHER_METHOD, true);
    }

    /** The bit of {@code scheme} (case-insensitive), {@link #OTHER_SCHEME} for any other, 0 for null. */
    static int schemeBit(String scheme) {
        return bit(scheme, SCHEMES, OTHER_SCHEME, false);
    }

    /** The OR of the bits of {@code values} (methods or schemes, as the checker normalised them). */
    public static int maskOf(List<String> values, boolean method) {
        int m = 0;
        for (String v : values) {
            m |= method ? methodBit(v) : schemeBit(v);
        }
        return m;
    }

    private static int bit(String s, String[] names, int other, boolean upper) {
        if (s == null) {
            return 0;
        }
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(s)) {
                return 1 << i;
            }
        }
        for (int i = 0; i < names.length; i++) {
            if (foldedEquals(s, names[i], upper)) {
                return 1 << i;
            }
        }
        return other;
    }

    /** Whether {@code s} folded (as the checker folds policy text) equals {@code key}. */
    private static boolean foldedEquals(String s, String key, boolean upper) {
        int n = key.length();
        if (s.length() != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if ((upper ? Fold.upper(c) : Fold.lower(c)) != key.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    public int segmentCount() {
        return segments.length;
    }

    /** The decision of the first matching rule, or null when none matches. */
    public Decision decide(String agentId, String method, String scheme, String host, int port, String path, String model,
            double costUsd) {
        HttpSegment[] segs = segments;
        if (segs.length == 0) {
            return null;
        }
        String h = Hosts.normalise(host);
        int methodBit = methodBit(method);
        int schemeBit = schemeBit(scheme);
        String agent = agentId == null ? "" : agentId;
        int agentHash = 0;
        long agentMask = 0;
        boolean dotted = false;
        for (int i = 0, n = agent.length(); i < n; i++) {
            char c = Fold.lower(agent.charAt(i));
            agentHash = 31 * agentHash + c;
            agentMask |= 1L << (c & 63);
            dotted |= c == '.';
        }
        for (int i = 0; i < segs.length; i++) {
            Decision d = segs[i].decide(agent, agentHash, agentMask, dotted, h, methodBit, schemeBit, port, path, model,
                    costUsd);
            if (d != null) {
                return d;
            }
        }
        return null;
    }
}
