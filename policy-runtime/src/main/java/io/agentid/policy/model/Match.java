package io.agentid.policy.model;

/**
 * The conditions of a rule, for one kind of call. Each kind ({@code sql} today; {@code http} and
 * {@code cloud} later) has its own record, its own checker in {@code io.agentid.policy.compile} and its own
 * index in {@code io.agentid.policy.eval}; nothing else in the pipeline depends on the set of kinds.
 */
public interface Match {
    /** The kind as written in the policy: {@code sql}, ... */
    String kind();
}
