package io.agentid.sql;

import static io.agentid.sql.SqlLexer.COMMA;
import static io.agentid.sql.SqlLexer.DOT;
import static io.agentid.sql.SqlLexer.LPAREN;
import static io.agentid.sql.SqlLexer.NUMBER;
import static io.agentid.sql.SqlLexer.OP;
import static io.agentid.sql.SqlLexer.PARAM;
import static io.agentid.sql.SqlLexer.QIDENT;
import static io.agentid.sql.SqlLexer.RPAREN;
import static io.agentid.sql.SqlLexer.SEMI;
import static io.agentid.sql.SqlLexer.STRING;
import static io.agentid.sql.SqlLexer.WORD;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The shallow parser over one {@link SqlLexer}'s tokens: splits statements, finds each one's operation, and
 * collects tables with an iterative scanner (an explicit stack of parenthesis levels, so nesting depth costs heap,
 * never Java stack). Not thread-safe; one instance per analysis.
 *
 * <p>Table names are found at the places a table can appear: FROM lists (with commas and every JOIN kind),
 * INTO, UPDATE, DELETE, MERGE ... USING, REFERENCES, TABLE x, and the object names of DDL/DCL statements.
 * Subqueries are simply further levels of the same scan, so tables inside them are found wherever they are.
 *
 * <p>Data-modifying statements nested in another one (a DELETE in a CTE, the body of a DO block or trigger, a
 * SELECT ... INTO that creates a table) are reported as extra statements after the one that contains them, so
 * that a policy on operations sees them.
 */
final class SqlParser {

    static final int OK = 0;
    static final int EMPTY = 1;
    static final int GARBAGE = 2; // a statement that starts with a non-keyword: every dialect rejects it
    static final int UNKNOWN = 3;

    /** Verbs that may follow EXPLAIN (and friends) or a WITH list. */
    private static final Set<String> INNER_VERBS = SqlLexer.words(
            "select", "insert", "update", "delete", "merge", "with", "values", "table", "replace", "upsert",
            "create", "execute", "exec");

    /** What may follow BEGIN when it starts a transaction (and NOT, when DEFERRABLE follows). */
    private static final Set<String> BEGIN_TRANSACTION = SqlLexer.words(
            "transaction", "work", "tran", "deferred", "immediate", "exclusive", "isolation", "read",
            "deferrable", "distributed", "concurrent");

    /** Statement verbs of MySQL / MariaDB that the analyser does not model: in the MySQL reading they are unknown. */
    private static final Set<String> MYSQL_OTHER_VERBS = SqlLexer.words(
            "binlog", "cache", "change", "check", "checksum", "clone", "deallocate", "flush", "get", "handler", "help",
            "import", "install", "kill", "load", "optimize", "prepare", "purge", "repair", "reset", "resignal",
            "restart", "shutdown", "signal", "stop", "uninstall", "unlock", "xa");

    private static final Set<String> MAIN_VERBS = SqlLexer.words(
            "select", "insert", "update", "delete", "merge", "values", "table", "replace", "upsert");

    private static final Set<String> EXPLAIN_OPTIONS = SqlLexer.words(
            "analyze", "analyse", "verbose", "query", "plan", "for", "extended", "partitions", "format", "json",
            "tree", "traditional", "text", "xml", "yaml", "costs", "buffers", "timing", "summary", "settings",
            "wal", "generic_plan", "memory", "serialize", "on", "off", "true", "false", "set", "statement_id",
            "using", "formatted", "codegen", "cost", "logical");

    /** The words {@link #general} acts on (registered as canonical keywords, so they are marked known). */
    static final Set<String> GENERAL = SqlLexer.words(
            "select", "from", "join", "apply", "straight_join", "into", "update", "delete", "insert", "replace",
            "upsert", "merge", "table", "references", "with");

    /** Words that end a FROM/INTO/UPDATE list when they follow a table. */
    private static final Set<String> TERMINATORS = SqlLexer.words(
            "where", "group", "having", "order", "limit", "offset", "fetch", "union", "intersect", "except",
            "minus", "window", "qualify", "for", "returning", "set", "do", "values", "select", "when", "connect",
            "start", "into", "update", "delete", "insert", "output", "option", "lock", "procedure", "default",
            "then", "begin", "execute", "end", "prewhere", "cluster", "distribute", "sort", "go", "else",
            "overwrite", "replace", "merge", "upsert", "with_hint", "call", "table");

    /** Words that, in place of a table name, mean the list ended (or the SQL is malformed). */
    private static final Set<String> EXPECT_STOP = SqlLexer.words(
            "select", "values", "set", "where", "group", "order", "having", "limit", "union", "intersect",
            "except", "minus", "returning", "when", "then", "join", "on", "using", "default", "window", "with",
            "inner", "left", "right", "full", "cross", "natural", "outer", "straight_join", "apply", "end");

    /** Words skipped where a table name is expected. */
    private static final Set<String> EXPECT_SKIP = SqlLexer.words(
            "lateral", "only", "oj", "from", "into", "low_priority", "high_priority", "delayed", "ignore", "quick",
            "overwrite", "or", "replace", "rollback", "abort", "fail", "all", "first", "if", "exists", "not");

    /** Words that cannot be an implicit alias after a table name. */
    private static final Set<String> NOT_ALIAS = SqlLexer.words(
            "inner", "left", "right", "full", "outer", "cross", "natural", "join", "on", "using", "as", "with",
            "partition", "tablesample", "force", "use", "ignore", "index", "straight_join", "apply", "lateral",
            "semi", "anti", "asof", "global", "any", "all", "final", "sample", "pivot", "unpivot",
            "match_recognize", "and", "or", "not", "is", "in", "like", "between", "from", "by", "table", "only",
            "array", "key", "nolock", "at", "before", "changes", "read", "write", "local", "share", "nowait",
            "exclusive", "mode", "positional", "paste");

    /** Object kinds after CREATE. */
    private static final Set<String> CREATE_KINDS = SqlLexer.words(
            "table", "view", "index", "sequence", "schema", "database", "function", "procedure", "proc",
            "trigger", "type", "domain", "extension", "user", "role", "event", "rule", "policy", "server",
            "aggregate", "operator", "cast", "collation", "conversion", "language", "tablespace", "synonym",
            "package", "alias", "publication", "subscription", "statistics", "transform", "access", "login",
            "macro", "stage", "warehouse", "stream", "task", "pipe", "dictionary", "constant", "group", "library",
            "directory", "context", "profile", "cluster", "wrapper", "mapping", "routine");

