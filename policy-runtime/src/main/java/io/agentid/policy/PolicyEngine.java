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

    /**
     * Decides one outbound HTTP request or, with {@code method}, {@code scheme} and {@code path} null, a raw
     * connection to a destination. Only {@code kind: http} rules apply. A condition on a fact the call does
     * not have (no method on a raw connection, no model on a request that is not a model call) does not hold,
     * in either its positive or its {@code _not} form; see docs/POLICY.md, "kind: http".
     *
     * @param agentId the agent's id; null reads as the empty id
     * @param method the request method ({@code GET}, ...; compared case-insensitively), or null for a raw connection
     * @param scheme {@code http}, {@code https}, {@code ws} or {@code wss} (case-insensitive), or null for a raw
     *     connection
     * @param host the host as the client will connect to it, un-normalised: the engine normalises it as
     *     {@link Hosts#normalise} does (a host already in canonical form costs nothing extra)
     * @param port the real port (default ports already filled in by the caller), or -1 if unknown
     * @param path the raw path as sent, without the query and not percent-decoded, or null for a raw connection
     * @param model the LLM model of a model request, or null
     * @param costUsd an upper bound of the call's estimated cost in US dollars, or NaN if unknown
     */
    Decision decideHttp(String agentId, String method, String scheme, String host, int port, String path, String model,
            double costUsd);

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
