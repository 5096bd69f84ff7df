package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Decision;
import io.agentid.policy.Policies;
import io.agentid.policy.compile.PolicyCompiler;
import io.agentid.policy.model.PolicyModel;
import io.agentid.sql.SqlAnalysis;
import io.agentid.sql.SqlAnalyzer;
import io.agentid.sql.SqlStatement;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What reaches the engine from real SQL: quoted (case-preserving in the database) and unquoted identifiers in
 * any case, qualified or not. The analyser reports them lower case and unquoted; the indexed engine and the
 * reference evaluator must agree on each statement, both on the reported names and on the same names in upper
 * case (callers other than the analyser may pass any case).
 */
class AnalyzedSqlDifferentialTest {
    static final PolicyModel MODEL = Policies.model(Policies.read(Policies.resource("fifty-rules.yaml")));
    static final IndexedPolicyEngine INDEXED = PolicyCompiler.index(MODEL);
    static final ReferencePolicyEngine REFERENCE = PolicyCompiler.reference(MODEL);

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM \"HR\".\"Payroll\"",
        "SELECT * FROM Hr.PayRoll p JOIN \"Crm\".Accounts a ON 1 = 1",
        "SELECT * FROM [Sales].[Orders] JOIN `Partner_EU`.X ON 1 = 1",
        "SELECT * FROM \"CRM\".\"Accounts\", crm.CONTACTS, \"Tickets\"",
        "SELECT * FROM Warehouse.\"Sales\".Facts",
        "INSERT INTO \"Scratch\".\"T\" SELECT * FROM \"Vault\".\"API_Secrets\"",
        "DELETE FROM \"CRM\".\"Customers_Archive\"",
        "UPDATE \"Features\".\"Weights\" SET w = 1",
        "SELECT * FROM \"a.b\", \"My_Secret_Table\"",
        "SELECT * FROM Legacy_Users_OLD, \"EU_Invoices\""
    })
    void analysedStatementsDecideAlike(String sql) {
        SqlAnalysis analysis = SqlAnalyzer.analyze(sql);
        assertThat(analysis.analysable()).as(sql).isTrue();
        for (SqlStatement s : analysis.statements()) {
            String[] tables = s.tables().toArray(new String[0]);
            for (String t : tables) {
                assertThat(t).as("the analyser reports tables lower case and unquoted").isEqualTo(Fold.lower(t))
                        .doesNotContain("\"", "`", "[", "]");
            }
            String[] upper = new String[tables.length];
            for (int i = 0; i < tables.length; i++) {
                upper[i] = Fold.upper(tables[i]);
            }
            for (String agent : new String[] {"support-7", "Reporting-EU", "etl-nightly", "ml-trainer", "guest"}) {
                Decision lower = INDEXED.decideSql(agent, s.operation(), tables);
                assertThat(Policies.describe(lower)).as("%s, %s, %s", sql, agent, s.tables())
                        .isEqualTo(Policies.describe(REFERENCE.decideSql(agent, s.operation(), tables)));
                assertThat(Policies.describe(INDEXED.decideSql(agent, s.operation(), upper)))
                        .as("%s, %s, upper case", sql, agent).isEqualTo(Policies.describe(lower));
            }
        }
    }
}