    /** GRANT/REVOKE ... ON kinds that are not tables. */
    private static final Set<String> NON_TABLE_OBJECTS = SqlLexer.words(
            "schema", "database", "function", "procedure", "routine", "sequence", "type", "domain", "language",
            "foreign", "large", "tablespace", "package", "directory", "java", "parameter", "system", "warehouse",
            "integration", "account", "role", "user", "login");

    /** Statements whose nested occurrence is not worth an extra entry. */
    private static final Set<String> QUIET = SqlLexer.words(
            "SELECT", "VALUES", "BEGIN", "START", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE", "SHOW",
            "DESCRIBE", "EXPLAIN");

    private static final int MAX_NESTED_BODIES = 2;

    /** The operation of a statement of a nested body that has none we know (its tables still count). */
    private static final String LENIENT = "?";

    // scanner level modes and states
    private static final int M_NONE = 0;
    private static final int M_LIST = 1;
    private static final int M_CTE = 2;
    private static final int S_EXPECT = 0;
    private static final int S_NAME = 1;
    private static final int S_ALIAS = 2;
    private static final int S_ON = 3;
    private static final int S_FUNC = 4;
    private static final int C_NAME = 0;
    private static final int C_AFTER_NAME = 1;
    private static final int C_AS = 2;
    private static final int C_BODY_DONE = 3;
    private static final int C_CLAUSE = 4;
    private static final int K_NONE = 0;
    private static final int K_DERIVED = 1;
    private static final int K_CTE_BODY = 2;

    private static final class Level {
        int mode;
        int st;
        int close;
        int cases;
        boolean fn;
        boolean query;
        boolean dml;
        String[] ctes;
        int nctes;
        boolean recursive;
        String pending;
        Extra acc;

        void reset() {
            mode = M_NONE;
            st = 0;
            close = K_NONE;
            cases = 0;
            fn = false;
            query = false;
            dml = false;
            nctes = 0;
            recursive = false;
            pending = null;
            acc = null;
        }

        void addCte(String key) {
            if (key == null) {
                return;
            }
            if (ctes == null) {
                ctes = new String[4];
            } else if (nctes == ctes.length) {
                ctes = java.util.Arrays.copyOf(ctes, nctes * 2);
            }
            ctes[nctes++] = key;
        }
    }

    private static final class Extra {
        final String op;
        final LinkedHashSet<String> tables = new LinkedHashSet<>();

        Extra(String op) {
            this.op = op;
        }
    }

    private final SqlLexer lx;
    private final String sql;
    private final byte[] type;
    private final String[] text;
    private final boolean[] kw;
    private final int[] match;
    private final int n;
    private final int nest;
    private final boolean lenient;
    private final boolean mysql;

    private Level[] levels = new Level[8];
    private int depth;
    private boolean anyCte;

    // per statement
    private LinkedHashSet<String> tables;
    private List<Extra> extras;
    private String schemaSwitch;
    private int mainVerb;

    // results
    final List<SqlStatement> statements = new ArrayList<>();
    int kind = OK;
    String problem;

    /** Loads this class, and so registers its keyword sets as canonical words of the lexer. */
    static void init() {
        // class initialisation does the work
    }

    SqlParser(SqlLexer lx, int nest, boolean lenient) {
        this(lx, nest, lenient, false);
    }

    /**
     * @param mysql the tokens are MySQL's reading of a text that other databases read differently: a statement
     *     MySQL would reject (one that does not start with a MySQL verb) ends the reading, as MySQL stops a
     *     multi-statement text at its first error
     */
    SqlParser(SqlLexer lx, int nest, boolean lenient, boolean mysql) {
        this.mysql = mysql;
        this.lx = lx;
        this.sql = lx.sql;
        this.type = lx.type;
        this.text = lx.text;
        this.kw = lx.kw;
        this.match = lx.match;
        this.n = lx.n;
        this.nest = nest;
        this.lenient = lenient;
    }

    // =========================================================================================================
    // statements

    SqlParser parse() {
        int s = 0;
        int parens = 0;
        int block = 0;
        boolean routine = false;
        boolean create = false;
        int first = -1;
        for (int i = 0; i <= n; i++) {
            if (i == n) {
                if (first >= 0 && !statement(s, n)) {
                    return this;
                }
                break;
            }
            byte t = type[i];
            if (first < 0 && t != SEMI) {
                first = i;
                create = t == WORD && text[i].equals("create");
            }
            switch (t) {
                case LPAREN:
                    parens++;
                    break;
                case RPAREN:
                    if (parens > 0) {
                        parens--;
                    }
                    break;
                case WORD:
                    if (create && parens == 0) {
                        String w = text[i];
                        if (!routine && block == 0) {
                            routine = w.equals("procedure") || w.equals("function") || w.equals("trigger")
                                    || w.equals("event") || w.equals("proc");
                        } else if (routine) {
                            if (w.equals("begin") && !(i + 1 < n && type[i + 1] == WORD && isOneOf(text[i + 1],
                                    "tran", "transaction", "work", "distributed"))) {
                                block++;
                            } else if (block > 0 && w.equals("case")) {
                                block++;
                            } else if (block > 0 && w.equals("end")) {
                                String next = i + 1 < n && type[i + 1] == WORD ? text[i + 1] : "";
                                if (!(next.equals("if") || next.equals("loop") || next.equals("while")
                                        || next.equals("repeat") || next.equals("for"))) {
                                    block--;
                                }
                            }
                        }
                    }
                    break;
                case SEMI:
                    // a ; inside parentheses is a syntax error everywhere: split there too, so nothing hides
                    if (block == 0) {
                        parens = 0;
                        if (first >= 0 && !statement(s, i)) {
                            return this;
                        }
                        s = i + 1;
                        first = -1;
                        routine = false;
                        create = false;
                    }
                    break;
                default:
                    break;
            }
        }
        if (statements.isEmpty() && kind == OK) {
            kind = EMPTY;
        }
        return this;
    }

