package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Mode;
import io.agentid.policy.Policies;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.Verdict;
import io.agentid.policy.compile.PolicyCompiler;
import io.agentid.policy.model.PolicyModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * The corpus in {@code src/test/resources/policy/corpus}: each file holds a policy (inline or by file) and
 * calls with their expected decisions. Every call runs through both the indexed engine and the reference
 * evaluator; both must give the expected decision.
 */
class DifferentialCorpusTest {

    record Case(String name, boolean unanalysable, String agent, String operation, String[] tables, Verdict expect,
            String rule, String reason, Mode mode, Http http) {}

    /** An http call ({@code http: true}); absent keys are absent facts (null, port -1, cost NaN). */
    record Http(String method, String scheme, String host, int port, String path, String model, double cost) {}

    @TestFactory
    Stream<DynamicContainer> corpus() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(Policies.resource("corpus"))) {
            files = s.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
        }
        assertThat(files).hasSizeGreaterThanOrEqualTo(6);
        return files.stream().map(this::container);
    }

    @Test
    void corpusIsNotTrivial() throws IOException {
        int cases = 0;
        try (Stream<Path> s = Files.list(Policies.resource("corpus"))) {
            for (Path p : s.toList()) {
                cases += cases(load(p)).size();
            }
        }
        assertThat(cases).isGreaterThan(60);
    }

    private DynamicContainer container(Path file) {
        Map<String, Object> doc = load(file);
        String policy = doc.containsKey("policy_file")
                ? Policies.read(Policies.resource((String) doc.get("policy_file")))
                : (String) doc.get("policy");
        PolicyModel model;
        try {
            model = PolicyCompiler.check(policy, file.getFileName().toString());
        } catch (Exception e) {
            throw new AssertionError(file + ": " + e.getMessage(), e);
        }
        PolicyEngine indexed = PolicyCompiler.index(model);
        PolicyEngine reference = PolicyCompiler.reference(model);
        List<DynamicTest> tests = new ArrayList<>();
        for (Case c : cases(doc)) {
            tests.add(DynamicTest.dynamicTest(c.name(), () -> {
                Decision i = decide(indexed, c);
                Decision r = decide(reference, c);
                check(i, c, model, "indexed");
                check(r, c, model, "reference");
                assertThat(Policies.describe(i)).isEqualTo(Policies.describe(r));
            }));
        }
        return DynamicContainer.dynamicContainer(String.valueOf(doc.get("name")), tests);
    }

    private static Decision decide(PolicyEngine engine, Case c) {
        if (c.http() != null) {
            Http h = c.http();
            return engine.decideHttp(c.agent(), h.method(), h.scheme(), h.host(), h.port(), h.path(), h.model(), h.cost());
        }
        return c.unanalysable() ? engine.decideUnanalysableSql(c.agent()) : engine.decideSql(c.agent(), c.operation(), c.tables());
    }

    private static void check(Decision d, Case c, PolicyModel model, String engine) {
        String what = engine + " engine, case '" + c.name() + "'";
        assertThat(d.verdict()).as(what + ": verdict (" + d + ")").isEqualTo(c.expect());
        assertThat(d.ruleId()).as(what + ": rule").isEqualTo(c.rule());
        if (c.reason() != null) {
            assertThat(d.reason()).as(what + ": reason").isEqualTo(c.reason());
        }
        assertThat(d.mode()).as(what + ": mode").isEqualTo(c.mode() != null ? c.mode() : model.mode());
        assertThat(d.policyVersion()).as(what + ": version").isEqualTo(model.version());
        assertThat(d.blocks()).as(what + ": blocks").isEqualTo(d.verdict() == Verdict.DENY && d.mode() == Mode.ENFORCE);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> load(Path file) {
        return (Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(Policies.read(file));
    }

    private static String string(Object o) {
        return o == null ? null : String.valueOf(o);
    }

    @SuppressWarnings("unchecked")
    private static List<Case> cases(Map<String, Object> doc) {
        List<Case> out = new ArrayList<>();
        for (Object o : (List<Object>) doc.get("cases")) {
            Map<String, Object> m = (Map<String, Object>) o;
            List<Object> tables = (List<Object>) m.getOrDefault("tables", List.of());
            out.add(new Case(
                    (String) m.get("name"),
                    Boolean.TRUE.equals(m.get("unanalysable")),
                    (String) m.get("agent"),
                    (String) m.get("operation"),
                    tables.stream().map(String::valueOf).toArray(String[]::new),
                    Verdict.valueOf(((String) m.get("expect")).toUpperCase()),
                    (String) m.get("rule"),
                    (String) m.get("reason"),
                    m.containsKey("mode") ? Mode.valueOf(((String) m.get("mode")).toUpperCase()) : null,
                    Boolean.TRUE.equals(m.get("http")) ? new Http(
                            string(m.get("method")), string(m.get("scheme")), string(m.get("host")),
                            m.containsKey("port") ? ((Number) m.get("port")).intValue() : -1,
                            string(m.get("path")), string(m.get("model")),
                            m.containsKey("cost") ? ((Number) m.get("cost")).doubleValue() : Double.NaN) : null));
        }
        return out;
    }
}
