package io.agentid.sql;

import java.util.Locale;
import java.util.Set;

/**
 * A single-pass, dialect-tolerant SQL tokenizer. One instance lexes one text under one lexical dialect
 * ({@link #ANSI}, {@link #MYSQL}, {@link #FLAT}, {@link #ORACLE}); the dialects differ only where the major
 * databases disagree on where a literal or a comment ends. While lexing as {@link #ANSI} it records in
 * {@link #triggers} which of those disagreements the text actually contains, so that the analyser re-lexes
 * under the other dialects only then.
 *
 * <p>Tokens are kept in parallel arrays. Whitespace and comments are not tokens; {@link #space} records that
 * some preceded a token.
 */
final class SqlLexer {

    static final byte WORD = 1;   // keyword or unquoted identifier
    static final byte QIDENT = 2; // "x", `x`, [x]
    static final byte STRING = 3; // every literal that is not a number: '..', E'..', N'..', X'..', B'..', $$..$$, q'[..]'
    static final byte NUMBER = 4;
    static final byte PARAM = 5;  // ?, ?1, :name, $1, $name, @var, @@var
    static final byte OP = 6;     // any other single character (and ::)
    static final byte LPAREN = 7;
    static final byte RPAREN = 8;
    static final byte COMMA = 9;
    static final byte DOT = 10;
    static final byte SEMI = 11;

    // lexical features
    static final int NEST = 1;          // /* */ comments nest (PostgreSQL, SQL Server)
    static final int BACKSLASH = 2;     // backslash escapes in '..' and ".." (MySQL)
    static final int HASH_COMMENT = 4;  // # starts a comment (MySQL)
    static final int MYSQL_DASH = 8;    // -- starts a comment only when followed by whitespace (MySQL)
    static final int EXEC_COMMENT = 16; // /*! .. */ is code (MySQL)
    static final int QQUOTE = 32;       // q'[..]' (Oracle)
    static final int DQ_STRING = 64;    // ".." is a string literal (MySQL without ANSI_QUOTES)
    static final int NO_DOLLAR = 128;   // $ is an identifier character, no $$..$$ quotes (MySQL)

    static final int ANSI = NEST;
    static final int MYSQL = BACKSLASH | HASH_COMMENT | MYSQL_DASH | EXEC_COMMENT | DQ_STRING | NO_DOLLAR;
    static final int FLAT = 0;
    static final int ORACLE = QQUOTE;

    // what an ANSI lexing saw that other dialects read differently
    static final int T_MYSQL = 1;  // a backslash in a literal, #, /*!, --x, $$
    static final int T_FLAT = 2;   // /* inside a comment
    static final int T_ORACLE = 4; // q'

    /** Keywords after which {@code [} opens a SQL Server / SQLite bracket identifier rather than a subscript. */
    private static final Set<String> BRACKET_AFTER = words(
            "select", "from", "join", "into", "update", "table", "as", "on", "where", "and", "or", "not", "by",
            "set", "exec", "execute", "use", "delete", "insert", "distinct", "when", "then", "else", "case",
            "view", "index", "procedure", "proc", "exists", "in", "is", "like", "values", "references",
            "truncate", "drop", "alter", "create", "grant", "revoke", "to", "with", "union", "all", "having",
            "order", "group", "apply", "cross", "outer", "inner", "left", "right", "full", "return", "if",
            "begin", "declare", "cursor", "for", "over", "partition", "using", "merge", "matched", "output",
            "default", "schema", "trigger", "function", "column", "add", "constraint", "key", "primary",
            "foreign", "unique", "check", "database", "between", "any", "some", "natural", "straight_join",
            "lateral", "only", "returning", "except", "intersect", "minus", "print", "open", "close", "fetch",
            "deallocate", "comment", "rename", "describe", "desc", "asc", "lock", "call", "replace", "upsert",
            "of", "at", "top", "percent", "ties", "else", "end", "while", "exit", "pivot", "unpivot");