    /** Analyses tokens [s, e); false when the analysis must stop (problem set). */
    private boolean statement(int s, int e) {
        tables = new LinkedHashSet<>();
        extras = null;
        schemaSwitch = null;
        depth = 0;
        level(0).reset();
        int i = skipOpeners(s, e);
        if (i >= e) {
            if (i > s) {
                return garbage(s);
            }
            return true;
        }
        String op = null;
        int verb = -1;
        for (int guard = 0; guard < 16 && verb < 0; guard++) {
            if (type[i] != WORD || !isVerbLike(i)) {
                if (lenient) {
                    scan(s, e, true);
                    flush(LENIENT);
                    return true;
                }
                return garbage(i);
            }
            String w = text[i];
            if (w.equals("with")) {
                int j = skipCtes(i, e);
                if (j < 0 || j >= e) {
                    return unknown("unparsable with clause");
                }
                i = skipOpeners(j, e);
                if (i >= e) {
                    return unknown("unparsable with clause");
                }
                continue;
            }
            boolean explain = w.equals("explain") || w.equals("describe") || w.equals("desc");
            if (explain || w.equals("analyze") || w.equals("analyse")) {
                int j = skipExplainOptions(i + 1, e);
                // ANALYZE TABLE t / DESCRIBE TABLE t name a table; EXPLAIN TABLE t explains the statement TABLE t
                if (j < e && type[j] == WORD && INNER_VERBS.contains(text[j])
                        && !(text[j].equals("table") && !w.equals("explain"))) {
                    i = j;
                    continue;
                }
            }
            op = operation(w);
            verb = i;
            if (nest == 0 && w.equals("begin") && !beginsTransaction(i, e)) {
                if (mysql && !isWord(i + 1, e, "not")) {
                    return garbage(i); // MySQL has no BEGIN ... END outside routines (MariaDB: BEGIN NOT ATOMIC)
                }
                op = "DO"; // BEGIN ... END: an anonymous procedural block (Oracle, SQL Server), not a transaction
            }
            if (mysql && (w.equals("end") || w.equals("abort"))) {
                return garbage(i);
            }
        }
        if (op == null) {
            if (lenient) {
                scan(s, e, true);
                flush(LENIENT);
                return true;
            }
            if (mysql && !MYSQL_OTHER_VERBS.contains(text[i])) {
                return garbage(i); // a syntax error for MySQL: it runs nothing from here on
            }
            return unknown("unknown statement `" + clip(text[i].toUpperCase(Locale.ROOT)) + "`");
        }
        mainVerb = verb;
        if (verb > s && !MAIN_VERBS.contains(text[verb])) {
            scan(s, verb, false); // CTE bodies before e.g. EXPLAIN ... CREATE
        }
        dispatch(text[verb], verb, s, e);
        flush(op);
        return true;
    }

    /** Whether the BEGIN at i starts a transaction (rather than a procedural block). */
    private boolean beginsTransaction(int i, int e) {
        int j = i + 1;
        if (j >= e) {
            return true;
        }
        if (type[j] != WORD) {
            return false;
        }
        if (text[j].equals("not")) {
            return isWord(j + 1, e, "deferrable");
        }
        return BEGIN_TRANSACTION.contains(text[j]);
    }

    private void flush(String op) {
        if (op != null) {
            statements.add(new SqlStatement(op, new ArrayList<>(tables), schemaSwitch));
        }
        if (extras != null) {
            for (Extra x : extras) {
                SqlStatement st = new SqlStatement(x.op, new ArrayList<>(x.tables), null);
                if (!statements.contains(st)) {
                    statements.add(st);
                }
            }
        }
    }

    private boolean garbage(int i) {
        kind = GARBAGE;
        String shown;
        switch (type[i]) {
            case STRING:
            case NUMBER:
                shown = "?";
                break;
            default:
                shown = clip(lx.raw(i));
        }
        problem = "unknown statement `" + shown + "`";
        return false;
    }

    private boolean unknown(String why) {
        kind = UNKNOWN;
        problem = why;
        return false;
    }

    private static String clip(String s) {
        return s.length() > 40 ? s.substring(0, 40) + "..." : s;
    }

    private boolean isVerbLike(int i) {
        char c = sql.charAt(lx.start[i]);
        return c != '$' && c != '#' && !SqlLexer.isDigit(c);
    }

    private int skipOpeners(int i, int e) {
        while (i < e) {
            if (type[i] == LPAREN || (type[i] == OP && sql.charAt(lx.start[i]) == '{')) {
                i++;
            } else if (type[i] == PARAM && i + 2 < e && type[i + 1] == OP && sql.charAt(lx.start[i + 1]) == '='
                    && isWord(i + 2, e, "call")) {
                i += 2; // JDBC {? = call f(?)}
            } else {
                break;
            }
        }
        return i;
    }

    private static String operation(String w) {
        switch (w) {
            case "desc": return "DESCRIBE";
            case "exec": return "EXECUTE";
            case "end": return "COMMIT";
            case "abort": return "ROLLBACK";
            case "analyse": return "ANALYZE";
            case "table": return "SELECT";
            default:
                return OPERATION_OF.get(w);
        }
    }

    /** Lower-case verb to operation, for every member of {@link SqlAnalyzer#OPERATIONS}. */
    private static final java.util.Map<String, String> OPERATION_OF;

    static {
        java.util.Map<String, String> m = new java.util.HashMap<>();
        for (String op : SqlAnalyzer.OPERATIONS) {
            m.put(op.toLowerCase(Locale.ROOT), op);
        }
        OPERATION_OF = java.util.Map.copyOf(m);
        SqlLexer.words(OPERATION_OF.keySet().toArray(new String[0]));
    }

    private int skipExplainOptions(int j, int e) {
        while (j < e) {
            byte t = type[j];
            if (t == LPAREN && match[j] > j) {
                j = match[j] + 1;
            } else if (t == WORD && EXPLAIN_OPTIONS.contains(text[j])) {
                j++;
            } else if (t == OP || t == STRING || t == NUMBER) {
                j++;
            } else if (t == WORD && j > 0 && type[j - 1] == OP) {
                j++; // FORMAT=JSON, STATEMENT_ID = 'x'
            } else if (t == WORD && isWord(j - 1, e, "into")) {
                j++; // Oracle EXPLAIN PLAN INTO plan_table FOR
            } else if (t == WORD && text[j].equals("into")) {
                j++;
            } else {
                break;
            }
        }
        return j;
    }

    // =========================================================================================================
    // per-verb handlers

