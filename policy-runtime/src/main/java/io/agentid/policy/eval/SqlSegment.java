package io.agentid.policy.eval;

import io.agentid.policy.Decision;

/**
 * A run of a bucket's candidate rules whose table conditions fit in one 64-bit {@link TableMatcher}; usually
 * one segment holds the whole bucket. A bucket's rules are ordered deny rules first (in file order), then
 * allow rules (in file order), and its segments are consecutive slices of that order, so the first rule that
 * matches, scanning segment after segment, is the decision: the first matching deny if any, else the first
 * matching allow. Rule {@code i} of a segment is bit {@code i}: one pass of the call's tables through the
 * {@link TableMatcher} yields the mask of rules whose {@code table} condition holds, and only those rules
 * (and the rules without one) are looked at, in order, by iterating the mask's set bits.
 */
public final class SqlSegment {
    /** Rules plus {@code table_not} conditions per segment: rule {@code i} is bit {@code i}. */
    public static final int MAX_BITS = 64;

    private final TableMatcher tables;
    private final String[] ids;
    private final Decision[] decisions;
    private final long[] tableNotBits;
    private final AgentCondition[] agents;
    private final AgentCondition[] agentsNot;
    private final long withoutTable;
    private final long ruleMask;

    /**
     * @param tables the matcher, or null when no rule has a table condition. Its condition bits: rule
     *     {@code i}'s {@code table} condition is bit {@code i}; each {@code table_not} condition has a bit above
     *     the rules' ({@link SqlRule#tableNotBit()})
     * @param rules the rules, in evaluation order, at most 64 together with the {@code table_not} conditions
     */
    public SqlSegment(TableMatcher tables, SqlRule[] rules) {
        int n = rules.length;
        if (n > MAX_BITS) {
            throw new IllegalArgumentException("at most " + MAX_BITS + " rules per segment");
        }
        this.tables = tables;
        ids = new String[n];
        decisions = new Decision[n];
        tableNotBits = new long[n];
        agents = new AgentCondition[n];
        agentsNot = new AgentCondition[n];
        long without = 0L;
        for (int i = 0; i < n; i++) {
            SqlRule r = rules[i];
            ids[i] = r.id();
            decisions[i] = r.decision();
            tableNotBits[i] = r.tableNotBit();
            agents[i] = r.agent();
            agentsNot[i] = r.agentNot();
            if (r.tableBit() == 0) {
                without |= 1L << i;
            } else if (r.tableBit() != 1L << i) {
                throw new IllegalArgumentException("rule " + i + "'s table condition must be bit " + i);
            }
        }
        this.withoutTable = without;
        this.ruleMask = n == 64 ? -1L : (1L << n) - 1;
    }

    /** The rule ids in evaluation order (for tests and tools). */
    String[] ids() {
        return ids.clone();
    }

    /** The decision of the first rule of this segment that matches, or null. */
    Decision decide(String agentId, String[] ts) {
        long any = 0L;
        long none = 0L;
        TableMatcher tm = tables;
        if (tm != null) {
            for (int i = 0; i < ts.length; i++) {
                String t = ts[i];
                if (t != null) {
                    long m = tm.matchBits(t);
                    any |= m;
                    none |= ~m;
                }
            }
        }
        // Rule i is alive when its table condition holds (bit i of any) or it has none; scan only those.
        long alive = (any | withoutTable) & ruleMask;
        // The agent's folded hash, character mask and whether it has a dot: computed when the first agent
        // condition is reached, once for all of them.
        boolean profiled = false;
        int ah = 0;
        long am = 0L;
        boolean ad = false;
        while (alive != 0L) {
            int i = Long.numberOfTrailingZeros(alive);
            alive &= alive - 1;
            long b = tableNotBits[i];
            if (b != 0L && (none & b) == 0L) {
                continue;
            }
            AgentCondition a = agents[i];
            AgentCondition an = agentsNot[i];
            if ((a != null || an != null) && !profiled) {
                for (int j = 0, n = agentId.length(); j < n; j++) {
                    char c = Fold.lower(agentId.charAt(j));
                    ah = 31 * ah + c;
                    am |= 1L << (c & 63);
                    ad |= c == '.';
                }
                profiled = true;
            }
            if (a != null && !a.matches(agentId, ah, am, ad)) {
                continue;
            }
            if (an != null && an.matches(agentId, ah, am, ad)) {
                continue;
            }
            return decisions[i];
        }
        return null;
    }
}
