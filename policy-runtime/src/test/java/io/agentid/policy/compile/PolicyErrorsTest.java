package io.agentid.policy.compile;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.policy.Policies;
import io.agentid.policy.PolicyException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every class of policy error, with its exact file:line:column and message. */
class PolicyErrorsTest {

    static final String KNOWN_OPS = "ALTER, ANALYZE, ATTACH, BACKUP, BEGIN, CALL, COMMENT, COMMIT, COPY, CREATE, DELETE, "
            + "DESCRIBE, DETACH, DO, DROP, EXECUTE, EXPLAIN, GRANT, INSERT, LOCK, MERGE, PRAGMA, REFRESH, RELEASE, RENAME, "
            + "REPLACE, REVOKE, ROLLBACK, RUNSCRIPT, SAVEPOINT, SCRIPT, SELECT, SET, SHOW, START, TRUNCATE, UPDATE, UPSERT, "
            + "USE, VACUUM, VALUES";

    /** A valid rule header to build broken rules from. */
    static final String HEAD = "version: 1\nrules:\n";

    static Stream<Arguments> errors() {
        return Stream.of(
                // ---- YAML syntax and structure (parse stage)
                Arguments.of("unterminated flow sequence",
                        "version: 1\nrules:\n  - id: a\n    match: { kind: sql, operation: [DROP }\n",
                        "policy.yaml:4:42: invalid yaml: expected ',' or ']', but got } (while parsing a flow sequence started at line 4, column 36)"),
                Arguments.of("mapping value in the wrong place",
                        "version: 1\nmode: enforce: x\n",
                        "policy.yaml:2:14: invalid yaml: mapping values are not allowed here"),
                Arguments.of("tab indentation",
                        "version: 1\nrules:\n\t- id: x\n",
                        "policy.yaml:3:1: invalid yaml: found character tab that cannot start any token (do not indent with tabs) (while scanning for the next token)"),
                Arguments.of("two documents",
                        "version: 1\n---\nversion: 1\n",
                        "policy.yaml:2:1: invalid yaml: but found another document (expected a single document in the stream started at line 1, column 1)"),
                Arguments.of("duplicate key",
                        "version: 1\nmode: enforce\nmode: monitor\n",
                        "policy.yaml:3:1: duplicate key `mode` (first at line 2, column 1)"),
                Arguments.of("duplicate key in a flow mapping",
                        HEAD + "  - id: a\n    match: { kind: sql, table: a, table: b }\n    decision: allow\n",
                        "policy.yaml:4:35: duplicate key `table` (first at line 4, column 25)"),
                Arguments.of("non-scalar key",
                        "version: 1\n? [a, b]\n: c\n",
                        "policy.yaml:2:3: a mapping key must be a plain name, not a list"),
                Arguments.of("custom tag",
                        "version: 1\nmode: !weird enforce\n",
                        "policy.yaml:2:7: unsupported yaml tag `!weird`"),
                Arguments.of("undefined alias",
                        "version: 1\nmode: *nothing\n",
                        "policy.yaml:2:7: invalid yaml: found undefined alias nothing"),
                Arguments.of("empty document",
                        "# nothing here\n",
                        "policy.yaml:1:1: the policy is empty (expected a mapping with at least `version: 1`)"),
                Arguments.of("root is a list",
                        "- version: 1\n",
                        "policy.yaml:1:1: the policy must be a mapping (with keys version, mode, default, unanalysable_sql, rules), got a list"),
                Arguments.of("root is a string",
                        "hello\n",
                        "policy.yaml:1:1: the policy must be a mapping (with keys version, mode, default, unanalysable_sql, rules), got a string"),
                // ---- top level
                Arguments.of("unknown top-level key",
                        "version: 1\nmode: enforce\nrulez: []\n",
                        "policy.yaml:3:1: unknown key `rulez` (expected one of: version, mode, default, unanalysable_sql, rules)"),
                Arguments.of("unknown key is reported before a missing version",
                        "mode: enforce\nversoin: 1\n",
                        "policy.yaml:2:1: unknown key `versoin` (expected one of: version, mode, default, unanalysable_sql, rules)"),
                Arguments.of("missing version",
                        "mode: enforce\nrules: []\n",
                        "policy.yaml:1:1: missing required key `version`"),
                Arguments.of("unsupported version",
                        "version: 2\n",
                        "policy.yaml:1:10: unsupported version `2` (this runtime reads version 1)"),
                Arguments.of("version as a string",
                        "version: \"1\"\n",
                        "policy.yaml:1:10: `version` must be the number 1, got a string `1`"),
                Arguments.of("version as a list",
                        "version: [1]\n",
                        "policy.yaml:1:10: `version` must be the number 1, got a list"),
                Arguments.of("version without a value",
                        "version:\nmode: enforce\n",
                        "policy.yaml:1:9: `version` must be the number 1, got nothing (null)"),
                Arguments.of("bad mode",
                        "version: 1\nmode: enforcing\n",
                        "policy.yaml:2:7: `mode` must be enforce or monitor, got `enforcing`"),
                Arguments.of("mode is case-sensitive",
                        "version: 1\nmode: Monitor\n",
                        "policy.yaml:2:7: `mode` must be enforce or monitor, got `Monitor`"),
                Arguments.of("bad default",
                        "version: 1\ndefault: block\n",
                        "policy.yaml:2:10: `default` must be allow or deny, got `block`"),
                Arguments.of("default as a boolean",
                        "version: 1\ndefault: true\n",
                        "policy.yaml:2:10: `default` must be allow or deny, got `true`"),
                Arguments.of("bad unanalysable_sql",
                        "version: 1\nunanalysable_sql: [deny]\n",
                        "policy.yaml:2:19: `unanalysable_sql` must be a string, got a list"),
                Arguments.of("rules is a mapping",
                        "version: 1\nrules:\n  id: a\n",
                        "policy.yaml:3:3: `rules` must be a list of rules, got a mapping"),
                Arguments.of("rules is null",
                        "version: 1\nrules:\n",
                        "policy.yaml:2:7: `rules` must be a list of rules, got nothing (null)"),
                // ---- rules
                Arguments.of("rule is a string",
                        HEAD + "  - no-ddl\n",
                        "policy.yaml:3:5: each rule must be a mapping, got a string"),
                Arguments.of("unknown rule key",
                        HEAD + "  - id: a\n    match: { kind: sql }\n    desicion: deny\n",
                        "policy.yaml:5:5: unknown key `desicion` in a rule (expected one of: id, match, decision, reason)"),
                Arguments.of("missing id",
                        HEAD + "  - match: { kind: sql }\n    decision: allow\n",
                        "policy.yaml:3:5: missing required key `id` in a rule"),
                Arguments.of("missing match",
                        HEAD + "  - id: a\n    decision: allow\n",
                        "policy.yaml:3:5: missing required key `match` in a rule"),
                Arguments.of("missing decision",
                        HEAD + "  - id: a\n    match: { kind: sql }\n",
                        "policy.yaml:3:5: missing required key `decision` in a rule"),
                Arguments.of("invalid id",
                        HEAD + "  - id: No DDL\n    match: { kind: sql }\n    decision: allow\n",
                        "policy.yaml:3:9: invalid rule id `No DDL` (use lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit)"),
                Arguments.of("id starting with a dash",
                        HEAD + "  - id: \"-x\"\n    match: { kind: sql }\n    decision: allow\n",
                        "policy.yaml:3:9: invalid rule id `-x` (use lower-case letters, digits, `.`, `_` and `-`, starting with a letter or digit)"),
                Arguments.of("reserved id",
                        HEAD + "  - id: default\n    match: { kind: sql }\n    decision: allow\n",
                        "policy.yaml:3:9: rule id `default` is reserved (reserved: default, policy-error, unanalysable-sql)"),
                Arguments.of("duplicate rule id",
                        HEAD + "  - id: a\n    match: { kind: sql }\n    decision: allow\n"
                                + "  - id: a\n    match: { kind: sql }\n    decision: deny\n    reason: r\n",
                        "policy.yaml:6:9: duplicate rule id `a` (first used at line 3, column 9)"),
                Arguments.of("bad decision",
                        HEAD + "  - id: a\n    match: { kind: sql }\n    decision: block\n",
                        "policy.yaml:5:15: `decision` must be allow or deny, got `block`"),
                Arguments.of("deny without reason",
                        HEAD + "  - id: a\n    match: { kind: sql }\n    decision: deny\n",
                        "policy.yaml:3:5: rule `a` denies, so it needs a `reason`"),
                Arguments.of("empty reason",
                        HEAD + "  - id: a\n    match: { kind: sql }\n    decision: deny\n    reason: \"  \"\n",
                        "policy.yaml:6:13: `reason` must not be empty"),
                Arguments.of("reason is a list",
                        HEAD + "  - id: a\n    match: { kind: sql }\n    decision: deny\n    reason: [x]\n",
                        "policy.yaml:6:13: `reason` must be a string, got a list"),
                // ---- match
                Arguments.of("match is a string",
                        HEAD + "  - id: a\n    match: sql\n    decision: allow\n",
                        "policy.yaml:4:12: `match` must be a mapping, got a string"),
                Arguments.of("missing kind",
                        HEAD + "  - id: a\n    match: { operation: SELECT }\n    decision: allow\n",
                        "policy.yaml:4:12: missing required key `kind` in `match` (known kinds: http, sql)"),
                Arguments.of("unknown kind",
                        HEAD + "  - id: a\n    match: { kind: ftp }\n    decision: allow\n",
                        "policy.yaml:4:20: unknown kind `ftp` (known: http, sql)"),
                Arguments.of("unknown match key",
                        HEAD + "  - id: a\n    match: { kind: sql, tables: [x] }\n    decision: allow\n",
                        "policy.yaml:4:25: unknown key `tables` in a sql match (expected one of: kind, operation, operation_not, table, table_not, agent, agent_not)"),
                Arguments.of("unknown operation",
                        "version: 1\nrules:\n  - id: no-ddl\n    decision: deny\n    reason: no\n    match:\n"
                                + "      kind: sql\n      operation: [DROP, DORP]\n",
                        "policy.yaml:8:25: unknown operation `DORP` (known: " + KNOWN_OPS + ")"),
                Arguments.of("unknown operation in operation_not",
                        HEAD + "  - id: a\n    match: { kind: sql, operation_not: selekt }\n    decision: allow\n",
                        "policy.yaml:4:40: unknown operation `selekt` (known: " + KNOWN_OPS + ")"),
                Arguments.of("unknown operation in a nested list",
                        HEAD + "  - id: a\n    match: { kind: sql, operation: [SELECT, [SHOW, SHOUT]] }\n    decision: allow\n",
                        "policy.yaml:4:52: unknown operation `SHOUT` (known: " + KNOWN_OPS + ")"),
                Arguments.of("empty list",
                        HEAD + "  - id: a\n    match: { kind: sql, table: [] }\n    decision: allow\n",
                        "policy.yaml:4:32: `table` must not be an empty list (remove the condition instead)"),
                Arguments.of("empty nested list",
                        HEAD + "  - id: a\n    match: { kind: sql, agent: [x, []] }\n    decision: allow\n",
                        "policy.yaml:4:36: `agent` must not be an empty list (remove the condition instead)"),
                Arguments.of("condition without a value",
                        HEAD + "  - id: a\n    match: { kind: sql, table: }\n    decision: allow\n",
                        "policy.yaml:4:31: `table` must be a string or a list of strings, got nothing (null)"),
                Arguments.of("condition is a mapping",
                        HEAD + "  - id: a\n    match: { kind: sql, agent: { id: x } }\n    decision: allow\n",
                        "policy.yaml:4:32: `agent` must be a string or a list of strings, got a mapping"),
                Arguments.of("kind is a list",
                        HEAD + "  - id: a\n    match: { kind: [sql] }\n    decision: allow\n",
                        "policy.yaml:4:20: `kind` must be a string, got a list"),
                // ---- kind: http
                Arguments.of("http: { kind: http, host: \"a.*.com\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"a.*.com\" }\n    decision: allow\n",
                        "policy.yaml:4:32: host pattern `a.*.com`: `*` may only stand for the leading labels, as in `*.example.com`"),
                Arguments.of("http: { kind: http, host: \"*\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"*\" }\n    decision: allow\n",
                        "policy.yaml:4:32: host pattern `*` matches every host; remove the condition instead"),
                Arguments.of("http: { kind: http, host: \"*.*.com\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"*.*.com\" }\n    decision: allow\n",
                        "policy.yaml:4:32: host pattern `*.*.com`: `*` may only stand for the leading labels, as in `*.example.com`"),
                Arguments.of("http: { kind: http, host: \"foo*.com\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"foo*.com\" }\n    decision: allow\n",
                        "policy.yaml:4:32: host pattern `foo*.com`: `*` may only stand for the leading labels, as in `*.example.com`"),
                Arguments.of("http: { kind: http, host: \"https://api.openai.com\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"https://api.openai.com\" }\n    decision: allow\n",
                        "policy.yaml:4:32: host pattern `https://api.openai.com` must be a host, not a url (e.g. `api.openai.com`; use `scheme`, `port` and `path` for the rest)"),
                Arguments.of("http: { kind: http, host: \"api.openai.com:443\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"api.openai.com:443\" }\n    decision: allow\n",
                        "policy.yaml:4:32: invalid host pattern `api.openai.com:443` (expected a host name, `*.suffix`, an ip address or a cidr range; a port goes in `port`)"),
                Arguments.of("http: { kind: http, host: \"\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"\" }\n    decision: allow\n",
                        "policy.yaml:4:32: empty host pattern"),
                Arguments.of("http: { kind: http, host_not: 10.0.0.0/33 }",
                        HEAD + "  - id: a\n    match: { kind: http, host_not: 10.0.0.0/33 }\n    decision: allow\n",
                        "policy.yaml:4:36: invalid cidr `10.0.0.0/33`: an ipv4 prefix length is 0 to 32"),
                Arguments.of("http: { kind: http, host_not: 10.0.0.1/8 }",
                        HEAD + "  - id: a\n    match: { kind: http, host_not: 10.0.0.1/8 }\n    decision: allow\n",
                        "policy.yaml:4:36: invalid cidr `10.0.0.1/8`: host bits are set (the range is `10.0.0.0/8`)"),
                Arguments.of("http: { kind: http, host: example.com/8 }",
                        HEAD + "  - id: a\n    match: { kind: http, host: example.com/8 }\n    decision: allow\n",
                        "policy.yaml:4:32: invalid cidr `example.com/8`: `example.com` is not an ip address (write ipv4 ranges as dotted quads, e.g. `10.0.0.0/8`)"),
                Arguments.of("http: { kind: http, host: 10.0.0.0/x }",
                        HEAD + "  - id: a\n    match: { kind: http, host: 10.0.0.0/x }\n    decision: allow\n",
                        "policy.yaml:4:32: invalid cidr `10.0.0.0/x`: the prefix length `x` is not a number"),
                Arguments.of("http: { kind: http, host: \"fd00::/129\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"fd00::/129\" }\n    decision: allow\n",
                        "policy.yaml:4:32: invalid cidr `fd00::/129`: an ipv6 prefix length is 0 to 128"),
                Arguments.of("http: { kind: http, host: \"fd00::1/8\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"fd00::1/8\" }\n    decision: allow\n",
                        "policy.yaml:4:32: invalid cidr `fd00::1/8`: host bits are set (the range is `fd00::/8`)"),
                Arguments.of("http: { kind: http, host: \"*.10.0.0.1\" }",
                        HEAD + "  - id: a\n    match: { kind: http, host: \"*.10.0.0.1\" }\n    decision: allow\n",
                        "policy.yaml:4:32: invalid host pattern `*.10.0.0.1` (`*.` must be followed by a host name, as in `*.example.com`)"),
                Arguments.of("http: { kind: http, method: [GET, GTE] }",
                        HEAD + "  - id: a\n    match: { kind: http, method: [GET, GTE] }\n    decision: allow\n",
                        "policy.yaml:4:40: unknown method `GTE` (known: CONNECT, DELETE, GET, HEAD, OPTIONS, PATCH, POST, PUT, TRACE)"),
                Arguments.of("http: { kind: http, scheme: ftp }",
                        HEAD + "  - id: a\n    match: { kind: http, scheme: ftp }\n    decision: allow\n",
                        "policy.yaml:4:34: unknown scheme `ftp` (known: http, https, ws, wss)"),
                Arguments.of("http: { kind: http, port: 0 }",
                        HEAD + "  - id: a\n    match: { kind: http, port: 0 }\n    decision: allow\n",
                        "policy.yaml:4:32: `port` must be a port number from 1 to 65535, got a number `0`"),
                Arguments.of("http: { kind: http, port_not: \"443\" }",
                        HEAD + "  - id: a\n    match: { kind: http, port_not: \"443\" }\n    decision: allow\n",
                        "policy.yaml:4:36: `port_not` must be a port number from 1 to 65535, got a string `443`"),
                Arguments.of("http: { kind: http, port: [443, 70000] }",
                        HEAD + "  - id: a\n    match: { kind: http, port: [443, 70000] }\n    decision: allow\n",
                        "policy.yaml:4:38: `port` must be a port number from 1 to 65535, got a number `70000`"),
                Arguments.of("http: { kind: http, path: v1/* }",
                        HEAD + "  - id: a\n    match: { kind: http, path: v1/* }\n    decision: allow\n",
                        "policy.yaml:4:32: path pattern `v1/*` must start with `/` (or `*`)"),
                Arguments.of("http: { kind: http, path: \"/v1?x=1\" }",
                        HEAD + "  - id: a\n    match: { kind: http, path: \"/v1?x=1\" }\n    decision: allow\n",
                        "policy.yaml:4:32: path pattern `/v1?x=1` must not contain `?`: the path is matched without the query"),
                Arguments.of("http: { kind: http, model: \" \" }",
                        HEAD + "  - id: a\n    match: { kind: http, model: \" \" }\n    decision: allow\n",
                        "policy.yaml:4:33: empty model pattern"),
                Arguments.of("http: { kind: http, cost_usd: 0.5 }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: 0.5 }\n    decision: allow\n",
                        "policy.yaml:4:36: `cost_usd` must be a mapping such as `{ gt: 0.50 }`, got a number"),
                Arguments.of("http: { kind: http, cost_usd: { gt: cheap } }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: { gt: cheap } }\n    decision: allow\n",
                        "policy.yaml:4:42: `gt` must be a number (us dollars), got a string `cheap`"),
                Arguments.of("http: { kind: http, cost_usd: { above: 1 } }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: { above: 1 } }\n    decision: allow\n",
                        "policy.yaml:4:38: unknown key `above` in `cost_usd` (expected one of: gt, gte, lt, lte)"),
                Arguments.of("http: { kind: http, cost_usd: {} }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: {} }\n    decision: allow\n",
                        "policy.yaml:4:36: `cost_usd` needs at least one of: gt, gte, lt, lte"),
                Arguments.of("http: { kind: http, cost_usd: { gt: 1, gte: 2 } }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: { gt: 1, gte: 2 } }\n    decision: allow\n",
                        "policy.yaml:4:45: `cost_usd` may have only one of `gt` and `gte`"),
                Arguments.of("http: { kind: http, cost_usd: { gt: 1, lt: 1 } }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: { gt: 1, lt: 1 } }\n    decision: allow\n",
                        "policy.yaml:4:36: `cost_usd` can never hold (no cost is more than 1 and less than 1)"),
                Arguments.of("http: { kind: http, cost_usd: { gt: -1 } }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: { gt: -1 } }\n    decision: allow\n",
                        "policy.yaml:4:42: `gt` must be a finite amount of us dollars, at least 0, got `-1`"),
                Arguments.of("http: { kind: http, cost_usd: { gt: .inf } }",
                        HEAD + "  - id: a\n    match: { kind: http, cost_usd: { gt: .inf } }\n    decision: allow\n",
                        "policy.yaml:4:42: `gt` must be a finite amount of us dollars, at least 0, got `.inf`"),
                Arguments.of("http: { kind: http, table: x }",
                        HEAD + "  - id: a\n    match: { kind: http, table: x }\n    decision: allow\n",
                        "policy.yaml:4:26: `table` is a condition of kind sql, not of kind http (expected one of: kind, host, host_not, method, method_not, scheme, scheme_not, port, port_not, path, path_not, model, model_not, cost_usd, agent, agent_not)"),
                Arguments.of("http: { kind: sql, host: x }",
                        HEAD + "  - id: a\n    match: { kind: sql, host: x }\n    decision: allow\n",
                        "policy.yaml:4:25: `host` is a condition of kind http, not of kind sql (expected one of: kind, operation, operation_not, table, table_not, agent, agent_not)"),
                Arguments.of("http: { kind: http, hosts: x }",
                        HEAD + "  - id: a\n    match: { kind: http, hosts: x }\n    decision: allow\n",
                        "policy.yaml:4:26: unknown key `hosts` in an http match (expected one of: kind, host, host_not, method, method_not, scheme, scheme_not, port, port_not, path, path_not, model, model_not, cost_usd, agent, agent_not)"),
                Arguments.of("http: { kind: http, host: [] }",
                        HEAD + "  - id: a\n    match: { kind: http, host: [] }\n    decision: allow\n",
                        "policy.yaml:4:32: `host` must not be an empty list (remove the condition instead)"),
                // ---- patterns
                Arguments.of("double quote in a table pattern",
                        HEAD + "  - id: a\n    match: { kind: sql, table: '\"hr\".payroll' }\n    decision: allow\n",
                        "policy.yaml:4:32: table pattern `\"hr\".payroll` must not contain quotes (`\"`); write names unquoted, e.g. `hr.payroll`"),
                Arguments.of("backtick in a table pattern",
                        HEAD + "  - id: a\n    match: { kind: sql, table: [ok, '`payroll`'] }\n    decision: allow\n",
                        "policy.yaml:4:37: table pattern ``payroll`` must not contain quotes (backtick); write names unquoted, e.g. `hr.payroll`"),
                Arguments.of("brackets in a table pattern",
                        HEAD + "  - id: a\n    match: { kind: sql, table: \"[dbo].[users]\" }\n    decision: allow\n",
                        "policy.yaml:4:32: table pattern `[dbo].[users]` must not contain quotes (`[`); write names unquoted, e.g. `hr.payroll`"),
                Arguments.of("quote in an agent pattern",
                        HEAD + "  - id: a\n    match: { kind: sql, agent_not: '\"bot\"' }\n    decision: allow\n",
                        "policy.yaml:4:36: agent pattern `\"bot\"` must not contain quotes (`\"`); write names unquoted, e.g. `reporting-*`"),
                Arguments.of("empty pattern",
                        HEAD + "  - id: a\n    match: { kind: sql, table: [x, \"\"] }\n    decision: allow\n",
                        "policy.yaml:4:36: empty table pattern"),
                Arguments.of("empty name part",
                        HEAD + "  - id: a\n    match: { kind: sql, table: hr. }\n    decision: allow\n",
                        "policy.yaml:4:32: table pattern `hr.` has an empty name part"),
                Arguments.of("empty name part in an agent pattern",
                        HEAD + "  - id: a\n    match: { kind: sql, agent: a..b }\n    decision: allow\n",
                        "policy.yaml:4:32: agent pattern `a..b` has an empty name part"),
                Arguments.of("too many name parts",
                        HEAD + "  - id: a\n    match: { kind: sql, table_not: a.b.c.d }\n    decision: allow\n",
                        "policy.yaml:4:36: table pattern `a.b.c.d` has 4 name parts (at most 3: catalog.schema.table)"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("errors")
    void reportsTheFirstErrorWithItsPosition(String name, String yaml, String message) {
        PolicyException e = Policies.error(yaml);
        assertThat(e.getMessage()).isEqualTo(message);
        assertThat(e.file()).isEqualTo("policy.yaml");
        assertThat(e.getMessage()).startsWith("policy.yaml:" + e.line() + ":" + e.column() + ": " + e.problem());
        assertThat(e.line()).isPositive();
        assertThat(e.column()).isPositive();
    }

    @Test
    void theFirstOfSeveralErrorsIsReported() {
        String yaml = HEAD
                + "  - id: a\n    match: { kind: sql, operation: SELEC }\n    decision: allow\n"
                + "  - id: A\n    match: { kind: sql }\n    decision: allow\n";
        assertThat(Policies.error(yaml).getMessage()).startsWith("policy.yaml:4:36: unknown operation `SELEC`");
    }

    @Test
    void aControlCharacterIsReportedWithItsPosition() {
        PolicyException e = Policies.error("version: 1\nmode: en\u0001force\n");
        assertThat(e.getMessage()).isEqualTo("policy.yaml:2:9: invalid yaml: character U+0001 is not allowed");
    }

    @Test
    void aRecursiveAliasIsAnError() {
        PolicyException e = Policies.error("version: 1\nrules: &r [*r]\n");
        assertThat(e.line()).isEqualTo(2);
        assertThat(e.problem()).isEqualTo("an alias refers to a node that contains it (recursive alias)");
    }

    @Test
    void anAliasBombIsRefused() {
        StringBuilder sb = new StringBuilder("version: 1\n");
        sb.append("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 7; i++) {
            sb.append("a").append(i).append(": &a").append(i).append(" [");
            for (int j = 0; j < 7; j++) {
                sb.append(j > 0 ? ", " : "").append("*a").append(i - 1);
            }
            sb.append("]\n");
        }
        PolicyException e = Policies.error(sb.toString());
        assertThat(e.problem()).startsWith("the policy is too large");
    }
}
