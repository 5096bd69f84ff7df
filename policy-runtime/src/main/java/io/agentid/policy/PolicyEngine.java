package io.agentid.policy;

import java.nio.file.Path;

/**
 * Decides whether an agent may make a call. Implementations are immutable and thread-safe; deciding never
 * throws, never blocks and allocates nothing.
 *
 * <p>Semantics: a rule matches a call when every condition it states holds (within one condition's list,
 * any element may match). If any matching rule denies, the call is denied by the first such rule in file
 * order (deny overrides allow); otherwise, if an allow rule matches, the first such rule allows it;
 * otherwise the policy's {@code default} decides.
 */
public interface PolicyEngine {

    /**
     * Decides one SQL statement.
     *
     * @param agentId the agent's id, never null
     * @param operation the statement's verb, upper case ({@code SELECT}, {@code DROP}, ...)
     * @param tables every table the statement touches, lower case and unquoted, {@code schema.table} where the
     *     schema is known and {@code table} where not; never null, may be empty
     */
    Decision decideSql(String agentId, String operation, String[] tables);

    /** Decides a SQL call whose text could not be analysed, per the policy's {@code unanalysable_sql} setting. */
    Decision decideUnanalysableSql(String agentId);

    Mode mode();

    /** The policy's content hash, {@code sha256:} and 16 hex digits; the same in every decision. */
    String version();

    /** Where the policy came from (its file path), for messages. */
    String source();

    /** Loads and compiles the policy in {@code file}. */
    static PolicyEngine load(Path file) throws PolicyException {
        return io.agentid.policy.compile.PolicyCompiler.load(file);
    }

    /** Compiles a policy from YAML text; {@code sourceName} names it in errors. */
    static PolicyEngine parse(String yaml, String sourceName) throws PolicyException {
        return io.agentid.policy.compile.PolicyCompiler.compile(yaml, sourceName);
    }

    /** An engine that denies every call with {@code reason}, for a policy that failed to load (fail closed). */
    static PolicyEngine failClosed(String source, String reason) {
        return new FixedPolicyEngine(Verdict.DENY, "policy-error", reason, source, Mode.ENFORCE);
    }

    /** An engine that allows every call with {@code reason}: no policy configured, or fail open. */
    static PolicyEngine allowAll(String source, String reason) {
        return new FixedPolicyEngine(Verdict.ALLOW, "default", reason, source, Mode.MONITOR);
    }
}
