package io.agentid.policy.eval;

import io.agentid.policy.model.NamePattern;
import java.util.ArrayList;
import java.util.List;

/**
 * The patterns of one {@code agent} or {@code agent_not} condition, compiled: exact ids in a {@link NameSet},
 * one-part globs ({@code reporting-*}) with the character masks of their literals, and dotted globs
 * ({@code team.*-bot}) matched part by part against the whole id. Allocates nothing.
 */
public final class AgentCondition {
    private final NameSet exact;
    private final NameGlob[] singles;
    private final long[] singleMasks;
    private final DottedGlob[] dotted;

    public AgentCondition(List<NamePattern> patterns) {
        if (patterns.isEmpty()) {
            throw new IllegalArgumentException("no patterns");
        }
        List<String> e = new ArrayList<>();
        List<NameGlob> s = new ArrayList<>();
        List<DottedGlob> d = new ArrayList<>();
        for (NamePattern p : patterns) {
            if (p.isExact()) {
                e.add(p.text());
            } else if (p.parts().size() == 1) {
                s.add(NameGlob.compile(p.text()));
            } else {
                d.add(new DottedGlob(p));
            }
        }
        this.exact = NameSet.of(e);
        this.singles = s.toArray(new NameGlob[0]);
        this.singleMasks = new long[singles.length];
        for (int i = 0; i < singles.length; i++) {
            singleMasks[i] = singles[i].charMask();
        }
        this.dotted = d.toArray(new DottedGlob[0]);
    }

    /**
     * Whether {@code agentId} matches some pattern, given what {@link #profile} computed for it once per call:
     * its folded hash, the mask of its characters and whether it contains a {@code .}.
     */
    public boolean matches(String agentId, int hash, long mask, boolean dotted) {
        if (exact != null && exact.contains(agentId, 0, agentId.length(), hash)) {
            return true;
        }
        if (!dotted) {
            NameGlob[] gs = singles;
            for (int i = 0; i < gs.length; i++) {
                if ((singleMasks[i] & ~mask) == 0 && gs[i].matches(agentId, 0, agentId.length())) {
                    return true;
                }
            }
            return false; // a dotted pattern needs a dotted id
        }
        DottedGlob[] ds = this.dotted;
        for (int i = 0; i < ds.length; i++) {
            if (ds[i].matchesWhole(agentId)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code agentId} matches some pattern (computes the profile; for tests and tools). */
    public boolean matches(String agentId) {
        int h = 0;
        long m = 0;
        boolean d = false;
        for (int i = 0; i < agentId.length(); i++) {
            char c = Fold.lower(agentId.charAt(i));
            h = 31 * h + c;
            m |= 1L << (c & 63);
            d |= c == '.';
        }
        return matches(agentId, h, m, d);
    }
}
