package io.agentid.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Scale, robustness and contract tests that do not fit the corpus format. */
class SqlAnalyzerTest {

    private static SqlStatement st(String op, String... tables) {
        return new SqlStatement(op, List.of(tables), null);
    }

    // ------------------------------------------------------------------------------------------------ inputs

    @Test
    void nullAndEmptyAreNotAnalysable() {
        for (String sql : new String[] {null, "", "   ", "\n\t", "-- x", "/* x */", ";", " ; ; "}) {
            SqlAnalysis a = SqlAnalyzer.analyze(sql);
            assertThat(a.analysable()).as(String.valueOf(sql)).isFalse();
            assertThat(a.problem()).isEqualTo("no sql statement");
            assertThat(a.statements()).isEmpty();
            assertThat(a.sanitized()).isNotNull();
        }
    }

    @Test
    void byteOrderMarkIsWhitespace() {
        SqlAnalysis a = SqlAnalyzer.analyze("\uFEFFDROP TABLE t");
        assertThat(a.statements()).containsExactly(st("DROP", "t"));
        assertThat(a.sanitized()).isEqualTo("DROP TABLE t");
    }

    // ------------------------------------------------------------------------------------------------ scale

    @Test
    void longGeneratedQueryWithTenThousandTokens() {
        StringBuilder sb = new StringBuilder("SELECT ");
        for (int i = 0; i < 1500; i++) {
            sb.append(i == 0 ? "" : ", ").append("t").append(i % 50).append(".c").append(i).append(" + ").append(i);
        }
        sb.append(" FROM t0");
        for (int i = 1; i < 50; i++) {
            sb.append(" JOIN s").append(i % 3).append(".t").append(i).append(" ON t").append(i).append(".id = t0.id");
        }
        sb.append(" WHERE x IN (");
        for (int i = 0; i < 2000; i++) {
            sb.append(i == 0 ? "" : ", ").append(i);
        }
        sb.append(")");
        String sql = sb.toString();
        SqlLexer lx = new SqlLexer(sql, SqlLexer.ANSI).lex();
        assertThat(lx.n).isGreaterThan(10_000);

        SqlAnalysis a = SqlAnalyzer.analyze(sql);
        assertThat(a.problem()).isNull();
        assertThat(a.statements()).hasSize(1);
        List<String> expected = new ArrayList<>();
        expected.add("t0");
        for (int i = 1; i < 50; i++) {
            expected.add("s" + (i % 3) + ".t" + i);
        }
        assertThat(a.statements().get(0).tables()).containsExactlyElementsOf(expected);
        assertThat(a.sanitized()).doesNotContain("1999").contains("x IN (?, ?, ?").contains("t49.c1499 + ?");
    }

    @Test
    void deepNestingDoesNotOverflowTheStack() {
        int depth = 20_000;
        String sql = "SELECT " + "(".repeat(depth) + "1" + ")".repeat(depth) + " FROM t";
        SqlAnalysis a = SqlAnalyzer.analyze(sql);
        assertThat(a.problem()).isNull();
        assertThat(a.statements()).containsExactly(st("SELECT", "t"));

        StringBuilder sb = new StringBuilder();
        int subqueries = 5_000;
        for (int i = 0; i < subqueries; i++) {
            sb.append("SELECT * FROM (");
        }
        sb.append("SELECT * FROM innermost");
        for (int i = 0; i < subqueries; i++) {
            sb.append(") q").append(i);
        }
        a = SqlAnalyzer.analyze(sb.toString());
        assertThat(a.problem()).isNull();
        assertThat(a.statements()).containsExactly(st("SELECT", "innermost"));
    }

    @Test
    void deepNestingOfCtesAndUnbalancedParentheses() {
        String open = "WITH a AS (".repeat(2_000);
        String sql = open + "SELECT * FROM real_t" + ") SELECT * FROM a".repeat(2_000);
        SqlAnalysis a = SqlAnalyzer.analyze(sql);
        assertThat(a.problem()).isNull();
        assertThat(a.statements()).containsExactly(st("SELECT", "real_t"));

        a = SqlAnalyzer.analyze("SELECT * FROM t WHERE " + "(".repeat(10_000));
        assertThat(a.statements()).containsExactly(st("SELECT", "t"));
        a = SqlAnalyzer.analyze(")".repeat(10_000) + "DROP TABLE t");
        assertThat(a.analysable()).isFalse();
    }