    private void dispatch(String w, int v, int s, int e) {
        switch (w) {
            case "select":
            case "values":
            case "table":
            case "insert":
            case "replace":
            case "upsert":
            case "update":
            case "delete":
            case "merge":
                scan(s, e, false);
                break;
            case "create":
                create(v, e);
                break;
            case "drop":
                drop(v, e);
                break;
            case "alter":
                alter(v, e);
                break;
            case "truncate": {
                int j = v + 1;
                j = skipWords(j, e, "table", "only", "if", "exists");
                recordList(j, e, false);
                break;
            }
            case "rename":
                rename(v, e);
                break;
            case "comment":
                comment(v, e);
                break;
            case "grant":
            case "revoke":
                grant(v, e);
                break;
            case "lock":
                lock(v, e);
                break;
            case "copy": {
                int j = v + 1;
                if (j < e && type[j] == LPAREN) {
                    scan(j, e, false);
                } else {
                    record(j, e, false);
                }
                break;
            }
            case "set":
                set(v, e);
                scan(v + 1, e, false);
                break;
            case "use": {
                int j = nameEnd(v + 1, e, false);
                if (j > v + 1) {
                    schemaSwitch = nameString(v + 1, j);
                }
                break;
            }
            case "show":
                scan(v + 1, e, true);
                break;
            case "explain":
            case "describe":
            case "desc": {
                int j = skipExplainOptions(v + 1, e);
                j = skipWords(j, e, "table", "formatted", "extended");
                record(j, e, false);
                break;
            }
            case "analyze":
            case "analyse":
            case "vacuum":
                vacuum(v, e);
                break;
            case "refresh": {
                int j = skipWords(v + 1, e, "materialized", "view", "concurrently", "table");
                record(j, e, false);
                break;
            }
            case "pragma":
                pragma(v, e);
                break;
            case "do":
                bodies(v + 1, e);
                scan(v + 1, e, false);
                break;
            case "execute":
            case "exec":
                dynamicSql(v, e);
                scan(v + 1, e, false);
                break;
            case "begin":
                if (!beginsTransaction(v, e)) {
                    // an anonymous block: its first statement starts right after BEGIN
                    nestedBody(sql.substring(lx.start[v + 1], lx.end[e - 1]));
                }
                break;
            default:
                scan(v + 1, e, false);
                break;
        }
    }

    private void create(int v, int e) {
        int j = v + 1;
        String kind = null;
        while (j < e) {
            if (type[j] == WORD && CREATE_KINDS.contains(text[j])) {
                kind = text[j];
                break;
            }
            if (type[j] == LPAREN && match[j] > j) {
                j = match[j];
            }
            j++;
        }
        if (kind == null) {
            scan(v + 1, e, false);
            return;
        }
        j++;
        switch (kind) {
            case "table": {
                j = skipWords(j, e, "if", "not", "exists");
                j = record(j, e, false);
                if (isWord(j, e, "partition") && isWord(j + 1, e, "of")) {
                    record(j + 2, e, false);
                } else if (isWord(j, e, "like") || isWord(j, e, "clone")) {
                    record(j + 1, e, false);
                } else if (j < e && type[j] == LPAREN && isWord(j + 1, e, "like")) {
                    record(j + 2, e, false);
                }
                for (int k = j; k < e; k++) {
                    if (type[k] == LPAREN && match[k] > k) {
                        if (isWord(k - 1, e, "inherits")) {
                            recordList(k + 1, match[k], false);
                        }
                        k = match[k];
                    }
                }
                scan(j, e, false);
                break;
            }
            case "view": {
                j = skipWords(j, e, "if", "not", "exists");
                j = record(j, e, false);
                scan(j, e, false);
                break;
            }
            case "index":
            case "trigger":
            case "policy":
            case "rule": {
                String on = kind.equals("rule") ? "to" : "on";
                int k = findWord(j, e, on);
                if (k >= 0) {
                    j = skipWords(k + 1, e, "only");
                    j = record(j, e, false);
                }
                if (!kind.equals("index")) {
                    bodies(j, e);
                }
                scan(j, e, false);
                break;
            }
            case "function":
            case "procedure":
            case "proc":
            case "routine":
                bodies(j, e);
                scan(j, e, false);
                break;
            default:
                scan(j, e, false);
                break;
        }
    }

    private void drop(int v, int e) {
        int j = skipWords(v + 1, e, "temporary", "temp", "materialized", "foreign", "global", "external");
        if (j >= e || type[j] != WORD) {
            return;
        }
        String kind = text[j];
        j++;
        switch (kind) {
            case "table":
            case "tables":
            case "view":
            case "views": {
                j = skipWords(j, e, "if", "exists");
                recordList(j, e, false);
                break;
            }
            case "index":
            case "trigger":
            case "policy":
            case "rule": {
                int k = findWord(j, e, "on");
                if (k >= 0) {
                    record(k + 1, e, false);
                }
                break;
            }
            default:
                break;
        }
    }

    private void alter(int v, int e) {
        int j = v + 1;
        if (isWord(j, e, "session")) {
            int k = findWord(j, e, "current_schema");
            if (k >= 0) {
                schemaSwitch = value(k + 1, e);
            }
            return;
        }
        j = skipWords(j, e, "materialized", "foreign", "online", "offline", "ignore", "external");
        if (isWord(j, e, "table") || isWord(j, e, "view")) {
            j = skipWords(j + 1, e, "if", "exists", "only");
            j = record(j, e, false);
            for (int k = j; k < e; k++) {
                if (type[k] == LPAREN && match[k] > k) {
                    k = match[k];
                } else if (type[k] == WORD) {
                    String w = text[k];
                    if (w.equals("rename") && (isWord(k + 1, e, "to") || isWord(k + 1, e, "as"))) {
                        record(k + 2, e, false);
                    } else if ((w.equals("attach") || w.equals("detach")) && isWord(k + 1, e, "partition")) {
                        record(k + 2, e, false);
                    }
                }
            }
            scan(j, e, false);
            return;
        }
        if (isWord(j, e, "index")) {
            int k = findWord(j, e, "on");
            if (k >= 0) {
                record(k + 1, e, false);
            }
        }
        scan(j, e, false);
    }

    private void rename(int v, int e) {
        int j = skipWords(v + 1, e, "table", "tables");
        while (j < e) {
            int k = record(j, e, false);
            if (k == j) {
                break;
            }
            j = k;
            if (isWord(j, e, "to")) {
                j = record(j + 1, e, false);
            }
            if (j < e && type[j] == COMMA) {
                j++;
            } else {
                break;
            }
        }
    }

