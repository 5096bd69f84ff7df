package io.agentid.samples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ShowCallsTest {
    private static final String ANSWER = """
            {"calls":[
              {"traceId":"4bf9","agent":"support-agent","decision":"allow","ruleId":"default","operation":"SELECT",
               "targets":["public.customers"],"statement":"SELECT id FROM customers WHERE city = ?",
               "reason":"no rule matched; default is allow","blocked":false,"costEstimateUsd":null},
              {"traceId":"9c1e","decision":"deny","ruleId":"no-ddl","operation":"DROP","statement":"DROP TABLE customers",
               "reason":"agents may not \\"change\\" the schema \\u00e9","mode":"enforce","blocked":true,"n":-1.5e3},
              {"decision":"deny","ruleId":"payroll-off-limits","operation":"SELECT","statement":"SELECT * FROM hr.payroll",
               "reason":"payroll data is not for agents","mode":"monitor","blocked":false}
            ]}""";

    @Test
    void readsTheCallsOfTheApiAnswer() {
        List<Map<String, Object>> calls = ShowCalls.calls(ANSWER);
        assertThat(calls).hasSize(3);
        assertThat(calls.get(0)).containsEntry("targets", List.of("public.customers")).containsEntry("costEstimateUsd", null);
        assertThat(calls.get(1)).containsEntry("reason", "agents may not \"change\" the schema \u00e9").containsEntry("n", -1500.0);
    }

    @Test
    void countsAllowedBlockedAndMonitoredDenies() {
        assertThat(ShowCalls.render("support-agent", ShowCalls.calls(ANSWER))).isEqualTo("""
                collector: 3 calls recorded for agent `support-agent`: 1 allowed, 1 blocked, 1 would be blocked (monitor)
                  allowed SELECT   SELECT id FROM customers WHERE city = ?
                  BLOCKED DROP     DROP TABLE customers
                      rule 'no-ddl': agents may not "change" the schema \u00e9
                  WOULD-BLOCK SELECT   SELECT * FROM hr.payroll
                      rule 'payroll-off-limits': payroll data is not for agents""");
    }

    @Test
    void rejectsWhatIsNotTheApiAnswer() {
        assertThatThrownBy(() -> ShowCalls.calls("{\"calls\":[}")).hasMessageContaining("invalid json at offset 10");
        assertThatThrownBy(() -> ShowCalls.calls("[]")).hasMessageContaining("expected {\"calls\":[...]}");
        assertThatThrownBy(() -> ShowCalls.calls("{\"calls\":[]} x")).hasMessageContaining("trailing text");
    }
}
