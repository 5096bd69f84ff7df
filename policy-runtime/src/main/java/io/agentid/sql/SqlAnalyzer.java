package io.agentid.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Finds the operations and tables of SQL text without a database: a dialect-tolerant lexer and a shallow
 * parser, good enough that comments, case, quoting and whitespace cannot hide an operation or a table.
 * Thread-safe and stateless; callers cache results per text.
 *
 * <p><b>Dialects.</b> The text is lexed the standard way (PostgreSQL, H2, SQLite, SQL Server, Oracle, DB2 agree
 * on it). Where the text contains something the major databases lex differently (a backslash inside a literal,
 * {@code #}, {@code --x}, {@code /*!}, a comment inside a comment, Oracle's {@code q'[..]'}), it is lexed again
 * the way those databases do (MySQL; non-nesting comments; Oracle), and the statements of every reading a
 * database could accept are reported together. A reading whose literals or comments do not terminate is
 * dropped: a database that reads the text that way rejects it. So hiding a statement from one dialect inside
 * what another dialect sees as a literal or a comment does not work.
 *
 * <p><b>Statements.</b> One {@link SqlStatement} per statement of the text, in order. A data-modifying statement
 * nested in another one (a {@code DELETE} in a {@code WITH} clause, the body of a {@code DO} block, of a trigger
 * or routine definition, or {@code SELECT ... INTO t}, which creates {@code t}) is reported as an extra statement
 * right after the one containing it, with the tables it touches, so that a rule on its operation applies.
 *
 * <p><b>Tables.</b> When unsure the analyser reports a name that may not be a table rather than miss one.
 */
public final class SqlAnalyzer {

    /** Every operation the analyser can report, and so every operation a policy may name. */
    public static final Set<String> OPERATIONS = Set.of(
            "SELECT", "INSERT", "UPDATE", "DELETE", "MERGE", "UPSERT", "REPLACE",
            "CREATE", "DROP", "ALTER", "TRUNCATE", "RENAME", "COMMENT",
            "GRANT", "REVOKE",
            "CALL", "EXECUTE", "DO",
            "SET", "USE", "SHOW", "DESCRIBE", "EXPLAIN", "VALUES",
            "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE",
            "LOCK", "COPY", "VACUUM", "ANALYZE", "REFRESH", "PRAGMA", "ATTACH", "DETACH", "BACKUP", "SCRIPT", "RUNSCRIPT");

    static {
        SqlParser.init(); // builds the lexer's keyword table completely before any analysis runs
    }

    private SqlAnalyzer() {}

    /** Analyses {@code sql}; never throws, a text it cannot understand yields a non-null {@link SqlAnalysis#problem()}. */
    public static SqlAnalysis analyze(String sql) {
        if (sql == null) {
            return new SqlAnalysis(List.of(), "", "no sql statement");
        }
        try {
            return run(sql);
        } catch (RuntimeException | StackOverflowError e) {
            return new SqlAnalysis(List.of(), "", "internal error: " + e.getClass().getSimpleName());
        }
    }

    /** One reading of the text under one lexical dialect. */
    private static final class Reading {
        final SqlLexer lexer;
        final String sanitized;
        final SqlParser parser; // null when the lexer failed

        Reading(String sql, int mode) {
            lexer = new SqlLexer(sql, mode).lex();
            sanitized = lexer.sanitized();
            parser = lexer.problem == null ? new SqlParser(lexer, 0, false, mode == SqlLexer.MYSQL).parse() : null;
        }

        boolean lexical() {
            return parser == null;
        }

        String problem() {
            if (parser == null) {
                return lexer.problem;
            }
            if (parser.kind == SqlParser.EMPTY) {
                return "no sql statement";
            }
            return parser.problem;
        }

        SqlAnalysis toAnalysis() {
            String p = problem();
            return p == null
                    ? new SqlAnalysis(parser.statements, sanitized, null)
                    : new SqlAnalysis(List.of(), sanitized, p);
        }
    }

    private static SqlAnalysis run(String sql) {
        Reading ansi = new Reading(sql, SqlLexer.ANSI);
        int t = ansi.lexer.triggers;
        if (t == 0) {
            return ansi.toAnalysis();
        }
        List<Reading> all = new ArrayList<>(4);
        all.add(ansi);
        if ((t & (SqlLexer.T_MYSQL | SqlLexer.T_FLAT)) != 0) {
            all.add(new Reading(sql, SqlLexer.MYSQL));
        }
        if ((t & SqlLexer.T_FLAT) != 0) {
            all.add(new Reading(sql, SqlLexer.FLAT));
        }
        if ((t & SqlLexer.T_ORACLE) != 0) {
            all.add(new Reading(sql, SqlLexer.ORACLE));
        }
        return combine(all);
    }

    /**
     * The union of the readings a database could accept. Readings that do not lex are ignored (a database that
     * lexes that way rejects the text); an unknown statement in any remaining reading makes the text
     * unanalysable; a statement starting with a non-keyword is a syntax error in that reading, which ends it.
     */
    private static SqlAnalysis combine(List<Reading> all) {
        Reading first = all.get(0);
        List<Reading> valid = new ArrayList<>(all.size());
        for (Reading r : all) {
            if (!r.lexical()) {
                valid.add(r);
            }
        }
        if (valid.isEmpty()) {
            return first.toAnalysis();
        }
        // the text of the first reading a database could accept (else the standard one), without anything another
        // valid reading takes for a literal
        Reading base = first;
        for (Reading r : valid) {
            if (r.parser.kind == SqlParser.OK || r.parser.kind == SqlParser.EMPTY) {
                base = r;
                break;
            }
        }
        String sanitized = base.sanitized;
        if (valid.size() > 1 || !valid.contains(base)) {
            boolean[] mask = new boolean[first.lexer.sql.length()];
            for (Reading r : valid) {
                if (r != base) {
                    r.lexer.markLiterals(mask);
                }
            }
            sanitized = base.lexer.sanitized(mask);
        }
        boolean acceptable = false;
        for (Reading r : valid) {
            if (r.parser.kind == SqlParser.UNKNOWN) {
                return new SqlAnalysis(List.of(), sanitized, r.parser.problem);
            }
            if (r.parser.kind == SqlParser.OK || r.parser.kind == SqlParser.EMPTY) {
                acceptable = true;
            }
        }
        if (!acceptable) {
            return new SqlAnalysis(List.of(), sanitized, first.problem()); // the standard reading's reason
        }
        List<SqlStatement> union = new ArrayList<>();
        for (Reading r : valid) {
            for (SqlStatement s : r.parser.statements) {
                if (covers(union, s)) {
                    continue;
                }
                int weaker = -1;
                for (int i = 0; i < union.size() && weaker < 0; i++) {
                    if (covers(List.of(s), union.get(i))) {
                        weaker = i;
                    }
                }
                if (weaker >= 0) {
                    union.set(weaker, s);
                } else {
                    union.add(s);
                }
            }
        }
        if (union.isEmpty()) {
            return new SqlAnalysis(List.of(), sanitized, "no sql statement");
        }
        return new SqlAnalysis(union, sanitized, null);
    }

    /** Whether some statement of {@code have} has the operation and schema switch of s and all its tables. */
    private static boolean covers(List<SqlStatement> have, SqlStatement s) {
        for (SqlStatement h : have) {
            if (h.operation().equals(s.operation()) && h.tables().containsAll(s.tables())
                    && java.util.Objects.equals(h.schemaSwitch(), s.schemaSwitch())) {
                return true;
            }
        }
        return false;
    }
}