    private void comment(int v, int e) {
        int j = v + 1;
        if (!isWord(j, e, "on")) {
            return;
        }
        j = skipWords(j + 1, e, "materialized", "foreign");
        if (isWord(j, e, "table") || isWord(j, e, "view")) {
            record(j + 1, e, false);
        } else if (isWord(j, e, "column")) {
            int k = nameEnd(j + 1, e, false);
            int lastDot = -1;
            for (int m = j + 1; m < k; m++) {
                if (type[m] == DOT) {
                    lastDot = m;
                }
            }
            if (lastDot > j + 1) {
                addTable(nameString(j + 1, lastDot));
            }
        }
    }

    private void grant(int v, int e) {
        int k = findWord(v + 1, e, "on");
        if (k < 0) {
            return; // role grant
        }
        int j = k + 1;
        if (isWord(j, e, "all") && (isWord(j + 1, e, "tables") || isWord(j + 1, e, "views"))) {
            // ALL TABLES IN SCHEMA a, b: every table of those schemas
            int m = skipWords(j + 2, e, "in", "schema");
            while (m < e) {
                int q = nameEnd(m, e, false);
                if (q == m) {
                    break;
                }
                addTable(nameString(m, q) + ".*");
                m = q;
                if (m < e && type[m] == COMMA) {
                    m++;
                } else {
                    break;
                }
            }
            return;
        }
        if (j < e && type[j] == WORD && NON_TABLE_OBJECTS.contains(text[j])) {
            return;
        }
        j = skipWords(j, e, "table", "view", "object");
        if (j < e && type[j] == OP && sql.startsWith("::", lx.start[j])) {
            j++;
        }
        recordList(j, e, true);
    }

    private void lock(int v, int e) {
        int j = skipWords(v + 1, e, "table", "tables");
        while (j < e) {
            j = skipWords(j, e, "only");
            int k = record(j, e, false);
            if (k == j) {
                break;
            }
            j = k;
            while (j < e && type[j] != COMMA) {
                if (type[j] == LPAREN && match[j] > j) {
                    j = match[j];
                }
                j++;
            }
            j++;
        }
    }

    private void vacuum(int v, int e) {
        int j = v + 1;
        if (j < e && type[j] == LPAREN && match[j] > j) {
            j = match[j] + 1;
        }
        j = skipWords(j, e, "full", "freeze", "verbose", "analyze", "analyse", "table", "local",
                "no_write_to_binlog", "skip_locked", "tables", "compute", "statistics");
        if (isWord(j, e, "into")) {
            return;
        }
        while (j < e) {
            int k = record(j, e, false);
            if (k == j) {
                break;
            }
            j = k;
            if (j < e && type[j] == LPAREN && match[j] > j) {
                j = match[j] + 1;
            }
            if (j < e && type[j] == COMMA) {
                j++;
            } else {
                break;
            }
        }
    }

    private void pragma(int v, int e) {
        int j = nameEnd(v + 1, e, false);
        if (j == v + 1) {
            return;
        }
        String p = text[j - 1] == null ? "" : text[j - 1];
        switch (p) {
            case "table_info":
            case "table_xinfo":
            case "index_list":
            case "foreign_key_list":
            case "foreign_key_check":
            case "table_list":
                break;
            default:
                return;
        }
        if (j < e && (type[j] == LPAREN || (type[j] == OP && sql.charAt(lx.start[j]) == '='))) {
            j++;
            if (j < e && type[j] == STRING) {
                addTable(lx.stringContent(j).toLowerCase(Locale.ROOT));
            } else {
                record(j, e, false);
            }
        }
    }

    private void set(int v, int e) {
        int j = skipWords(v + 1, e, "session", "local", "global");
        if (j >= e || type[j] != WORD) {
            return;
        }
        switch (text[j]) {
            case "schema":
                schemaSwitch = value(j + 1, e);
                break;
            case "current":
                if (isWord(j + 1, e, "schema")) {
                    schemaSwitch = value(j + 2, e);
                }
                break;
            case "current_schema":
                schemaSwitch = value(j + 1, e);
                break;
            case "search_path":
            case "schema_search_path": {
                int k = j + 1;
                while (k < e) {
                    if ((type[k] == OP && sql.charAt(lx.start[k]) == '=') || isWord(k, e, "to") || type[k] == COMMA) {
                        k++;
                        continue;
                    }
                    String x = ident(k);
                    if (x == null || (type[k] == WORD && x.equals("default"))) {
                        return;
                    }
                    if (x.equals("$user")) {
                        k++;
                        continue;
                    }
                    schemaSwitch = x;
                    return;
                }
                break;
            }
            default:
                break;
        }
    }

    /** A schema name at j, after an optional = or TO. */
    private String value(int j, int e) {
        while (j < e && ((type[j] == OP && sql.charAt(lx.start[j]) == '=') || isWord(j, e, "to"))) {
            j++;
        }
        if (j >= e) {
            return null;
        }
        if (type[j] == WORD && text[j].equals("default")) {
            return null;
        }
        int k = nameEnd(j, e, false);
        if (k > j) {
            return nameString(j, k);
        }
        return ident(j);
    }

    private String ident(int k) {
        switch (type[k]) {
            case WORD:
            case QIDENT:
                return text[k];
            case STRING:
                return lx.stringContent(k).trim().toLowerCase(Locale.ROOT);
            default:
                return null;
        }
    }

    /** Tables of procedural bodies ($$..$$ or AS '..') in [from, e), and their data-modifying statements. */
    private void bodies(int from, int e) {
        if (nest >= MAX_NESTED_BODIES) {
            return;
        }
        for (int k = from; k < e; k++) {
            if (type[k] != STRING) {
                continue;
            }
            char c = sql.charAt(lx.start[k]);
            boolean body = c == '$' || (c == '\'' && k > 0 && (isWord(k - 1, e, "as") || isWord(k - 1, e, "do")));
            if (!body) {
                continue;
            }
            nestedBody(lx.stringContent(k));
        }
    }

    /**
     * Analyses SQL (or procedural) text nested in this statement, leniently: its tables become this statement's,
     * and its statements other than queries and transaction control become extra statements.
     */
    private void nestedBody(String body) {
        if (nest >= MAX_NESTED_BODIES) {
            return;
        }
        SqlLexer sub = new SqlLexer(body, SqlLexer.ANSI).lex();
        if (sub.problem != null) {
            return;
        }
        SqlParser p = new SqlParser(sub, nest + 1, true).parse();
        for (SqlStatement st : p.statements) {
            for (String t : st.tables()) {
                addTable(t);
            }
            if (SqlAnalyzer.OPERATIONS.contains(st.operation()) && !QUIET.contains(st.operation())) {
                if (extras == null) {
                    extras = new ArrayList<>();
                }
                Extra x = new Extra(st.operation());
                x.tables.addAll(st.tables());
                extras.add(x);
            }
        }
    }

