package io.agentid.bench;

import io.agentid.policy.Decision;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.PolicyException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of one policy decision ({@link PolicyEngine#decideSql}) with a realistic 50-rule policy: operation
 * rules, exact tables, table globs, agent globs and negations; the same policy as the test resource
 * {@code policy-runtime/src/test/resources/policy/fifty-rules.yaml}. Most rules do not match the benchmarked
 * calls, which is the common case in production. The budget is 200 ns median per decision.
 *
 * <p>Run (after {@code ./mvnw -B -pl policy-runtime,benchmarks install -DskipTests}):
 * <pre>
 * java -jar benchmarks/target/benchmarks.jar PolicyDecision -f 1 -wi 3 -i 5 -w 1 -r 1 -bm sample -tu ns
 * </pre>
 * and read the {@code p0.50} line of each method. Sample mode times single calls, so each figure includes
 * the timer's own cost; {@link #baseline} (returning a prebuilt decision) shows how much that is. For means
 * without it, use {@code -bm avgt}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PolicyDecisionBenchmark {

    static final String POLICY = """
            version: 1
            mode: enforce
            default: allow
            unanalysable_sql: deny

            rules:
              - id: no-ddl
                match: { kind: sql, operation: [DROP, TRUNCATE, ALTER, RENAME, CREATE] }
                decision: deny
                reason: agents may not change the schema
              - id: no-grants
                match: { kind: sql, operation: [GRANT, REVOKE] }
                decision: deny
                reason: agents may not change privileges
              - id: no-bulk-io
                match: { kind: sql, operation: [COPY, BACKUP, SCRIPT, RUNSCRIPT, ATTACH, DETACH] }
                decision: deny
                reason: no bulk import or export
              - id: no-procedures
                match: { kind: sql, operation: [CALL, EXECUTE, DO], agent_not: [ops-*] }
                decision: deny
                reason: only ops agents call procedures
              - id: no-session-tricks
                match: { kind: sql, operation: [SET, USE], agent: ["*-untrusted", guest] }
                decision: deny
                reason: untrusted agents may not switch context
              - id: payroll-off-limits
                match: { kind: sql, table: [payroll, "hr.*"] }
                decision: deny
                reason: payroll data is not for agents
              - id: salaries-anywhere
                match: { kind: sql, table: "*.salaries" }
                decision: deny
                reason: salary data is not for agents
              - id: secrets
                match: { kind: sql, table: ["*secret*", "vault.*", credentials, api_keys] }
                decision: deny
                reason: secrets are never readable
              - id: pii-raw
                match: { kind: sql, table: ["pii.*", "*_pii", "raw.customers"], agent_not: [privacy-officer] }
                decision: deny
                reason: raw pii only for the privacy officer
              - id: audit-immutable
                match: { kind: sql, operation: [INSERT, UPDATE, DELETE, MERGE, UPSERT, REPLACE], table: ["audit.*", audit_log] }
                decision: deny
                reason: the audit trail is append-only by the database
              - id: prod-ledger
                match: { kind: sql, table: prod.finance.ledger, operation_not: [SELECT] }
                decision: deny
                reason: the production ledger is read-only
              - id: billing-support
                match: { kind: sql, agent: "support-*", table: ["billing.*", "*_invoices"] }
                decision: deny
                reason: support agents may not read billing
              - id: sales-for-sales
                match: { kind: sql, table: "sales.*", agent_not: ["sales-*", "reporting-*", "finance-*"] }
                decision: deny
                reason: sales data is for sales agents
              - id: hr-bots-blocked
                match: { kind: sql, agent: ["hr-*"], table_not: ["hr_public.*", directory] }
                decision: deny
                reason: hr bots only use the public hr views
              - id: writes-only-scratch
                match: { kind: sql, operation: [INSERT, UPDATE, DELETE, MERGE], agent: ["etl-*", "reporting-*"], table_not: ["scratch.*", "staging.*", "tmp_*"] }
                decision: deny
                reason: these agents write only to scratch and staging
              - id: guest-reads-only
                match: { kind: sql, agent: guest, operation_not: [SELECT, SHOW, DESCRIBE, EXPLAIN] }
                decision: deny
                reason: guests only read
              - id: no-deletes-customers
                match: { kind: sql, operation: DELETE, table: [customers, "crm.customers*"] }
                decision: deny
                reason: customers are never deleted by agents
              - id: no-vacuum-prod
                match: { kind: sql, operation: [VACUUM, ANALYZE, REFRESH], agent_not: ops-admin }
                decision: deny
                reason: maintenance is for ops-admin
              - id: locks
                match: { kind: sql, operation: LOCK }
                decision: deny
                reason: agents may not take explicit locks
              - id: pragma
                match: { kind: sql, operation: PRAGMA, agent_not: ["test-*"] }
                decision: deny
                reason: pragmas only in tests
              - id: partner-data
                match: { kind: sql, table: ["partner_*.*"], agent_not: ["partner-sync"] }
                decision: deny
                reason: partner schemas are for the sync agent
              - id: ml-features-write
                match: { kind: sql, table: "features.*", operation: [INSERT, UPDATE, DELETE, MERGE], agent_not: "ml-*" }
                decision: deny
                reason: only ml agents write features
              - id: legacy-tables
                match: { kind: sql, table: ["legacy.*", "*_old", "*_bak"] }
                decision: deny
                reason: legacy tables are frozen
              - id: cross-catalog
                match: { kind: sql, table: ["warehouse.*.*"], agent_not: ["reporting-*", "analytics-*"] }
                decision: deny
                reason: the warehouse catalog is for reporting
              - id: security-schema
                match: { kind: sql, table: ["security.*", "iam.*", "*.role_grants"] }
                decision: deny
                reason: security tables are off limits
              - id: contracts
                match: { kind: sql, table: [contracts, "legal.*"], agent_not: [legal-assistant] }
                decision: deny
                reason: legal data is for the legal assistant
              - id: medical
                match: { kind: sql, table: ["health.*", "*_diagnoses", patients] }
                decision: deny
                reason: health data is not for agents
              - id: export-views
                match: { kind: sql, table: "export_*", operation_not: SELECT }
                decision: deny
                reason: export views are read-only
              - id: config-tables
                match: { kind: sql, table: [app_config, feature_flags, "config.*"], operation: [INSERT, UPDATE, DELETE, MERGE, UPSERT] }
                decision: deny
                reason: configuration changes go through review
              - id: experimental-agents
                match: { kind: sql, agent: ["*-experimental", "sandbox.*"], table_not: ["sandbox.*", "scratch.*"] }
                decision: deny
                reason: experimental agents stay in the sandbox
              - id: card-data
                match: { kind: sql, table: ["pci.*", cards, card_tokens] }
                decision: deny
                reason: card data is pci scoped
              - id: gdpr-erasure
                match: { kind: sql, table: erasure_requests, agent_not: privacy-officer }
                decision: deny
                reason: erasure requests are for the privacy officer
              - id: payments-write
                match: { kind: sql, table: ["payments.*"], operation_not: [SELECT] }
                decision: deny
                reason: payments are read-only for agents
              - id: inventory-ops
                match: { kind: sql, table: "inventory.*", operation: [DELETE], agent_not: ["inventory-*"] }
                decision: deny
                reason: only inventory agents delete stock
              - id: marketing-lists
                match: { kind: sql, table: ["marketing.*", "*_mailing_list"], agent: ["support-*", "etl-*"] }
                decision: deny
                reason: marketing lists are not for support or etl
              - id: reporting-reads
                match: { kind: sql, agent: ["reporting-*"], operation: SELECT }
                decision: allow
                reason: reporting agents may read
              - id: analytics-reads
                match: { kind: sql, agent: "analytics-*", operation: [SELECT, EXPLAIN] }
                decision: allow
              - id: etl-staging
                match: { kind: sql, agent: "etl-*", table: ["staging.*", "scratch.*"] }
                decision: allow
                reason: etl writes to staging
              - id: ops-maintenance
                match: { kind: sql, agent: ops-admin, operation: [VACUUM, ANALYZE, REFRESH] }
                decision: allow
              - id: ops-procedures
                match: { kind: sql, agent: "ops-*", operation: [CALL, EXECUTE] }
                decision: allow
                reason: ops agents run procedures
              - id: support-reads-crm
                match: { kind: sql, agent: "support-*", operation: SELECT, table: ["crm.*", tickets] }
                decision: allow
                reason: support reads the crm
              - id: transactions
                match: { kind: sql, operation: [BEGIN, START, COMMIT, ROLLBACK, SAVEPOINT, RELEASE] }
                decision: allow
                reason: transaction control is fine
              - id: metadata
                match: { kind: sql, operation: [SHOW, DESCRIBE, EXPLAIN] }
                decision: allow
                reason: metadata queries are fine
              - id: ml-features
                match: { kind: sql, agent: "ml-*", table: "features.*" }
                decision: allow
                reason: ml agents own the feature store
              - id: sales-agents
                match: { kind: sql, agent: "sales-*", table: ["sales.*", "crm.*"] }
                decision: allow
                reason: sales agents work on sales data
              - id: finance-reads
                match: { kind: sql, agent: "finance-*", operation: SELECT, table: ["finance.*", "sales.*"] }
                decision: allow
                reason: finance agents read finance data
              - id: sandbox-anything
                match: { kind: sql, agent: "sandbox.*", table: "sandbox.*" }
                decision: allow
                reason: the sandbox is a sandbox
              - id: inventory-agents
                match: { kind: sql, agent: "inventory-*", table: "inventory.*" }
                decision: allow
                reason: inventory agents own inventory
              - id: legal-assistant
                match: { kind: sql, agent: legal-assistant, operation: SELECT, table: [contracts, "legal.*"] }
                decision: allow
                reason: the legal assistant reads contracts
              - id: privacy-officer
                match: { kind: sql, agent: privacy-officer }
                decision: allow
                reason: the privacy officer handles pii
            """;

    PolicyEngine engine;
    Decision fixed;

    // Inputs live in fields (not constants) so the JIT cannot fold the decision away.
    String supportAgent;
    String reportingAgent;
    String select;
    String[] oneTable;
    String[] payrollTable;
    String[] threeTables;

    /** The 50-rule kind: http policy, the same as {@code policy-runtime/src/test/resources/policy/fifty-http-rules.yaml}. */
    static final String HTTP_POLICY = """
            # 50 rules: the kind: http policy of AllocationTest, RandomDifferentialTest and PolicyDecisionBenchmark.httpDecision.
            version: 1
            default: deny
            rules:
              - id: egress-allowlist
                match: { kind: http, host_not: [api.openai.com, api.anthropic.com, "*.internal.example.com", "*.s3.amazonaws.com", 10.0.0.0/8, 192.168.0.0/16, "fd00::/8", localhost, "127.0.0.1"] }
                decision: deny
                reason: egress outside the allowlist
              - id: no-metadata
                match: { kind: http, host: [169.254.169.254, metadata.google.internal, "fd00:ec2::254"] }
                decision: deny
                reason: no cloud metadata
              - id: https-only
                match: { kind: http, scheme_not: [https, wss], host_not: [localhost, "127.0.0.1"] }
                decision: deny
                reason: tls only
              - id: web-ports
                match: { kind: http, port_not: [80, 443, 8080, 8443] }
                decision: deny
                reason: web ports only
              - id: no-expensive-calls
                match: { kind: http, cost_usd: { gt: 0.50 } }
                decision: deny
                reason: too expensive
              - id: only-small-models
                match: { kind: http, model_not: ["gpt-4o-mini*", "claude-3-5-haiku*", "text-embedding-3-small"] }
                decision: deny
                reason: only small models
              - id: no-files-api
                match: { kind: http, host: api.openai.com, path: ["/v1/files*", "/v1/uploads*", "/v1/fine_tuning/*"] }
                decision: deny
                reason: no uploads
              - id: internal-read-only
                match: { kind: http, host: "*.internal.example.com", method_not: [GET, HEAD, OPTIONS] }
                decision: deny
                reason: internal read-only
              - id: no-admin
                match: { kind: http, path: ["/admin*", "*/.git/*", "/actuator/*"] }
                decision: deny
                reason: no admin endpoints
              - id: support-no-billing
                match: { kind: http, agent: "support-*", host: [billing.internal.example.com, "*.billing.internal.example.com"] }
                decision: deny
                reason: support bots stay out of billing
              - id: svc-0-writes
                match: { kind: http, host: svc0.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc0-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-1-writes
                match: { kind: http, host: svc1.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc1-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-2-writes
                match: { kind: http, host: svc2.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc2-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-3-writes
                match: { kind: http, host: svc3.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc3-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-4-writes
                match: { kind: http, host: svc4.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc4-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-5-writes
                match: { kind: http, host: svc5.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc5-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-6-writes
                match: { kind: http, host: svc6.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc6-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-7-writes
                match: { kind: http, host: svc7.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc7-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-8-writes
                match: { kind: http, host: svc8.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc8-*"] }
                decision: deny
                reason: only the owner writes
              - id: svc-9-writes
                match: { kind: http, host: svc9.internal.example.com, method: [POST, PUT, DELETE, PATCH], agent_not: [ops-admin, "svc9-*"] }
                decision: deny
                reason: only the owner writes
              - id: bucket-0
                match: { kind: http, host: "*.bucket0.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-1
                match: { kind: http, host: "*.bucket1.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-2
                match: { kind: http, host: "*.bucket2.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-3
                match: { kind: http, host: "*.bucket3.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-4
                match: { kind: http, host: "*.bucket4.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-5
                match: { kind: http, host: "*.bucket5.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-6
                match: { kind: http, host: "*.bucket6.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-7
                match: { kind: http, host: "*.bucket7.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-8
                match: { kind: http, host: "*.bucket8.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: bucket-9
                match: { kind: http, host: "*.bucket9.s3.amazonaws.com", method: [PUT, DELETE], path: "/private/*" }
                decision: deny
                reason: private objects
              - id: net-0
                match: { kind: http, host: [10.0.0.0/16, "fd00:1::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: net-1
                match: { kind: http, host: [10.1.0.0/16, "fd00:2::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: net-2
                match: { kind: http, host: [10.2.0.0/16, "fd00:3::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: net-3
                match: { kind: http, host: [10.3.0.0/16, "fd00:4::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: net-4
                match: { kind: http, host: [10.4.0.0/16, "fd00:5::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: net-5
                match: { kind: http, host: [10.5.0.0/16, "fd00:6::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: net-6
                match: { kind: http, host: [10.6.0.0/16, "fd00:7::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: net-7
                match: { kind: http, host: [10.7.0.0/16, "fd00:8::/32"], port: [22, 3389, 5432] }
                decision: deny
                reason: no admin ports on internal nets
              - id: reporting-reads
                match: { kind: http, agent: "reporting-*", method: [GET, HEAD], host: "*.internal.example.com" }
                decision: allow
                reason: reporting reads
              - id: ops-admin
                match: { kind: http, agent: ops-admin }
                decision: allow
                reason: ops
              - id: openai
                match: { kind: http, host: api.openai.com, scheme: https, port: 443 }
                decision: allow
                reason: model calls
              - id: anthropic
                match: { kind: http, host: api.anthropic.com, path: "/v1/*" }
                decision: allow
                reason: model calls
              - id: s3
                match: { kind: http, host: "*.s3.amazonaws.com", method: GET }
                decision: allow
                reason: reads
              - id: local
                match: { kind: http, host: [localhost, "127.0.0.1", "::1"] }
                decision: allow
                reason: local
              - id: internal
                match: { kind: http, host: "*.internal.example.com" }
                decision: allow
                reason: internal
              - id: lan
                match: { kind: http, host: 192.168.0.0/16, agent_not: "guest*" }
                decision: allow
                reason: lan
              - id: cheap
                match: { kind: http, cost_usd: { lte: 0.01 } }
                decision: allow
                reason: cheap
              - id: mini
                match: { kind: http, model: "gpt-4o-mini*" }
                decision: allow
                reason: mini
              - id: ws
                match: { kind: http, scheme: [ws, wss], agent: "*-bot" }
                decision: allow
                reason: bots
              - id: sql-anything
                match: { kind: sql, operation: SELECT }
                decision: allow
                reason: reads
            """;

    private PolicyEngine httpEngine;
    private String openAiHost;
    private String evilHost;
    private String internalIp;
    private String post;
    private String https;
    private String chatPath;
    private String miniModel;

    @Setup(Level.Trial)
    public void setUp() throws PolicyException {
        engine = PolicyEngine.parse(POLICY, "bench-policy.yaml");
        supportAgent = "support-7";
        reportingAgent = "reporting-eu";
        select = "SELECT";
        oneTable = new String[] {"public.orders"};
        payrollTable = new String[] {"hr.payroll"};
        threeTables = new String[] {"crm.accounts", "crm.contacts", "tickets"};
        check(allowedSelectOneTable(), "default");
        check(deniedSelect(), "payroll-off-limits");
        check(joinThreeTables(), "support-reads-crm");
        fixed = engine.decideUnanalysableSql(reportingAgent);
        httpEngine = PolicyEngine.parse(HTTP_POLICY, "bench-http-policy.yaml");
        openAiHost = "api.openai.com";
        evilHost = "evil.example.net";
        internalIp = "10.2.3.4";
        post = "POST";
        https = "https";
        chatPath = "/v1/chat/completions";
        miniModel = "gpt-4o-mini-2024-07-18";
        check(httpModelCall(), "openai");
        check(httpDeniedEgress(), "egress-allowlist");
        check(httpRawConnection(), "web-ports");
    }

    private static void check(Decision d, String ruleId) {
        if (!d.ruleId().equals(ruleId)) {
            throw new IllegalStateException("benchmark policy drifted: expected rule " + ruleId + ", got " + d);
        }
    }

    /** Returns a prebuilt decision: the measuring overhead, to subtract from the other figures. */
    @Benchmark
    public Decision baseline() {
        return fixed;
    }

    /**
     * An allowed model call (POST to api.openai.com with a model and a cost) against the 50-rule http policy:
     * every deny rule is checked, then the third allow rule decides.
     */
    @Benchmark
    public Decision httpModelCall() {
        return httpEngine.decideHttp(supportAgent, post, https, openAiHost, 443, chatPath, miniModel, 0.004);
    }

    /** A request to a host outside the egress allowlist: denied by the first rule. */
    @Benchmark
    public Decision httpDeniedEgress() {
        return httpEngine.decideHttp(supportAgent, post, https, evilHost, 443, chatPath, null, Double.NaN);
    }

    /** A raw connection (no method, scheme or path) to an internal IP on port 5432 (CIDR ranges). */
    @Benchmark
    public Decision httpRawConnection() {
        return httpEngine.decideHttp(supportAgent, null, null, internalIp, 5432, null, null, Double.NaN);
    }

    /** A SELECT on one table that no rule matches: every candidate is checked, then the default allows. */
    @Benchmark
    public Decision allowedSelectOneTable() {
        return engine.decideSql(supportAgent, select, oneTable);
    }

    /** A SELECT on {@code hr.payroll}: denied by the sixth rule. */
    @Benchmark
    public Decision deniedSelect() {
        return engine.decideSql(reportingAgent, select, payrollTable);
    }

    /** A three-table join that no deny matches (all three tables go through the matcher), allowed by a rule. */
    @Benchmark
    public Decision joinThreeTables() {
        return engine.decideSql(supportAgent, select, threeTables);
    }
}
