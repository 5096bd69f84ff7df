package io.agentid.interceptors.jdbc;

import io.agentid.sql.SqlAnalysis;
import io.agentid.sql.SqlStatement;
import java.util.List;
import java.util.Objects;

/**
 * The analysis of one SQL text in the shape the guard needs: arrays, so deciding it loops without
 * iterators. Immutable apart from a one-entry memo of the last schema it was resolved against; cached per
 * text by {@link JdbcGuard}.
 */
final class SqlInfo {
    final String sanitized;
    /** Null when analysable. */
    final String problem;
    final String[] operations;
    final String[][] rawTables;
    final String[] schemaSwitches;
    final boolean needsSchema;
    final boolean switchesSchema;
    private volatile Resolved last;

    SqlInfo(SqlAnalysis analysis) {
        this(analysis.analysable() ? analysis.sanitized() : null, analysis.problem(),
                analysis.statements().stream().map(SqlStatement::operation).toArray(String[]::new),
                analysis.statements().stream().map(st -> st.tables().toArray(new String[0])).toArray(String[][]::new),
                analysis.statements().stream().map(SqlStatement::schemaSwitch).toArray(String[]::new));
    }

    private SqlInfo(String sanitized, String problem, String[] operations, String[][] rawTables,
            String[] schemaSwitches) {
        this.sanitized = sanitized;
        this.problem = problem;
        this.operations = operations;
        this.rawTables = rawTables;
        this.schemaSwitches = schemaSwitches;
        boolean needs = false;
        boolean switches = false;
        for (int i = 0; i < rawTables.length; i++) {
            switches |= schemaSwitches[i] != null;
            for (String t : rawTables[i]) {
                needs |= t.indexOf('.') < 0;
            }
        }
        this.needsSchema = needs;
        this.switchesSchema = switches;
    }

    /** The statements of several texts run as one batch, in order; unanalysable if any text is. */
    static SqlInfo concat(List<SqlInfo> parts) {
        int n = 0;
        StringBuilder text = new StringBuilder();
        String problem = null;
        for (SqlInfo p : parts) {
            n += p.operations.length;
            if (p.problem != null && problem == null) {
                problem = p.problem;
            }
            if (p.sanitized != null) {
                if (text.length() > 0) {
                    text.append("; ");
                }
                text.append(p.sanitized);
            }
        }
        String[] ops = new String[n];
        String[][] tables = new String[n][];
        String[] switches = new String[n];
        int i = 0;
        for (SqlInfo p : parts) {
            System.arraycopy(p.operations, 0, ops, i, p.operations.length);
            System.arraycopy(p.rawTables, 0, tables, i, p.rawTables.length);
            System.arraycopy(p.schemaSwitches, 0, switches, i, p.schemaSwitches.length);
            i += p.operations.length;
        }
        return new SqlInfo(problem == null ? text.toString() : null, problem, ops, tables, switches);
    }

    boolean analysable() {
        return problem == null;
    }

    /** The tables with unqualified names resolved against {@code schema} (lower case, may be null). */
    Resolved resolve(String schema) {
        if (!needsSchema && !switchesSchema) {
            Resolved r = last;
            if (r == null) {
                r = new Resolved(this, null, rawTables);
                last = r;
            }
            return r;
        }
        Resolved r = last;
        if (r != null && Objects.equals(r.schema, schema)) {
            return r;
        }
        String[][] tables = new String[rawTables.length][];
        String current = schema;
        for (int i = 0; i < rawTables.length; i++) {
            tables[i] = qualify(rawTables[i], current);
            if (schemaSwitches[i] != null) {
                current = schemaSwitches[i];
            }
        }
        r = new Resolved(this, schema, tables);
        last = r;
        return r;
    }

    static String[] qualify(String[] names, String schema) {
        if (schema == null) {
            return names;
        }
        String[] out = names;
        for (int i = 0; i < names.length; i++) {
            if (names[i].indexOf('.') < 0) {
                if (out == names) {
                    out = names.clone();
                }
                out[i] = schema + "." + names[i];
            }
        }
        return out;
    }

    /** A {@link SqlInfo} with its tables resolved against one schema. */
    static final class Resolved {
        final SqlInfo info;
        final String schema;
        final String[][] tables;
        final String[] allTables;
        final String operationName;

        Resolved(SqlInfo info, String schema, String[][] tables) {
            this.info = info;
            this.schema = schema;
            this.tables = tables;
            this.allTables = flatten(tables);
            this.operationName = operationName(info.operations);
        }

        static String[] flatten(String[][] tables) {
            java.util.LinkedHashSet<String> all = new java.util.LinkedHashSet<>();
            for (String[] ts : tables) {
                java.util.Collections.addAll(all, ts);
            }
            return all.toArray(new String[0]);
        }

        static String operationName(String[] operations) {
            if (operations.length == 0) {
                return null;
            }
            if (operations.length == 1) {
                return operations[0];
            }
            for (String op : operations) {
                if (!op.equals(operations[0])) {
                    return "BATCH";
                }
            }
            return "BATCH " + operations[0];
        }
    }
}
