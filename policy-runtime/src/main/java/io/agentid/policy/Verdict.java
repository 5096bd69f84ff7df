package io.agentid.policy;

/** What a policy says about one call. */
public enum Verdict {
    ALLOW,
    DENY;

    /** The lower-case name used in policy files and span attributes. */
    public String label() {
        return this == ALLOW ? "allow" : "deny";
    }
}