    @Test
    void manyStatements() {
        String sql = IntStream.range(0, 5_000).mapToObj(i -> "DELETE FROM t" + i).collect(Collectors.joining(";\n"));
        SqlAnalysis a = SqlAnalyzer.analyze(sql);
        assertThat(a.statements()).hasSize(5_000);
        assertThat(a.statements().get(4_999)).isEqualTo(st("DELETE", "t4999"));
    }

    @Test
    void longLiteralsAndComments() {
        String secret = "s3cr3t".repeat(50_000);
        SqlAnalysis a = SqlAnalyzer.analyze("/* " + secret + " */ SELECT '" + secret + "', $$" + secret + "$$ FROM t -- " + secret);
        assertThat(a.statements()).containsExactly(st("SELECT", "t"));
        assertThat(a.sanitized()).isEqualTo("SELECT ?, ? FROM t");
    }

    // ------------------------------------------------------------------------------------------------ robustness

    private static final String[] PIECES = {
        "SELECT", "FROM", "WHERE", "JOIN", "ON", "WITH", "AS", "(", ")", ",", ";", ".", "'", "\"", "`", "[", "]",
        "$$", "$a$", "--", "\n", "/*", "*/", "#", "\\", "E'", "q'[", "x", "t1", "hr", "1", "1.5e3", "?", ":p", "$1",
        "@v", "INSERT", "INTO", "VALUES", "UPDATE", "SET", "DELETE", "MERGE", "USING", "DROP", "TABLE", "CREATE",
        "BEGIN", "END", "CASE", "EXPLAIN", "RECURSIVE", "UNION", "=", "*", "{", "}", "/*!", "::", " ", " ", " ",
        "TRIGGER", "PROCEDURE", "LATERAL", "TABLE(", "DO", "GRANT", "ALTER", "\u00a0", "\u0000", "é", "ß"
    };

    @Test
    void neverThrowsOnRandomInput() {
        Random r = new Random(20240611L);
        for (int n = 0; n < 4_000; n++) {
            StringBuilder sb = new StringBuilder();
            int len = 1 + r.nextInt(40);
            for (int i = 0; i < len; i++) {
                sb.append(PIECES[r.nextInt(PIECES.length)]);
                if (r.nextInt(3) == 0) {
                    sb.append(' ');
                }
            }
            checkContract(sb.toString());
        }
        for (int n = 0; n < 2_000; n++) {
            char[] cs = new char[1 + r.nextInt(60)];
            for (int i = 0; i < cs.length; i++) {
                cs[i] = (char) (r.nextBoolean() ? 32 + r.nextInt(95) : r.nextInt(0x3000));
            }
            checkContract(new String(cs));
        }
    }

    @Test
    void neverThrowsOnAnyPrefixOfTheCorpus() throws IOException {
        for (SqlCorpusTest.Case c : SqlCorpusTest.load()) {
            String sql = c.sql();
            for (int i = 0; i <= sql.length(); i++) {
                checkContract(sql.substring(0, i));
                checkContract(sql.substring(i));
            }
        }
    }

    private static void checkContract(String sql) {
        SqlAnalysis a = SqlAnalyzer.analyze(sql);
        assertThat(a).isNotNull();
        assertThat(a.sanitized()).as(sql).isNotNull();
        assertThat(a.sanitized()).as(sql).isEqualTo(a.sanitized().trim());
        if (a.problem() == null) {
            assertThat(a.statements()).as(sql).isNotEmpty();
            assertThat(a.problem()).isNull();
        } else {
            assertThat(a.problem()).as(sql).isNotBlank();
            assertThat(a.problem()).as(sql).doesNotStartWith("internal error");
            assertThat(a.statements()).as(sql).isEmpty();
        }
        for (SqlStatement s : a.statements()) {
            assertThat(SqlAnalyzer.OPERATIONS).as(sql).contains(s.operation());
            assertThat(s.tables()).as(sql).doesNotHaveDuplicates().allSatisfy(t -> {
                assertThat(t).isNotEmpty();
                assertThat(t).isEqualTo(t.toLowerCase(Locale.ROOT));
            });
        }
    }

    // ------------------------------------------------------------------------------------------------ metamorphic

    @Test
    void keywordCaseNeverChangesTheResult() throws IOException {
        for (SqlCorpusTest.Case c : SqlCorpusTest.load()) {
            SqlAnalysis a = SqlAnalyzer.analyze(c.sql());
            for (String variant : new String[] {c.sql().toUpperCase(Locale.ROOT), c.sql().toLowerCase(Locale.ROOT)}) {
                SqlAnalysis b = SqlAnalyzer.analyze(variant);
                assertThat(b.statements()).as(c.name() + ": " + variant).isEqualTo(a.statements());
                assertThat(b.analysable()).as(c.name() + ": " + variant).isEqualTo(a.analysable());
            }
        }
    }

