package io.agentid.policy.eval;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.Verdict;
import io.agentid.policy.model.NamePattern;
import io.agentid.policy.model.PolicyModel;
import io.agentid.policy.model.RuleModel;
import io.agentid.policy.model.SqlMatch;
import java.util.ArrayList;
import java.util.List;

/**
 * The specification as code: a straightforward loop over every rule in file order, with its own naive
 * matching (split names at {@code .}, recursive glob), sharing nothing with the indexed engine but the checked
 * {@link PolicyModel}. Slow and allocating by design; it exists so that tests can check the
 * {@link IndexedPolicyEngine} against it (differential testing). Not for production use.
 */
public final class ReferencePolicyEngine implements PolicyEngine {
    private final PolicyModel model;
    private final List<Decision> ruleDecisions = new ArrayList<>();
    private final Decision defaultDecision;
    private final Decision unanalysableSql;

    public ReferencePolicyEngine(PolicyModel model) {
        this.model = model;
        for (RuleModel r : model.rules()) {
            ruleDecisions.add(new Decision(r.decision(), r.id(), r.reason(), model.version(), model.mode()));
        }
        this.defaultDecision = new Decision(model.defaultVerdict(), "default", model.defaultReason(), model.version(),
                model.mode());
        this.unanalysableSql = new Decision(model.unanalysableSql(), "unanalysable-sql", model.unanalysableReason(),
                model.version(), model.mode());
    }

    @Override
    public Decision decideSql(String agentId, String operation, String[] tables) {
        String agent = agentId == null ? "" : agentId;
        String[] ts = tables == null ? new String[0] : tables;
        Decision firstAllow = null;
        for (int i = 0; i < model.rules().size(); i++) {
            RuleModel rule = model.rules().get(i);
            if (rule.match() instanceof SqlMatch m && matches(m, agent, operation, ts)) {
                if (rule.decision() == Verdict.DENY) {
                    return ruleDecisions.get(i);
                }
                if (firstAllow == null) {
                    firstAllow = ruleDecisions.get(i);
                }
            }
        }
        return firstAllow != null ? firstAllow : defaultDecision;
    }

    static boolean matches(SqlMatch m, String agent, String operation, String[] tables) {
        String op = operation == null ? null : Fold.upper(operation);
        if (!m.operations().isEmpty() && (op == null || !m.operations().contains(op))) {
            return false;
        }
        if (!m.operationsNot().isEmpty() && op != null && m.operationsNot().contains(op)) {
            return false;
        }
        if (!m.agents().isEmpty() && !anyAgentPattern(m.agents(), agent)) {
            return false;
        }
        if (!m.agentsNot().isEmpty() && anyAgentPattern(m.agentsNot(), agent)) {
            return false;
        }
        if (!m.tables().isEmpty()) {
            boolean any = false;
            for (String t : tables) {
                if (t != null && anyTablePattern(m.tables(), t)) {
                    any = true;
                }
            }
            if (!any) {
                return false;
            }
        }
        if (!m.tablesNot().isEmpty()) {
            boolean outside = false;
            for (String t : tables) {
                if (t != null && !anyTablePattern(m.tablesNot(), t)) {
                    outside = true;
                }
            }
            if (!outside) {
                return false;
            }
        }
        return true;
    }

    private static boolean anyAgentPattern(List<NamePattern> patterns, String agent) {
        String[] id = Fold.lower(agent).split("\\.", -1);
        for (NamePattern p : patterns) {
            if (p.parts().size() == id.length) {
                boolean all = true;
                for (int i = 0; i < id.length; i++) {
                    all &= glob(p.parts().get(i), id[i]);
                }
                if (all) {
                    return true;
                }
            }
        }
        return false;
    }

    private static boolean anyTablePattern(List<NamePattern> patterns, String table) {
        String[] name = Fold.lower(table).split("\\.", -1);
        for (NamePattern p : patterns) {
            List<String> parts = p.parts();
            boolean all = true;
            for (int k = 1; k <= parts.size(); k++) {
                String pat = parts.get(parts.size() - k);
                all &= k > name.length ? pat.equals("*") : glob(pat, name[name.length - k]);
            }
            if (all) {
                return true;
            }
        }
        return false;
    }

    /** Naive recursive glob: {@code *} matches any run of characters (the inputs contain no {@code .}). */
    static boolean glob(String pattern, String s) {
        if (pattern.isEmpty()) {
            return s.isEmpty();
        }
        if (pattern.charAt(0) == '*') {
            return glob(pattern.substring(1), s) || (!s.isEmpty() && glob(pattern, s.substring(1)));
        }
        return !s.isEmpty() && pattern.charAt(0) == s.charAt(0) && glob(pattern.substring(1), s.substring(1));
    }

    @Override
    public Decision decideUnanalysableSql(String agentId) {
        return unanalysableSql;
    }

    @Override
    public Mode mode() {
        return model.mode();
    }

    @Override
    public String version() {
        return model.version();
    }

    @Override
    public String source() {
        return model.source();
    }
}