    /** Dynamic SQL: the string after EXECUTE IMMEDIATE (Oracle) or the first argument of sp_executesql. */
    private void dynamicSql(int v, int e) {
        int j = v + 1;
        if (isWord(j, e, "immediate") || isWord(j, e, "sp_executesql")
                || (j + 2 < e && type[j + 1] == DOT && isWord(j + 2, e, "sp_executesql"))) {
            for (int k = j; k < e && k < j + 6; k++) {
                if (type[k] == STRING) {
                    nestedBody(lx.stringContent(k));
                    break;
                }
            }
        }
    }

    // =========================================================================================================
    // names

    private boolean isWord(int i, int e, String w) {
        return i >= 0 && i < e && type[i] == WORD && text[i].equals(w);
    }

    private int skipWords(int j, int e, String... words) {
        outer:
        while (j < e && type[j] == WORD) {
            for (String w : words) {
                if (text[j].equals(w)) {
                    j++;
                    continue outer;
                }
            }
            break;
        }
        return j;
    }

    /** The first WORD w in [j, e) outside parentheses, or -1. */
    private int findWord(int j, int e, String w) {
        for (int k = j; k < e; k++) {
            if (type[k] == LPAREN && match[k] > k) {
                k = match[k];
            } else if (type[k] == WORD && text[k].equals(w)) {
                return k;
            }
        }
        return -1;
    }

    private boolean isPart(int i, int e, boolean star) {
        if (i >= e) {
            return false;
        }
        byte t = type[i];
        return t == WORD || t == QIDENT || (star && t == OP && sql.charAt(lx.start[i]) == '*');
    }

    /** The end of the (qualified) name starting at i, or i when there is none. */
    private int nameEnd(int i, int e, boolean star) {
        if (!isPart(i, e, star)) {
            return i;
        }
        int j = i + 1;
        while (j < e && type[j] == DOT) {
            int k = j + 1;
            while (k < e && type[k] == DOT) {
                k++;
            }
            if (isPart(k, e, star)) {
                j = k + 1;
            } else {
                break;
            }
        }
        return j;
    }

    private String nameString(int i, int j) {
        if (j == i + 1) {
            return type[i] == OP ? "*" : text[i];
        }
        StringBuilder sb = new StringBuilder();
        for (int k = i; k < j; k++) {
            if (type[k] == DOT) {
                sb.append('.');
            } else if (type[k] == OP) {
                sb.append('*');
            } else {
                sb.append(text[k]);
            }
        }
        return sb.toString();
    }

    /** Records the name at j, if any; returns the index after it. */
    private int record(int j, int e, boolean star) {
        int k = nameEnd(j, e, star);
        if (k > j) {
            addTable(nameString(j, k));
        } else if (j < e && type[j] == STRING && sql.charAt(lx.start[j]) == '\'') {
            addTable(lx.stringContent(j).toLowerCase(Locale.ROOT)); // SQLite accepts 'name' for a table
            return j + 1;
        }
        return k;
    }

    private void recordList(int j, int e, boolean star) {
        while (j < e) {
            j = skipWords(j, e, "only");
            int k = record(j, e, star);
            if (k == j) {
                return;
            }
            j = k;
            if (j < e && type[j] == OP && sql.charAt(lx.start[j]) == '*') {
                j++;
            }
            if (j < e && type[j] == COMMA) {
                j++;
            } else {
                return;
            }
        }
    }

    private void addTable(String name) {
        if (name == null || name.isEmpty()) {
            return;
        }
        tables.add(name);
        for (int d = 0; d <= depth; d++) {
            Extra acc = levels[d] == null ? null : levels[d].acc;
            if (acc != null) {
                acc.tables.add(name);
            }
        }
    }

    private String cteKey(int i) {
        return type[i] == QIDENT ? "\"" + lx.exact(i) : text[i];
    }

    private boolean cteVisible(String key) {
        for (int d = 0; d <= depth; d++) {
            Level l = levels[d];
            for (int c = 0; c < l.nctes; c++) {
                if (l.ctes[c].equals(key)) {
                    return true;
                }
            }
        }
        return false;
    }

    // =========================================================================================================
    // CTE helpers

    /** The index after the CTE definition whose name is at i ({@code name [(cols)] AS [NOT] [MATERIALIZED] (..)}), or -1. */
    private int cteDefEnd(int i, int e) {
        if (i >= e || !(type[i] == WORD || type[i] == QIDENT)) {
            return -1;
        }
        int j = i + 1;
        if (j < e && type[j] == LPAREN) {
            if (match[j] < 0) {
                return -1;
            }
            j = match[j] + 1;
        }
        if (!isWord(j, e, "as")) {
            return -1;
        }
        j++;
        if (isWord(j, e, "not")) {
            j++;
        }
        if (isWord(j, e, "materialized")) {
            j++;
        }
        if (j >= e || type[j] != LPAREN || match[j] < 0) {
            return -1;
        }
        return match[j] + 1;
    }

    private int skipCtes(int w, int e) {
        int j = w + 1;
        if (isWord(j, e, "recursive")) {
            j++;
        }
        while (true) {
            int k = cteDefEnd(j, e);
            if (k < 0) {
                return -1;
            }
            j = k;
            if (isWord(j, e, "search") || isWord(j, e, "cycle")) {
                while (j < e && !(type[j] == COMMA && cteDefEnd(j + 1, e) > 0)
                        && !(type[j] == WORD && MAIN_VERBS.contains(text[j]))) {
                    if (type[j] == LPAREN && match[j] > j) {
                        j = match[j];
                    }
                    j++;
                }
            }
            if (j < e && type[j] == COMMA) {
                j++;
                continue;
            }
            return j;
        }
    }

    private boolean isCteStart(int w, int e) {
        int j = w + 1;
        if (isWord(j, e, "recursive")) {
            return true;
        }
        return cteDefEnd(j, e) > 0;
    }

    // =========================================================================================================
    // the scanner

