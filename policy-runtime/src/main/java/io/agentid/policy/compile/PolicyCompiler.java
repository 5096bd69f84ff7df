package io.agentid.policy.compile;

import io.agentid.policy.Decision;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.PolicyException;
import io.agentid.policy.eval.HttpIndex;
import io.agentid.policy.eval.IndexedPolicyEngine;
import io.agentid.policy.eval.ReferencePolicyEngine;
import io.agentid.policy.eval.SqlIndex;
import io.agentid.policy.model.HttpMatch;
import io.agentid.policy.model.PolicyModel;
import io.agentid.policy.model.RuleModel;
import io.agentid.policy.model.SqlMatch;
import io.agentid.policy.parse.YamlNode;
import io.agentid.policy.parse.YamlParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses, checks and compiles a YAML policy into an immutable, indexed {@link PolicyEngine}. The stages are
 * separate and each is public for tests and tools:
 * <ol>
 *   <li>read: the file's bytes, strict UTF-8; the {@link #version version} is their hash</li>
 *   <li>parse: {@link YamlParser#parse} to a positioned {@link YamlNode} tree</li>
 *   <li>check: {@link PolicyChecker#check} to a normalised {@link PolicyModel}</li>
 *   <li>compile and index: {@link #index} to an {@link IndexedPolicyEngine}, every decision prebuilt</li>
 * </ol>
 * Every failure is a {@link PolicyException} naming the file, line and column; the first problem is reported.
 */
public final class PolicyCompiler {
    private PolicyCompiler() {}

    /** Reads, checks and compiles the policy in {@code file}; errors name {@code file.toString()}. */
    public static PolicyEngine load(Path file) throws PolicyException {
        return index(checkFile(file));
    }

    /** Checks and compiles a policy from text; {@code sourceName} names it in errors and {@link PolicyEngine#source()}. */
    public static PolicyEngine compile(String yaml, String sourceName) throws PolicyException {
        return index(check(yaml, sourceName));
    }

    /** Reads and checks the policy in {@code file}, without compiling it. */
    public static PolicyModel checkFile(Path file) throws PolicyException {
        String source = file.toString();
        byte[] bytes;
        try {
            if (Files.isDirectory(file)) {
                throw new PolicyException(source, 0, 0, "is a directory, not a policy file");
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new PolicyException(source, 0, 0, "file not found");
        } catch (AccessDeniedException e) {
            throw new PolicyException(source, 0, 0, "cannot read the file: permission denied");
        } catch (IOException | SecurityException e) {
            throw new PolicyException(source, 0, 0, "cannot read the file: " + e);
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new PolicyException(source, 0, 0, "the file is not valid utf-8");
        }
        return check(text, source, version(bytes));
    }

    /** Parses and checks {@code yaml}, without compiling it; the version hashes its UTF-8 encoding. */
    public static PolicyModel check(String yaml, String sourceName) throws PolicyException {
        return check(yaml, sourceName, version(yaml.getBytes(StandardCharsets.UTF_8)));
    }

    private static PolicyModel check(String yaml, String source, String version) throws PolicyException {
        YamlNode root = YamlParser.parse(yaml, source);
        return PolicyChecker.check(root, source, version);
    }

    /** Compiles a checked policy: prebuilds every decision and builds the per-kind indexes. */
    public static IndexedPolicyEngine index(PolicyModel model) {
        List<RuleModel> sqlRules = model.rulesOfKind(SqlMatch.KIND);
        List<Decision> decisions = new ArrayList<>(sqlRules.size());
        for (RuleModel r : sqlRules) {
            decisions.add(new Decision(r.decision(), r.id(), r.reason(), model.version(), model.mode()));
        }
        SqlIndex sql = SqlIndexBuilder.build(sqlRules, decisions);
        List<RuleModel> httpRules = model.rulesOfKind(HttpMatch.KIND);
        List<Decision> httpDecisions = new ArrayList<>(httpRules.size());
        for (RuleModel r : httpRules) {
            httpDecisions.add(new Decision(r.decision(), r.id(), r.reason(), model.version(), model.mode()));
        }
        HttpIndex http = HttpIndexBuilder.build(httpRules, httpDecisions);
        Decision defaultDecision = new Decision(model.defaultVerdict(), "default", model.defaultReason(), model.version(),
                model.mode());
        Decision unanalysable = new Decision(model.unanalysableSql(), "unanalysable-sql", model.unanalysableReason(),
                model.version(), model.mode());
        return new IndexedPolicyEngine(model.source(), model.version(), model.mode(), sql, http, defaultDecision,
                unanalysable);
    }

    /** The unindexed reference evaluator over the same checked policy, for differential tests. */
    public static ReferencePolicyEngine reference(PolicyModel model) {
        return new ReferencePolicyEngine(model);
    }

    /** {@code sha256:} and the first 16 hex digits of the SHA-256 of {@code bytes}. */
    public static String version(byte[] bytes) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(bytes);
            StringBuilder sb = new StringBuilder("sha256:");
            for (int i = 0; i < 8; i++) {
                sb.append(Character.forDigit((digest[i] >> 4) & 0xF, 16)).append(Character.forDigit(digest[i] & 0xF, 16));
            }
            return sb.toString();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