    final String sql;
    final int mode;
    private final boolean ansi;

    int n;
    byte[] type;
    int[] start;
    int[] end;
    boolean[] space;
    boolean[] dqString;
    String[] text;
    boolean[] kw;       // WORD that is a known keyword (a canonical instance): only these can be in a keyword set
    int[] match;
    int lparens;
    String problem;
    int triggers;

    SqlLexer(String sql, int mode) {
        this.sql = sql;
        this.mode = mode;
        this.ansi = mode == ANSI;
        int cap = Math.max(16, sql.length() / 4 + 8);
        type = new byte[cap];
        start = new int[cap];
        end = new int[cap];
        space = new boolean[cap];
        dqString = new boolean[cap];
        text = new String[cap];
        kw = new boolean[cap];
    }

    /** Lexes the text; afterwards {@link #problem} is non-null if a literal, identifier or comment is unterminated. */
    SqlLexer lex() {
        final String s = sql;
        final int len = s.length();
        int p = 0;
        boolean sp = false;
        boolean inExec = false;
        int opBrackets = 0;
        while (p < len) {
            char c = s.charAt(p);
            if (c <= ' ' || (c >= 0x7f && isUnicodeSpace(c))) {
                sp = true;
                p++;
                continue;
            }
            char d = p + 1 < len ? s.charAt(p + 1) : 0;
            switch (c) {
                case '-':
                    if (d == '-') {
                        boolean spaced = p + 2 >= len || s.charAt(p + 2) <= ' ';
                        boolean comment = (mode & MYSQL_DASH) == 0 || spaced;
                        if (ansi && !spaced) {
                            triggers |= T_MYSQL;
                        }
                        if (comment) {
                            p = lineEnd(p + 2);
                            sp = true;
                            continue;
                        }
                    }
                    break;
                case '/':
                    if (d == '*') {
                        if ((mode & EXEC_COMMENT) != 0 && !inExec) {
                            int q = p + 2;
                            if (q < len && s.charAt(q) == '!') {
                                q++;
                            } else if (q + 1 < len && (s.charAt(q) == 'M' || s.charAt(q) == 'm') && s.charAt(q + 1) == '!') {
                                q += 2;
                            } else {
                                q = -1;
                            }
                            if (q > 0) {
                                int limit = q + 6;
                                while (q < len && q < limit && isDigit(s.charAt(q))) {
                                    q++;
                                }
                                inExec = true;
                                p = q;
                                sp = true;
                                continue;
                            }
                        } else if (ansi && p + 2 < len && (s.charAt(p + 2) == '!'
                                || ((s.charAt(p + 2) == 'M' || s.charAt(p + 2) == 'm') && p + 3 < len && s.charAt(p + 3) == '!'))) {
                            triggers |= T_MYSQL;
                        }
                        int q = blockCommentEnd(p);
                        if (q < 0) {
                            return fail("unterminated comment");
                        }
                        p = q;
                        sp = true;
                        continue;
                    }
                    break;
                case '*':
                    if (inExec && d == '/') {
                        inExec = false;
                        p += 2;
                        sp = true;
                        continue;
                    }
                    break;
                case '#':
                    if ((mode & HASH_COMMENT) != 0) {
                        p = lineEnd(p + 1);
                        sp = true;
                        continue;
                    }
                    if (ansi) {
                        triggers |= T_MYSQL;
                    }
                    if (d == '#' || isIdentStart(d)) {
                        p = word(p, sp);
                        sp = false;
                        continue;
                    }
                    break;
                case '\'': {
                    int q = scanQuoted(p, '\'', (mode & BACKSLASH) != 0);
                    if (q < 0) {
                        add(STRING, p, len, sp, null);
                        return fail("unterminated string literal");
                    }
                    add(STRING, p, q, sp, null);
                    sp = false;
                    p = q;
                    continue;
                }
                case '"': {
                    boolean dq = (mode & DQ_STRING) != 0;
                    int q = scanQuoted(p, '"', dq);
                    if (q < 0) {
                        add(STRING, p, len, sp, null);
                        return fail(dq ? "unterminated string literal" : "unterminated quoted identifier");
                    }
                    add(QIDENT, p, q, sp, unquote(p, q, '"', dq));
                    dqString[n - 1] = dq;
                    sp = false;
                    p = q;
                    continue;
                }
                case '`': {
                    int q = scanQuoted(p, '`', false);
                    if (q < 0) {
                        add(STRING, p, len, sp, null);
                        return fail("unterminated quoted identifier");
                    }
                    add(QIDENT, p, q, sp, unquote(p, q, '`', false));
                    sp = false;
                    p = q;
                    continue;
                }
                case '[':
                    if (opBrackets == 0 && bracketIdentAllowed()) {
                        int q = scanQuoted(p, ']', false);
                        if (q < 0) {
                            add(STRING, p, len, sp, null);
                            return fail("unterminated quoted identifier");
                        }
                        add(QIDENT, p, q, sp, unquote(p, q, ']', false));
                        sp = false;
                        p = q;
                        continue;
                    }
                    opBrackets++;
                    break;
                case ']':
                    if (opBrackets > 0) {
                        opBrackets--;
                    }
                    break;
                case '$':
                    if ((mode & NO_DOLLAR) != 0) {
                        if (d == '$' || isWordChar(d)) {
                            p = word(p, sp);
                            sp = false;
                            continue;
                        }
                        break;
                    }
                    if (isDigit(d)) {
                        int q = p + 1;
                        while (q < len && isDigit(s.charAt(q))) {
                            q++;
                        }
                        add(PARAM, p, q, sp, null);
                        sp = false;
                        p = q;
                        continue;
                    }
                    if (d == '$' || isIdentStart(d)) {
                        int q = p + 1;
                        while (q < len && isTagChar(s.charAt(q))) {
                            q++;
                        }
                        if (q < len && s.charAt(q) == '$') {
                            if (ansi) {
                                triggers |= T_MYSQL; // MySQL reads $tag$ as an identifier
                            }
                            String tag = s.substring(p, q + 1);
                            int close = s.indexOf(tag, q + 1);
                            if (close < 0) {
                                add(STRING, p, len, sp, null);
                                return fail("unterminated dollar-quoted string");
                            }
                            add(STRING, p, close + tag.length(), sp, null);
                            sp = false;
                            p = close + tag.length();
                            continue;
                        }
                        add(PARAM, p, q, sp, null); // SQLite $name
                        sp = false;
                        p = q;
                        continue;
                    }
                    break;
                case '?': {
                    int q = p + 1;
                    while (q < len && isDigit(s.charAt(q))) {
                        q++;
                    }
                    add(PARAM, p, q, sp, null);
                    sp = false;
                    p = q;
                    continue;
                }
                case ':':
                    if (d == ':') {
                        add(OP, p, p + 2, sp, null);
                        sp = false;
                        p += 2;
                        continue;
                    }
                    if (isIdentStart(d) || (isDigit(d) && opBrackets == 0)) {
                        int q = p + 1;
                        while (q < len && isWordChar(s.charAt(q))) {
                            q++;
                        }
                        add(PARAM, p, q, sp, null);
                        sp = false;
                        p = q;
                        continue;
                    }
                    break;
                case '@':
                    if (d == '@' || isIdentStart(d)) {
                        int q = p + 1;
                        while (q < len && s.charAt(q) == '@') {
                            q++;
                        }
                        while (q < len && isWordChar(s.charAt(q))) {
                            q++;
                        }
                        add(PARAM, p, q, sp, null);
                        sp = false;
                        p = q;
                        continue;
                    }
                    break;
                case '(':
                    add(LPAREN, p, p + 1, sp, null);
                    lparens++;
                    sp = false;
                    p++;
                    continue;
                case ')':
                    add(RPAREN, p, p + 1, sp, null);
                    sp = false;
                    p++;
                    continue;
                case ',':
                    add(COMMA, p, p + 1, sp, null);
                    sp = false;
                    p++;
                    continue;
                case ';':
                    add(SEMI, p, p + 1, sp, null);
                    sp = false;
                    p++;
                    continue;
                case '.':
                    if (isDigit(d) && (sp || n == 0 || !(type[n - 1] == WORD || type[n - 1] == QIDENT || type[n - 1] == RPAREN))) {
                        p = number(p, sp);
                        sp = false;
                        continue;
                    }
                    add(DOT, p, p + 1, sp, null);
                    sp = false;
                    p++;
                    continue;
                default:
                    if (isDigit(c)) {
                        p = number(p, sp);
                        sp = false;
                        continue;
                    }
                    if (isIdentStart(c)) {
                        p = word(p, sp);
                        if (problem != null) {
                            return this;
                        }
                        sp = false;
                        continue;
                    }
                    break;
            }
            add(OP, p, p + 1, sp, null);
            sp = false;
            p++;
        }
        if (inExec) {
            return fail("unterminated comment");
        }
        matchParens();
        return this;
    }