    private Level level(int d) {
        if (d >= levels.length) {
            levels = java.util.Arrays.copyOf(levels, Math.max(levels.length * 2, d + 1));
        }
        Level l = levels[d];
        if (l == null) {
            l = new Level();
            levels[d] = l;
        }
        return l;
    }

    private boolean startsQuery(int i, int e) {
        while (i < e && type[i] == LPAREN) {
            i++;
        }
        if (i >= e || type[i] != WORD) {
            return false;
        }
        String w = text[i];
        return w.equals("select") || w.equals("with") || w.equals("values") || w.equals("table")
                || w.equals("insert") || w.equals("update") || w.equals("delete") || w.equals("merge")
                || w.equals("explain");
    }

    private Extra nested(String op, int i, Level l) {
        if (i == mainVerb) {
            return null;
        }
        if (extras == null) {
            extras = new ArrayList<>();
        }
        Extra x = new Extra(op);
        extras.add(x);
        l.acc = x;
        return x;
    }

    private String prevWord(int prev) {
        return prev >= 0 && type[prev] == WORD ? text[prev] : null;
    }

    /** Finds the tables of tokens [from, to). Iterative: parenthesis levels are an explicit stack. */
    private void scan(int from, int to, boolean query) {
        depth = 0;
        Level l = level(0);
        l.reset();
        l.query = query;
        int prev = -1;
        for (int i = from; i < to; i++) {
            final byte t = type[i];
            if (t == LPAREN) {
                int close = K_NONE;
                boolean list = false;
                boolean fn = false;
                if (l.mode == M_LIST) {
                    if (l.st == S_EXPECT) {
                        close = K_DERIVED;
                        if (!startsQuery(i + 1, to)) {
                            list = true; // FROM (a JOIN b ...)
                            fn = l.fn;
                        }
                    } else if (l.st == S_FUNC) {
                        close = K_DERIVED;
                    }
                } else if (l.mode == M_CTE && l.st == C_AS) {
                    close = K_CTE_BODY;
                }
                depth++;
                l = level(depth);
                l.reset();
                l.close = close;
                if (list) {
                    l.mode = M_LIST;
                    l.st = S_EXPECT;
                    l.fn = fn;
                }
                prev = i;
                continue;
            }
            if (t == RPAREN) {
                if (depth > 0) {
                    int close = l.close;
                    l.acc = null;
                    depth--;
                    l = levels[depth];
                    if (close == K_DERIVED && l.mode == M_LIST) {
                        l.st = S_NAME;
                    } else if (close == K_CTE_BODY && l.mode == M_CTE) {
                        if (!l.recursive) {
                            l.addCte(l.pending);
                        }
                        l.st = C_BODY_DONE;
                    }
                }
                prev = i;
                continue;
            }
            if (t == COMMA) {
                if (l.mode == M_LIST) {
                    l.st = S_EXPECT;
                } else if (l.mode == M_CTE && (l.st == C_BODY_DONE || (l.st == C_CLAUSE && cteDefEnd(i + 1, to) > 0))) {
                    l.st = C_NAME;
                }
                prev = i;
                continue;
            }
            if (t == SEMI) {
                l.acc = null; // inside a routine body: the nested statement ends here
                l.mode = M_NONE;
                l.query = false;
                l.dml = false;
                prev = i;
                continue;
            }
            final boolean word = t == WORD;
            final boolean known = word && kw[i]; // only known keywords can be in a keyword set
            final String w = word ? text[i] : null;

            // ---- WITH list
            if (l.mode == M_CTE) {
                boolean consumed = true;
                switch (l.st) {
                    case C_NAME:
                        if (word && w.equals("recursive") && l.nctes == 0 && l.pending == null) {
                            l.recursive = true;
                        } else if (word || t == QIDENT) {
                            l.pending = cteKey(i);
                            anyCte = true;
                            if (l.recursive) {
                                l.addCte(l.pending);
                            }
                            l.st = C_AFTER_NAME;
                        } else {
                            consumed = false;
                        }
                        break;
                    case C_AFTER_NAME:
                        if (word && w.equals("as")) {
                            l.st = C_AS;
                        } else {
                            consumed = false;
                        }
                        break;
                    case C_AS:
                        consumed = word && (w.equals("not") || w.equals("materialized"));
                        break;
                    case C_BODY_DONE:
                        if (word && (w.equals("search") || w.equals("cycle"))) {
                            l.st = C_CLAUSE;
                        } else {
                            consumed = false;
                        }
                        break;
                    default: // C_CLAUSE
                        consumed = !(known && MAIN_VERBS.contains(w));
                        break;
                }
                if (consumed) {
                    prev = i;
                    continue;
                }
                l.mode = M_NONE; // the statement the WITH list belongs to starts here
            }

            // ---- FROM / JOIN / INTO / UPDATE / DELETE lists
            if (l.mode == M_LIST) {
                if (t == OP) {
                    prev = i;
                    continue; // {oj ...}, t *, ...
                }
                if (l.st == S_EXPECT) {
                    if (word) {
                        if (known && EXPECT_SKIP.contains(w)) {
                            prev = i;
                            continue;
                        }
                        if (w.equals("top") && i + 1 < to && type[i + 1] == LPAREN && match[i + 1] > i) {
                            i = match[i + 1];
                            prev = i;
                            continue;
                        }
                        if (w.equals("table")) {
                            if (i + 1 < to && type[i + 1] == LPAREN) {
                                l.st = S_FUNC;
                            }
                            prev = i;
                            continue;
                        }
                    }
                    if (known && EXPECT_STOP.contains(w)) {
                        l.mode = M_NONE;
                    } else if (word || t == QIDENT) {
                        int j = nameEnd(i, to, false);
                        if (l.fn && j < to && type[j] == LPAREN) {
                            l.st = S_FUNC; // table-valued function: not a table
                        } else {
                            if (!(j == i + 1 && anyCte && cteVisible(cteKey(i)))) {
                                addTable(nameString(i, j));
                            }
                            l.st = S_NAME;
                        }
                        i = j - 1;
                        prev = i;
                        continue;
                    } else if (t == STRING) {
                        if (sql.charAt(lx.start[i]) == '\'') {
                            addTable(lx.stringContent(i).toLowerCase(Locale.ROOT));
                        }
                        l.st = S_NAME;
                        prev = i;
                        continue;
                    } else {
                        l.st = S_NAME; // @table_variable, :param
                        prev = i;
                        continue;
                    }
                } else {
                    if (l.st == S_FUNC) {
                        l.st = S_NAME;
                    }
                    if (word && l.st == S_ON && (l.cases > 0 || w.equals("case"))) {
                        if (w.equals("case")) {
                            l.cases++;
                        } else if (w.equals("end")) {
                            l.cases--;
                        }
                        prev = i;
                        continue;
                    }
                    if (word) {
                        if ((known && TERMINATORS.contains(w)) || (w.equals("with") && isCteStart(i, to))) {
                            l.mode = M_NONE;
                        } else if (w.equals("join") || w.equals("apply") || w.equals("straight_join")) {
                            l.st = S_EXPECT;
                            l.fn = true;
                            prev = i;
                            continue;
                        } else if (w.equals("on")) {
                            l.st = S_ON;
                            prev = i;
                            continue;
                        } else if (w.equals("using")) {
                            if (i + 1 < to && type[i + 1] == LPAREN && !startsQuery(i + 2, to)) {
                                l.st = S_ON; // USING (cols)
                            } else {
                                l.st = S_EXPECT;
                                l.fn = true;
                            }
                            prev = i;
                            continue;
                        } else if (w.equals("from")) {
                            l.st = S_EXPECT;
                            l.fn = true;
                            prev = i;
                            continue;
                        } else if (l.st != S_ON) {
                            if (w.equals("as")) {
                                if (i + 1 < to && (type[i + 1] == WORD || type[i + 1] == QIDENT || type[i + 1] == STRING)
                                        && !(type[i + 1] == WORD && text[i + 1].equals("of"))) {
                                    i++;
                                }
                                l.st = S_ALIAS;
                            } else if (l.st == S_NAME && !(known && NOT_ALIAS.contains(w))) {
                                l.st = S_ALIAS;
                            }
                            prev = i;
                            continue;
                        }
                    } else if (l.st != S_ON) {
                        if (l.st == S_NAME && (t == QIDENT || t == STRING)) {
                            l.st = S_ALIAS;
                        }
                        prev = i;
                        continue;
                    }
                }
            }

            // ---- everything else
            if (known) {
                general(i, to, w, l, prev);
            }
            prev = i;
        }
        // leave level 0 clean for handlers that record after the scan
        for (int d = 0; d <= depth; d++) {
            levels[d].acc = null;
        }
        depth = 0;
    }

