package io.agentid.policy;

/** Returns one decision for every call: the engine behind {@link PolicyEngine#failClosed} and {@link PolicyEngine#allowAll}. */
final class FixedPolicyEngine implements PolicyEngine {
    private final Decision decision;
    private final String source;

    FixedPolicyEngine(Verdict verdict, String ruleId, String reason, String source, Mode mode) {
        this.decision = new Decision(verdict, ruleId, reason, "none", mode);
        this.source = source;
    }

    @Override
    public Decision decideSql(String agentId, String operation, String[] tables) {
        return decision;
    }

    @Override
    public Decision decideUnanalysableSql(String agentId) {
        return decision;
    }

    @Override
    public Decision decideHttp(String agentId, String method, String scheme, String host, int port, String path,
            String model, double costUsd) {
        return decision;
    }

    @Override
    public Mode mode() {
        return decision.mode();
    }

    @Override
    public String version() {
        return decision.policyVersion();
    }

    @Override
    public String source() {
        return source;
    }
}