    private SqlLexer fail(String why) {
        problem = why;
        return this;
    }

    private int lineEnd(int p) {
        final String s = sql;
        final int len = s.length();
        while (p < len) {
            char c = s.charAt(p);
            if (c == '\n' || c == '\r') {
                return p;
            }
            p++;
        }
        return len;
    }

    /** The index after the block comment starting at p, or -1 when unterminated. */
    private int blockCommentEnd(int p) {
        final String s = sql;
        final int len = s.length();
        boolean nest = (mode & NEST) != 0;
        int depth = 1;
        int i = p + 2;
        while (i < len) {
            char c = s.charAt(i);
            if (c == '*' && i + 1 < len && s.charAt(i + 1) == '/') {
                i += 2;
                if (--depth == 0) {
                    return i;
                }
                continue;
            }
            if (c == '/' && i + 1 < len && s.charAt(i + 1) == '*') {
                if (nest) {
                    depth++;
                }
                if (ansi) {
                    triggers |= T_FLAT;
                }
                i += 2;
                continue;
            }
            i++;
        }
        return -1;
    }

    /** The index after the literal or identifier quoted by {@code q} (closing {@code q}) at p, or -1. */
    private int scanQuoted(int p, char q, boolean backslash) {
        final String s = sql;
        final int len = s.length();
        int i = p + 1;
        while (i < len) {
            char c = s.charAt(i);
            if (c == '\\' && q != ']' && q != '`') {
                if (backslash) {
                    i += 2;
                    continue;
                }
                if (ansi) {
                    triggers |= T_MYSQL;
                }
            } else if (c == q) {
                if (i + 1 < len && s.charAt(i + 1) == q) {
                    i += 2;
                    continue;
                }
                return i + 1;
            }
            i++;
        }
        return -1;
    }