    @Test
    void commentsBetweenTokensNeverHideAnything() {
        // every space of these statements replaced by a comment, a newline comment, or a run of odd whitespace
        String[] sqls = {
            "SELECT a FROM hr.payroll p JOIN hr.bonus b ON p.id = b.id WHERE x IN (SELECT y FROM audit)",
            "DELETE FROM users WHERE id IN (SELECT id FROM banned) ; DROP TABLE secrets",
            "WITH d AS (DELETE FROM old RETURNING *) INSERT INTO archive SELECT * FROM d",
            "UPDATE t SET a = 1 FROM u WHERE t.id = u.id",
            "MERGE INTO tgt USING src ON tgt.id = src.id WHEN MATCHED THEN DELETE",
            "GRANT SELECT ON hr.payroll TO bob",
        };
        String[] separators = {"/**/", "/* x */", "-- c\n", "\n\t \r\n", "\u00a0", "/* a /* b */ c */"};
        for (String sql : sqls) {
            SqlAnalysis base = SqlAnalyzer.analyze(sql);
            assertThat(base.analysable()).isTrue();
            for (String sep : separators) {
                SqlAnalysis a = SqlAnalyzer.analyze(sql.replace(" ", sep));
                if (sep.startsWith("/* a /*")) {
                    // MySQL and SQLite do not nest comments: they read "c */" as code, and the text fails closed
                    // as soon as that makes a statement start with "c"
                    if (!a.analysable()) {
                        assertThat(a.problem()).isIn("unknown statement `C`", "unparsable with clause");
                        continue;
                    }
                } else {
                    assertThat(a.analysable()).as(sep + " in " + sql).isTrue();
                }
                for (SqlStatement s : base.statements()) {
                    assertThat(a.statements()).as(sep + " in " + sql).contains(s);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------ sanitisation

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT * FROM t WHERE a = '%s'",
        "SELECT * FROM t WHERE a = E'%s'",
        "SELECT * FROM t WHERE a = N'%s'",
        "SELECT * FROM t WHERE a = $$%s$$",
        "SELECT * FROM t WHERE a = $q$%s$q$",
        "SELECT * FROM t WHERE a = q'[%s]'",
        "SELECT * FROM t WHERE a = \"%s\"",
        "INSERT INTO t VALUES ('%s', \"%s\")",
        "UPDATE t SET a = '%s' WHERE b LIKE '%%%s%%'",
        "SELECT * FROM t WHERE a IN ('%s', '%s') -- %s",
        "SELECT * FROM t /* %s */ WHERE a = '%s'",
        "SELECT * FROM t WHERE a = '%s\\' OR b = '%s'",
        "CALL p('%s')",
        "SELECT * FROM t WHERE a = X'%s'",
    })
    void noLiteralSurvives(String template) {
        for (String secret : new String[] {"hunter2", "4111111111111111", "O''Brien", "a;b", "x -- y", "z/*w"}) {
            String value = template.contains("X'") ? "4111111111111111" : secret;
            String sql = template.replace("%s", value);
            SqlAnalysis a = SqlAnalyzer.analyze(sql);
            assertThat(a.sanitized()).as(sql).doesNotContain("hunter2").doesNotContain("4111").doesNotContain("Brien")
                    .doesNotContain("a;b").doesNotContain(" y").doesNotContain("w");
        }
    }

    @Test
    void numbersAreSanitizedButNotIdentifierDigits() {
        SqlAnalysis a = SqlAnalyzer.analyze("SELECT t1.c2, 3, -4, 5.5, 6e7, 0x8, .9 FROM t10 WHERE c11 = 12 LIMIT 13");
        assertThat(a.sanitized()).isEqualTo("SELECT t1.c2, ?, -?, ?, ?, ?, ? FROM t10 WHERE c11 = ? LIMIT ?");
    }

    // ------------------------------------------------------------------------------------------------ contract

    @Test
    void everyOperationCanBeReported() {
        Map<String, String> samples = Map.ofEntries(
                Map.entry("SELECT", "SELECT 1"), Map.entry("INSERT", "INSERT INTO t VALUES (1)"),
                Map.entry("UPDATE", "UPDATE t SET a = 1"), Map.entry("DELETE", "DELETE FROM t"),
                Map.entry("MERGE", "MERGE INTO t USING u ON true WHEN MATCHED THEN DELETE"),
                Map.entry("UPSERT", "UPSERT INTO t VALUES (1)"), Map.entry("REPLACE", "REPLACE INTO t VALUES (1)"),
                Map.entry("CREATE", "CREATE TABLE t (a int)"), Map.entry("DROP", "DROP TABLE t"),
                Map.entry("ALTER", "ALTER TABLE t ADD b int"), Map.entry("TRUNCATE", "TRUNCATE t"),
                Map.entry("RENAME", "RENAME TABLE a TO b"), Map.entry("COMMENT", "COMMENT ON TABLE t IS 'x'"),
                Map.entry("GRANT", "GRANT SELECT ON t TO u"), Map.entry("REVOKE", "REVOKE SELECT ON t FROM u"),
                Map.entry("CALL", "CALL p()"), Map.entry("EXECUTE", "EXECUTE p"), Map.entry("DO", "DO $$ $$"),
                Map.entry("SET", "SET x = 1"), Map.entry("USE", "USE db"), Map.entry("SHOW", "SHOW TABLES"),
                Map.entry("DESCRIBE", "DESCRIBE t"), Map.entry("EXPLAIN", "EXPLAIN t"), Map.entry("VALUES", "VALUES (1)"),
                Map.entry("BEGIN", "BEGIN"), Map.entry("START", "START TRANSACTION"), Map.entry("COMMIT", "COMMIT"),
                Map.entry("ROLLBACK", "ROLLBACK"), Map.entry("SAVEPOINT", "SAVEPOINT s"),
                Map.entry("RELEASE", "RELEASE SAVEPOINT s"), Map.entry("LOCK", "LOCK TABLE t"),
                Map.entry("COPY", "COPY t TO STDOUT"), Map.entry("VACUUM", "VACUUM"), Map.entry("ANALYZE", "ANALYZE t"),
                Map.entry("REFRESH", "REFRESH MATERIALIZED VIEW v"), Map.entry("PRAGMA", "PRAGMA foreign_keys = ON"),
                Map.entry("ATTACH", "ATTACH DATABASE 'f' AS x"), Map.entry("DETACH", "DETACH DATABASE x"),
                Map.entry("BACKUP", "BACKUP TO 'f.zip'"), Map.entry("SCRIPT", "SCRIPT"),
                Map.entry("RUNSCRIPT", "RUNSCRIPT FROM 'f.sql'"));
        assertThat(samples.keySet()).containsExactlyInAnyOrderElementsOf(SqlAnalyzer.OPERATIONS);
        samples.forEach((op, sql) -> assertThat(SqlAnalyzer.analyze(sql).statements().get(0).operation()).as(sql).isEqualTo(op));
    }

    @Test
    void everyKeywordTheScannerActsOnIsKnown() {
        // the scanner only consults keyword sets for tokens the lexer marked as known keywords
        for (String w : SqlParser.GENERAL) {
            for (String v : new String[] {w, w.toUpperCase(Locale.ROOT), Character.toUpperCase(w.charAt(0)) + w.substring(1)}) {
                SqlLexer lx = new SqlLexer(v, SqlLexer.ANSI).lex();
                assertThat(lx.kw[0]).as(v).isTrue();
                assertThat(lx.text[0]).isSameAs(w);
            }
        }
        SqlLexer lx = new SqlLexer("payroll \u017fELECT", SqlLexer.ANSI).lex();
        assertThat(lx.kw[0]).isFalse();
        assertThat(lx.text[1]).isNotEqualTo("select"); // no Unicode case folding into keywords
    }

    @Test
    void resultIsImmutable() {
        SqlAnalysis a = SqlAnalyzer.analyze("SELECT * FROM a, b");
        assertThat(a.statements()).isUnmodifiable();
        assertThat(a.statements().get(0).tables()).isUnmodifiable();
    }

    @Test
    void isStatelessAcrossThreads() throws Exception {
        String[] sqls = {"SELECT * FROM a JOIN b ON true", "WITH x AS (SELECT * FROM c) DELETE FROM d", "DROP TABLE e; USE f"};
        List<SqlAnalysis> expected = new ArrayList<>();
        for (String s : sqls) {
            expected.add(SqlAnalyzer.analyze(s));
        }
        Thread[] threads = new Thread[4];
        List<Throwable> errors = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int t = 0; t < threads.length; t++) {
            threads[t] = new Thread(() -> {
                try {
                    for (int i = 0; i < 2_000; i++) {
                        int k = i % sqls.length;
                        assertThat(SqlAnalyzer.analyze(sqls[k])).isEqualTo(expected.get(k));
                    }
                } catch (Throwable e) {
                    errors.add(e);
                }
            });
            threads[t].start();
        }
        for (Thread t : threads) {
            t.join();
        }
        assertThat(errors).isEmpty();
    }
}
