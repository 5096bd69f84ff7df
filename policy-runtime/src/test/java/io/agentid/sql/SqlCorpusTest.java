package io.agentid.sql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The named corpus of {@code sql/corpus.txt}: every case asserts statements (or problem) and the sanitized text exactly. */
class SqlCorpusTest {

    record Case(String name, String sql, List<SqlStatement> statements, String problem, String sanitized, int line) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static final Pattern STATEMENT = Pattern.compile("([A-Z]+) \\[(.*)](?: schema=(.+))?");
    private static final Pattern CHAR = Pattern.compile("\\{U\\+([0-9A-Fa-f]{4})}");

    static List<Case> load() throws IOException {
        String file;
        try (InputStream in = SqlCorpusTest.class.getResourceAsStream("/sql/corpus.txt")) {
            file = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        List<Case> cases = new ArrayList<>();
        String[] lines = file.split("\n", -1);
        int i = 0;
        while (i < lines.length) {
            String line = lines[i];
            if (!line.startsWith("=== ")) {
                i++;
                continue;
            }
            int at = i + 1;
            String name = line.substring(4).trim();
            i++;
            StringBuilder sql = new StringBuilder();
            while (i < lines.length && !lines[i].startsWith("--> ")) {
                if (sql.length() > 0) {
                    sql.append('\n');
                }
                sql.append(lines[i]);
                i++;
            }
            List<SqlStatement> statements = new ArrayList<>();
            String problem = null;
            String sanitized = null;
            while (i < lines.length && lines[i].startsWith("--> ")) {
                String e = lines[i].substring(4);
                if (e.startsWith("problem: ")) {
                    problem = e.substring("problem: ".length());
                } else if (e.startsWith("sanitized:")) {
                    sanitized = e.substring("sanitized:".length()).trim();
                } else {
                    Matcher m = STATEMENT.matcher(e);
                    if (!m.matches()) {
                        throw new IllegalStateException("line " + (i + 1) + ": bad expectation " + e);
                    }
                    List<String> tables = m.group(2).isEmpty() ? List.of() : List.of(m.group(2).split(", "));
                    statements.add(new SqlStatement(m.group(1), tables, m.group(3)));
                }
                i++;
            }
            String text = unescape(sql.toString());
            if (sanitized == null) {
                throw new IllegalStateException("line " + at + ": case `" + name + "` has no sanitized expectation");
            }
            if ("(same)".equals(sanitized)) {
                sanitized = text;
            }
            cases.add(new Case(name, text, statements, problem, sanitized, at));
        }
        return cases;
    }

    private static String unescape(String s) {
        Matcher m = CHAR.matcher(s);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement(String.valueOf((char) Integer.parseInt(m.group(1), 16))));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static Stream<Arguments> cases() throws IOException {
        return load().stream().map(c -> Arguments.of(c));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpus(Case c) {
        SqlAnalysis a = SqlAnalyzer.analyze(c.sql());
        String where = "corpus line " + c.line() + ": " + c.name();
        assertThat(a.problem()).as(where + " (problem)").isEqualTo(c.problem());
        assertThat(a.statements()).as(where + " (statements)").containsExactlyElementsOf(c.statements());
        assertThat(a.sanitized()).as(where + " (sanitized)").isEqualTo(c.sanitized());
        assertThat(a.analysable()).isEqualTo(c.problem() == null);
        if (c.problem() == null) {
            assertThat(a.statements()).as(where).isNotEmpty();
        }
        for (SqlStatement s : a.statements()) {
            assertThat(SqlAnalyzer.OPERATIONS).as(where).contains(s.operation());
        }
    }

    @Test
    void corpusIsLargeAndNamesAreUnique() throws IOException {
        List<Case> cases = load();
        assertThat(cases).hasSizeGreaterThanOrEqualTo(80);
        assertThat(cases.stream().map(Case::name).distinct().count()).isEqualTo(cases.size());
    }
}
