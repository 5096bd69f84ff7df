package io.agentid.policy;

import java.util.Objects;

/**
 * The outcome of evaluating one call against a policy. Immutable; engines build every decision they can
 * return when the policy is compiled, so deciding allocates nothing.
 */
public final class Decision {
    private final Verdict verdict;
    private final String ruleId;
    private final String reason;
    private final String policyVersion;
    private final Mode mode;

    public Decision(Verdict verdict, String ruleId, String reason, String policyVersion, Mode mode) {
        this.verdict = Objects.requireNonNull(verdict, "verdict");
        this.ruleId = Objects.requireNonNull(ruleId, "ruleId");
        this.reason = Objects.requireNonNull(reason, "reason");
        this.policyVersion = Objects.requireNonNull(policyVersion, "policyVersion");
        this.mode = Objects.requireNonNull(mode, "mode");
    }

    public Verdict verdict() {
        return verdict;
    }

    public boolean isDeny() {
        return verdict == Verdict.DENY;
    }

    /** True when this decision must stop the call: a deny in enforce mode. */
    public boolean blocks() {
        return verdict == Verdict.DENY && mode == Mode.ENFORCE;
    }

    /**
     * The id of the rule that decided; when no rule did, one of the reserved ids {@code default} (nothing
     * matched), {@code policy-error} (the policy could not be loaded) or {@code unanalysable-sql}.
     */
    public String ruleId() {
        return ruleId;
    }

    public String reason() {
        return reason;
    }

    /** The content hash of the policy that decided ({@code sha256:} and 16 hex digits). */
    public String policyVersion() {
        return policyVersion;
    }

    public Mode mode() {
        return mode;
    }

    @Override
    public String toString() {
        return verdict.label() + " by rule '" + ruleId + "': " + reason + " (" + policyVersion + ", " + mode.label() + ")";
    }
}
