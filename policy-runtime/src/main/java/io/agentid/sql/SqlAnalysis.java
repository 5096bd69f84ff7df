package io.agentid.sql;

import java.util.List;

/**
 * The result of analysing one SQL text.
 *
 * @param statements the statements, in order; empty only when the text is not analysable. A data-modifying
 *     statement nested in another one (a {@code DELETE} in a {@code WITH} clause, the body of a {@code DO} or
 *     {@code BEGIN ... END} block, of a trigger or routine, dynamic SQL of {@code EXECUTE IMMEDIATE}, or a
 *     {@code SELECT ... INTO t} that creates {@code t}) is also reported, as a statement of its own right after
 *     the one containing it
 * @param sanitized the text with every literal (strings, numbers, hex, dollar-quoted) replaced by {@code ?},
 *     comments removed and runs of whitespace collapsed to one space; safe to export
 * @param problem null when analysable; otherwise why not, lower case (e.g. {@code unterminated string literal})
 */
public record SqlAnalysis(List<SqlStatement> statements, String sanitized, String problem) {
    public SqlAnalysis {
        statements = List.copyOf(statements);
    }

    public boolean analysable() {
        return problem == null;
    }
}