    private String unquote(int p, int q, char close, boolean backslash) {
        String raw = sql.substring(p + 1, q - 1);
        if (raw.indexOf(close) >= 0 || (backslash && raw.indexOf('\\') >= 0)) {
            StringBuilder sb = new StringBuilder(raw.length());
            for (int i = 0; i < raw.length(); i++) {
                char c = raw.charAt(i);
                if (backslash && c == '\\' && i + 1 < raw.length()) {
                    sb.append(raw.charAt(++i));
                } else if (c == close && i + 1 < raw.length() && raw.charAt(i + 1) == close) {
                    sb.append(c);
                    i++;
                } else {
                    sb.append(c);
                }
            }
            raw = sb.toString();
        }
        return raw.toLowerCase(Locale.ROOT);
    }

    private int word(int p, boolean sp) {
        final String s = sql;
        final int len = s.length();
        boolean hash = (mode & HASH_COMMENT) == 0;
        int q = p + 1;
        while (q < len) {
            char c = s.charAt(q);
            if (isWordChar(c) || (c == '#' && hash)) {
                q++;
            } else {
                break;
            }
        }
        if (q < len && s.charAt(q) == '\'' && q - p <= 2) {
            char a = Character.toLowerCase(s.charAt(p));
            char b = q - p == 2 ? Character.toLowerCase(s.charAt(p + 1)) : 0;
            int r = -2;
            if (b == 0 && a == 'e') {
                r = scanQuoted(q, '\'', true);
            } else if (b == 0 && (a == 'n' || a == 'x' || a == 'b')) {
                r = scanQuoted(q, '\'', (mode & BACKSLASH) != 0);
            } else if ((b == 0 && a == 'q') || (a == 'n' && b == 'q')) {
                if ((mode & QQUOTE) != 0) {
                    r = scanQQuote(q);
                } else if (ansi) {
                    triggers |= T_ORACLE;
                }
            }
            if (r == -1) {
                add(STRING, p, len, sp, null);
                fail("unterminated string literal");
                return len;
            }
            if (r >= 0) {
                add(STRING, p, r, sp, null);
                return r;
            }
        }
        String lower = lowerWord(p, q);
        add(WORD, p, q, sp, lower);
        kw[n - 1] = canonicalHit;
        return q;
    }