    private void general(int i, int to, String w, Level l, int prev) {
        switch (w) {
            case "select":
                l.query = true;
                break;
            case "from":
                if (l.query && !"distinct".equals(prevWord(prev))) {
                    enterList(l, true);
                }
                break;
            case "join":
            case "apply":
            case "straight_join":
                enterList(l, true);
                break;
            case "into": {
                int j = i + 1;
                if (isWord(j, to, "table")) {
                    j++;
                }
                if (j < to && (type[j] == QIDENT || (type[j] == WORD && !text[j].equals("outfile")
                        && !text[j].equals("dumpfile")))) {
                    if (l.query && !l.dml && nest == 0 && i != mainVerb) {
                        nested("CREATE", i, l); // SELECT ... INTO t creates t
                    }
                    enterList(l, false);
                }
                break;
            }
            case "update": {
                String p = prevWord(prev);
                if (isOneOf(p, "for", "key", "of", "or", "before", "after", "on") || (prev >= 0 && type[prev] == COMMA)
                        || isWord(i + 1, to, "set") || isWord(i + 1, to, "statistics")) {
                    break;
                }
                if (i + 1 < to && type[i + 1] == LPAREN && !startsQuery(i + 2, to)) {
                    break; // UPDATE(col) in a T-SQL trigger
                }
                l.query = true;
                l.dml = true;
                nested("UPDATE", i, l);
                enterList(l, false);
                break;
            }
            case "delete": {
                String p = prevWord(prev);
                if (isOneOf(p, "on", "of", "or", "before", "after") || (prev >= 0 && type[prev] == COMMA)) {
                    break;
                }
                int j = i + 1;
                if (j >= to || type[j] == SEMI || type[j] == RPAREN || isWord(j, to, "where") || isWord(j, to, "when")
                        || isWord(j, to, "then") || isWord(j, to, "end")) {
                    break; // MERGE ... THEN DELETE
                }
                l.query = true;
                l.dml = true;
                nested("DELETE", i, l);
                enterList(l, false);
                break;
            }
            case "insert":
            case "replace":
            case "upsert":
            case "merge": {
                String p = prevWord(prev);
                if (isOneOf(p, "or", "of", "before", "after") || (prev >= 0 && (type[prev] == COMMA || type[prev] == OP))) {
                    break;
                }
                int j = i + 1;
                if (j >= to || type[j] == LPAREN || type[j] == SEMI || type[j] == RPAREN || isWord(j, to, "values")
                        || isWord(j, to, "default") || isWord(j, to, "row")) {
                    break; // REPLACE(..) function, MERGE ... THEN INSERT (..) VALUES
                }
                if (!(type[j] == WORD || type[j] == QIDENT)) {
                    break;
                }
                l.dml = true;
                if (w.equals("merge")) {
                    l.query = true;
                }
                nested(w.toUpperCase(Locale.ROOT), i, l);
                if (!isWord(j, to, "into")) {
                    enterList(l, false); // INSERT t, MERGE t, INSERT LOW_PRIORITY INTO t
                }
                break;
            }
            case "table": {
                int j = skipWords(i + 1, to, "if", "not", "exists", "only");
                if (j < to && type[j] != LPAREN && !isWord(j, to, "of")) {
                    int k = nameEnd(j, to, false);
                    if (k > j && !(k == j + 1 && anyCte && cteVisible(cteKey(j)))) {
                        addTable(nameString(j, k));
                    }
                }
                break;
            }
            case "references": {
                record(i + 1, to, false);
                break;
            }
            case "with":
                if (isCteStart(i, to)) {
                    l.mode = M_CTE;
                    l.st = C_NAME;
                    l.recursive = false;
                    l.pending = null;
                }
                break;
            default:
                break;
        }
    }

    private static void enterList(Level l, boolean fn) {
        l.mode = M_LIST;
        l.st = S_EXPECT;
        l.fn = fn;
    }

    private static boolean isOneOf(String s, String... options) {
        if (s == null) {
            return false;
        }
        for (String o : options) {
            if (o.equals(s)) {
                return true;
            }
        }
        return false;
    }
}
