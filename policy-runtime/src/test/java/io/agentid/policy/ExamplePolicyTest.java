package io.agentid.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example policy of docs/POLICY.md loads, and the doc and the test resource hold the same text. */
class ExamplePolicyTest {

    @Test
    void theExamplePolicyLoads() throws PolicyException {
        PolicyEngine e = PolicyEngine.load(Policies.resource("example-policy.yaml"));
        assertThat(e.mode()).isEqualTo(Mode.ENFORCE);
        assertThat(e.decideSql("reporting-eu", "SELECT", new String[] {"orders"}).ruleId()).isEqualTo("reporting-agent-reads");
        assertThat(e.decideSql("reporting-eu", "DROP", new String[] {"orders"}).ruleId()).isEqualTo("no-ddl");
    }

    @Test
    void theDocShowsTheSamePolicy() {
        Path doc = findDoc();
        String markdown = Policies.read(doc);
        String start = "<!-- example-policy: policy-runtime/src/test/resources/policy/example-policy.yaml -->\n```yaml\n";
        int from = markdown.indexOf(start);
        assertThat(from).as("docs/POLICY.md must contain the example block marker").isGreaterThanOrEqualTo(0);
        int end = markdown.indexOf("```\n", from + start.length());
        String inDoc = markdown.substring(from + start.length(), end);
        assertThat(inDoc).isEqualTo(Policies.read(Policies.resource("example-policy.yaml")));
    }

    @Test
    void theFiftyRulePolicyLoads() throws PolicyException {
        PolicyEngine e = PolicyEngine.load(Policies.resource("fifty-rules.yaml"));
        assertThat(e.decideSql("reporting-eu", "SELECT", new String[] {"public.orders"}).ruleId()).isEqualTo("reporting-reads");
        assertThat(e.decideSql("reporting-eu", "SELECT", new String[] {"hr.payroll"}).ruleId()).isEqualTo("payroll-off-limits");
        assertThat(e.decideSql("support-7", "SELECT", new String[] {"public.orders"}).ruleId()).isEqualTo("default");
        assertThat(e.decideSql("support-7", "SELECT", new String[] {"crm.accounts", "crm.contacts", "tickets"}).ruleId())
                .isEqualTo("support-reads-crm");
    }

    /** docs/POLICY.md, from the module directory (surefire's working directory) or the repository root. */
    private static Path findDoc() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            Path doc = p.resolve("docs/POLICY.md");
            if (Files.isRegularFile(doc)) {
                return doc;
            }
        }
        throw new AssertionError("docs/POLICY.md not found above " + Path.of("").toAbsolutePath());
    }
}
