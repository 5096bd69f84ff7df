package io.agentid.policy.eval;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.Verdict;
import io.agentid.policy.Hosts;
import io.agentid.policy.model.CostRange;
import io.agentid.policy.model.HostPattern;
import io.agentid.policy.model.HttpMatch;
import io.agentid.policy.model.NamePattern;
import io.agentid.policy.model.PolicyModel;
import io.agentid.policy.model.RuleModel;
import io.agentid.policy.model.SqlMatch;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
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
    public Decision decideHttp(String agentId, String method, String scheme, String host, int port, String path,
            String llmModel, double costUsd) {
        String agent = agentId == null ? "" : agentId;
        String h = Hosts.normalise(host);
        Decision firstAllow = null;
        for (int i = 0; i < model.rules().size(); i++) {
            RuleModel rule = model.rules().get(i);
            if (rule.match() instanceof HttpMatch m && matches(m, agent, method, scheme, h, port, path, llmModel, costUsd)) {
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

    /**
     * The http semantics, spelled out: a condition on an absent fact (null method, scheme, path or model, NaN
     * cost) does not hold in either form; host and port are always present (an unknown port, -1, is in no list).
     */
    static boolean matches(HttpMatch m, String agent, String method, String scheme, String host, int port, String path,
            String llm, double cost) {
        String meth = method == null ? null : Fold.upper(method);
        String sch = scheme == null ? null : Fold.lower(scheme);
        if (!m.hosts().isEmpty() && !anyHost(m.hosts(), host)) {
            return false;
        }
        if (!m.hostsNot().isEmpty() && anyHost(m.hostsNot(), host)) {
            return false;
        }
        if (!m.methods().isEmpty() && (meth == null || !m.methods().contains(meth))) {
            return false;
        }
        if (!m.methodsNot().isEmpty() && (meth == null || m.methodsNot().contains(meth))) {
            return false;
        }
        if (!m.schemes().isEmpty() && (sch == null || !m.schemes().contains(sch))) {
            return false;
        }
        if (!m.schemesNot().isEmpty() && (sch == null || m.schemesNot().contains(sch))) {
            return false;
        }
        if (!m.ports().isEmpty() && !m.ports().contains(port)) {
            return false;
        }
        if (!m.portsNot().isEmpty() && m.portsNot().contains(port)) {
            return false;
        }
        if (!m.paths().isEmpty() && (path == null || !anyGlob(m.paths(), path))) {
            return false;
        }
        if (!m.pathsNot().isEmpty() && (path == null || anyGlob(m.pathsNot(), path))) {
            return false;
        }
        String lm = llm == null ? null : Fold.lower(llm);
        if (!m.models().isEmpty() && (lm == null || !anyGlob(m.models(), lm))) {
            return false;
        }
        if (!m.modelsNot().isEmpty() && (lm == null || anyGlob(m.modelsNot(), lm))) {
            return false;
        }
        if (m.cost() != null && !costHolds(m.cost(), cost)) {
            return false;
        }
        if (!m.agents().isEmpty() && !anyAgentPattern(m.agents(), agent)) {
            return false;
        }
        return m.agentsNot().isEmpty() || !anyAgentPattern(m.agentsNot(), agent);
    }

    private static boolean costHolds(CostRange r, double cost) {
        if (Double.isNaN(cost)) {
            return false;
        }
        boolean lowerOk = Double.isNaN(r.lower()) || cost > r.lower() || (r.lowerInclusive() && cost == r.lower());
        boolean upperOk = Double.isNaN(r.upper()) || cost < r.upper() || (r.upperInclusive() && cost == r.upper());
        return lowerOk && upperOk;
    }

    private static boolean anyGlob(List<String> globs, String s) {
        for (String g : globs) {
            if (glob(g, s)) {
                return true;
            }
        }
        return false;
    }

    private static boolean anyHost(List<HostPattern> patterns, String host) {
        for (HostPattern p : patterns) {
            boolean hit = switch (p.type()) {
                case EXACT -> host.equals(p.name());
                case SUFFIX -> host.endsWith("." + p.name()) && host.length() > p.name().length() + 1;
                case CIDR -> inRange(p, host);
            };
            if (hit) {
                return true;
            }
        }
        return false;
    }

    /** CIDR membership through {@link InetAddress} and {@link BigInteger}: independent of {@link Ip}. */
    private static boolean inRange(HostPattern p, String host) {
        byte[] addr = literal(host);
        byte[] net = literal(p.name());
        if (addr == null || net == null || addr.length != net.length) {
            return false;
        }
        int bits = addr.length * 8;
        BigInteger a = new BigInteger(1, addr).shiftRight(bits - p.prefix());
        BigInteger b = new BigInteger(1, net).shiftRight(bits - p.prefix());
        return a.equals(b);
    }

    /** The bytes of a canonical IP literal, or null; never resolves a name. */
    private static byte[] literal(String s) {
        try {
            if (s.matches("[0-9]{1,3}(\\.[0-9]{1,3}){3}")) {
                return InetAddress.getByName(s).getAddress();
            }
            if (s.indexOf(':') >= 0) {
                // In brackets, InetAddress rejects what is not an IPv6 literal instead of asking DNS.
                byte[] b = InetAddress.getByName("[" + s + "]").getAddress();
                if (b.length == 4) { // Java turns ::ffff:a.b.c.d into an Inet4Address; keep it IPv6 here
                    byte[] mapped = new byte[16];
                    mapped[10] = (byte) 0xFF;
                    mapped[11] = (byte) 0xFF;
                    System.arraycopy(b, 0, mapped, 12, 4);
                    return mapped;
                }
                return b;
            }
        } catch (UnknownHostException e) {
            return null;
        }
        return null;
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