    /** The lower-case text of the word [p, q): the canonical instance for a known keyword (no allocation). */
    private String lowerWord(int p, int q) {
        final String s = sql;
        int len = q - p;
        int h = 0;
        boolean ascii = true;
        boolean upper = false;
        for (int k = p; k < q; k++) {
            char c = s.charAt(k);
            if (c >= 0x80) {
                ascii = false;
                break;
            }
            if (c >= 'A' && c <= 'Z') {
                c += 32;
                upper = true;
            }
            h = 31 * h + c;
        }
        canonicalHit = false;
        if (ascii && len <= MAX_CANONICAL) {
            String[] table = CANONICAL;
            int mask = table.length - 1;
            for (int idx = mix(h) & mask; table[idx] != null; idx = (idx + 1) & mask) {
                String w = table[idx];
                if (w.length() == len && asciiEqualsIgnoreCase(s, p, w)) {
                    canonicalHit = true;
                    return w;
                }
            }
        }
        if (ascii && !upper) {
            return s.substring(p, q);
        }
        return s.substring(p, q).toLowerCase(Locale.ROOT);
    }

    private boolean canonicalHit;

    private static boolean asciiEqualsIgnoreCase(String s, int p, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            char c = s.charAt(p + k);
            if (c >= 'A' && c <= 'Z') {
                c += 32;
            }
            if (c != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    private static int mix(int h) {
        return h ^ (h >>> 16);
    }

    private static final int MAX_CANONICAL = 24;
    // filled during class initialisation of SqlLexer and SqlParser (see SqlAnalyzer's initialiser), read-only after
    private static String[] CANONICAL;
    private static int canonicalCount;

    /** Adds words to the table of canonical keyword instances (class initialisation only). */
    private static synchronized void canonical(Set<String> words) {
        if (CANONICAL == null) {
            CANONICAL = new String[1024];
        }
        for (String w : words) {
            if (w.length() > MAX_CANONICAL || !w.equals(w.toLowerCase(Locale.ROOT)) || !w.chars().allMatch(c -> c < 0x80)) {
                continue;
            }
            if ((canonicalCount + 1) * 2 > CANONICAL.length) {
                String[] old = CANONICAL;
                CANONICAL = new String[old.length * 2];
                canonicalCount = 0;
                for (String o : old) {
                    if (o != null) {
                        insert(o);
                    }
                }
            }
            insert(w);
        }
    }

    private static void insert(String w) {
        int mask = CANONICAL.length - 1;
        int idx = mix(w.hashCode()) & mask;
        while (CANONICAL[idx] != null) {
            if (CANONICAL[idx].equals(w)) {
                return;
            }
            idx = (idx + 1) & mask;
        }
        CANONICAL[idx] = w;
        canonicalCount++;
    }

    /** Oracle q'[...]': q is the index of the quote. */
    private int scanQQuote(int q) {
        final String s = sql;
        final int len = s.length();
        if (q + 1 >= len) {
            return -1;
        }
        char open = s.charAt(q + 1);
        char close;
        switch (open) {
            case '[': close = ']'; break;
            case '(': close = ')'; break;
            case '{': close = '}'; break;
            case '<': close = '>'; break;
            default: close = open;
        }
        for (int i = q + 2; i + 1 < len; i++) {
            if (s.charAt(i) == close && s.charAt(i + 1) == '\'') {
                return i + 2;
            }
        }
        return -1;
    }

    private int number(int p, boolean sp) {
        final String s = sql;
        final int len = s.length();
        char c = s.charAt(p);
        char d = p + 1 < len ? Character.toLowerCase(s.charAt(p + 1)) : 0;
        int q;
        if (c == '0' && (d == 'x' || d == 'b' || d == 'o') && p + 2 < len && isRadixDigit(d, s.charAt(p + 2))) {
            q = p + 2;
            while (q < len && (isRadixDigit(d, s.charAt(q)) || s.charAt(q) == '_')) {
                q++;
            }
        } else {
            q = p;
            boolean intOnly = true;
            while (q < len && (isDigit(s.charAt(q)) || (s.charAt(q) == '_' && q > p && q + 1 < len && isDigit(s.charAt(q + 1))))) {
                q++;
            }
            if (q < len && s.charAt(q) == '.' && !(q + 1 < len && s.charAt(q + 1) == '.')) {
                intOnly = false;
                q++;
                while (q < len && isDigit(s.charAt(q))) {
                    q++;
                }
            }
            if (q < len && (s.charAt(q) == 'e' || s.charAt(q) == 'E')) {
                int r = q + 1;
                if (r < len && (s.charAt(r) == '+' || s.charAt(r) == '-')) {
                    r++;
                }
                if (r < len && isDigit(s.charAt(r))) {
                    intOnly = false;
                    q = r;
                    while (q < len && isDigit(s.charAt(q))) {
                        q++;
                    }
                }
            }
            if (intOnly && q < len && isIdentStart(s.charAt(q))) {
                return word(p, sp); // MySQL: an identifier may begin with digits
            }
        }
        add(NUMBER, p, q, sp, null);
        return q;
    }

    private boolean bracketIdentAllowed() {
        if (n == 0) {
            return true;
        }
        switch (type[n - 1]) {
            case LPAREN:
            case COMMA:
            case DOT:
            case SEMI:
                return true;
            case OP:
                return sql.charAt(start[n - 1]) != ']';
            case WORD:
                return BRACKET_AFTER.contains(text[n - 1]);
            default:
                return false;
        }
    }

    private void add(byte t, int s, int e, boolean sp, String txt) {
        if (n == type.length) {
            int cap = n * 2;
            type = java.util.Arrays.copyOf(type, cap);
            start = java.util.Arrays.copyOf(start, cap);
            end = java.util.Arrays.copyOf(end, cap);
            space = java.util.Arrays.copyOf(space, cap);
            dqString = java.util.Arrays.copyOf(dqString, cap);
            text = java.util.Arrays.copyOf(text, cap);
            kw = java.util.Arrays.copyOf(kw, cap);
        }
        type[n] = t;
        start[n] = s;
        end[n] = e;
        space[n] = sp;
        text[n] = txt;
        kw[n] = false;
        n++;
    }

    private void matchParens() {
        match = new int[n];
        int[] stack = new int[lparens + 1];
        int top = 0;
        for (int i = 0; i < n; i++) {
            match[i] = -1;
            if (type[i] == LPAREN) {
                stack[top++] = i;
            } else if (type[i] == RPAREN && top > 0) {
                int o = stack[--top];
                match[o] = i;
                match[i] = o;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /** The raw text of token i. */
    String raw(int i) {
        return sql.substring(start[i], end[i]);
    }

    /** The exact (case-preserving) content of a quoted identifier, or the raw text of any other token. */
    String exact(int i) {
        if (type[i] != QIDENT) {
            return raw(i);
        }
        char o = sql.charAt(start[i]);
        char close = o == '[' ? ']' : o;
        String raw = sql.substring(start[i] + 1, end[i] - 1);
        String dbl = String.valueOf(close) + close;
        return raw.indexOf(dbl) >= 0 ? raw.replace(dbl, String.valueOf(close)) : raw;
    }

    /** The content of a string literal token, unescaped as well as cheaply possible (for bodies and values). */
    String stringContent(int i) {
        int s = start[i];
        int e = end[i];
        char c = sql.charAt(s);
        if (c == '$') {
            int tagEnd = sql.indexOf('$', s + 1) + 1;
            int len = tagEnd - s;
            return e - len >= tagEnd ? sql.substring(tagEnd, e - len) : "";
        }
        boolean backslash = (mode & BACKSLASH) != 0;
        if (c != '\'') {
            // prefixed: E'..', N'..', X'..', q'[..]'
            int quote = sql.indexOf('\'', s);
            if (quote < 0 || quote >= e) {
                return "";
            }
            char p = Character.toLowerCase(c);
            if (p == 'e') {
                backslash = true;
            }
            if (p == 'q' || (p == 'n' && Character.toLowerCase(sql.charAt(s + 1)) == 'q')) {
                return e - 2 > quote + 2 ? sql.substring(quote + 2, e - 2) : "";
            }
            s = quote;
        }
        if (e - s < 2) {
            return "";
        }
        String raw = sql.substring(s + 1, e - 1);
        if (raw.indexOf('\'') < 0 && !(backslash && raw.indexOf('\\') >= 0)) {
            return raw;
        }
        StringBuilder sb = new StringBuilder(raw.length());
        for (int k = 0; k < raw.length(); k++) {
            char ch = raw.charAt(k);
            if (backslash && ch == '\\' && k + 1 < raw.length()) {
                sb.append(raw.charAt(++k));
            } else if (ch == '\'' && k + 1 < raw.length() && raw.charAt(k + 1) == '\'') {
                sb.append('\'');
                k++;
            } else {
                sb.append(ch);
            }
        }
        return sb.toString();
    }

    /**
     * The text with every literal replaced by {@code ?}, comments dropped and whitespace collapsed. A double-quoted
     * token is taken for a literal where only a literal makes sense (after a comparison, inside VALUES or IN lists)
     * since MySQL reads ".." as a string.
     */
    String sanitized() {
        return sanitized(null);
    }

    /** Marks in {@code mask} the characters this reading takes for literals. */
    void markLiterals(boolean[] mask) {
        for (int i = 0; i < n; i++) {
            if (type[i] == STRING || type[i] == NUMBER || (type[i] == QIDENT && dqString[i])) {
                java.util.Arrays.fill(mask, start[i], end[i], true);
            }
        }
    }

    /**
     * As {@link #sanitized()}, and a token touching a character set in {@code mask} (a literal in another reading
     * of the text) is replaced too.
     */
    String sanitized(boolean[] mask) {
        final String s = sql;
        char[] out = new char[s.length() + 1];
        int pos = 0;
        boolean[] listAt = new boolean[lparens + 2];
        int depth = 0;
        int valuesDepth = -1;
        int maskedEnd = -1; // end of the last token replaced because of the mask
        for (int i = 0; i < n; i++) {
            byte t = type[i];
            boolean joined = false; // same literal of another reading as the previous token: one ? for both
            if (mask != null && maskedEnd >= 0) {
                joined = true;
                for (int k = maskedEnd; k <= start[i] && joined; k++) {
                    joined = mask[k];
                }
            }
            if (space[i] && pos > 0 && !joined) {
                out[pos++] = ' ';
            }
            boolean lit;
            if (t == STRING || t == NUMBER) {
                lit = true;
            } else if (t == QIDENT && s.charAt(start[i]) == '"') {
                lit = dqString[i] || literalContext(i, listAt[Math.min(depth, listAt.length - 1)]);
            } else {
                lit = false;
            }
            boolean masked = false;
            if (mask != null) {
                for (int k = start[i]; k < end[i] && !masked; k++) {
                    masked = mask[k];
                }
                lit |= masked;
            }
            maskedEnd = masked ? end[i] : -1;
            switch (t) {
                case LPAREN:
                    depth++;
                    if (depth < listAt.length) {
                        listAt[depth] = (i > 0 && type[i - 1] == WORD && text[i - 1].equals("in")) || valuesDepth == depth - 1;
                    }
                    break;
                case RPAREN:
                    if (depth > 0) {
                        depth--;
                    }
                    if (valuesDepth > depth) {
                        valuesDepth = -1;
                    }
                    break;
                case WORD:
                    if (text[i].equals("values")) {
                        valuesDepth = depth;
                    } else if (depth == valuesDepth) {
                        valuesDepth = -1;
                    }
                    break;
                case SEMI:
                    depth = 0;
                    valuesDepth = -1;
                    break;
                default:
                    break;
            }
            if (lit) {
                if (!joined) {
                    out[pos++] = '?';
                }
            } else {
                s.getChars(start[i], end[i], out, pos);
                pos += end[i] - start[i];
            }
        }
        return new String(out, 0, pos);
    }

    private boolean literalContext(int i, boolean inList) {
        if (i == 0) {
            return false;
        }
        int p = i - 1;
        switch (type[p]) {
            case OP: {
                char c = sql.charAt(start[p]);
                return "=<>!+-/%|&~^".indexOf(c) >= 0;
            }
            case WORD:
                switch (text[p]) {
                    case "like": case "ilike": case "rlike": case "regexp": case "glob": case "escape":
                    case "then": case "else": case "between":
                        return true;
                    default:
                        return false;
                }
            case LPAREN:
            case COMMA:
                return inList;
            default:
                return false;
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    private static boolean isRadixDigit(char radix, char c) {
        switch (radix) {
            case 'x': return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
            case 'b': return c == '0' || c == '1';
            default: return c >= '0' && c <= '7';
        }
    }

    static boolean isUnicodeSpace(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == 0x7f || c == 0xfeff;
    }

    static boolean isIdentStart(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (c >= 0x80 && !isUnicodeSpace(c));
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$'
                || (c >= 0x80 && !isUnicodeSpace(c));
    }

    private static boolean isTagChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'
                || (c >= 0x80 && !isUnicodeSpace(c));
    }

    /** A keyword set; its words also become canonical instances the lexer hands out. */
    static Set<String> words(String... ws) {
        Set<String> set = Set.copyOf(java.util.Arrays.asList(ws));
        canonical(set);
        return set;
    }

    static {
        // words the parser compares with equals() that are in none of the keyword sets
        words("select", "from", "join", "into", "update", "delete", "insert", "merge", "with", "as", "on", "using",
                "values", "table", "create", "drop", "alter", "set", "where", "and", "or", "not", "in", "is", "null",
                "by", "order", "group", "limit", "case", "when", "then", "else", "end", "exists", "distinct", "all",
                "union", "recursive", "materialized", "search", "cycle", "begin", "commit", "rollback", "grant",
                "revoke", "to", "schema", "current", "current_schema", "search_path", "session", "local", "like",
                "references", "count", "max", "min", "sum", "avg", "now", "true", "false", "desc", "asc", "left",
                "right", "inner", "outer", "full", "cross", "natural", "lateral", "only", "if", "top", "default",
                "explain", "describe", "analyze", "call", "use", "show", "truncate", "id", "name", "type", "status");
    }
}
