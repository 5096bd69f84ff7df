package io.agentid.sql;

import java.util.List;

/**
 * One statement of a SQL text, as the analyser understood it.
 *
 * @param operation the statement's verb, upper case: {@code SELECT}, {@code INSERT}, {@code UPDATE},
 *     {@code DELETE}, {@code MERGE}, {@code CREATE}, {@code DROP}, {@code ALTER}, {@code TRUNCATE},
 *     {@code GRANT}, {@code REVOKE}, {@code CALL}, {@code SET}, {@code USE}, ... (see {@link SqlAnalyzer#OPERATIONS})
 * @param tables every table the statement touches, in order of first appearance, without duplicates: lower
 *     case, quotes removed, the parts as written joined by {@code .} ({@code hr.payroll}, {@code payroll},
 *     {@code db.hr.payroll}); CTE names are not tables
 * @param schemaSwitch for {@code USE x}, {@code SET SCHEMA x}, {@code SET search_path TO x, ...}: the schema
 *     (lower case, unquoted; the first of a search path) that later unqualified names resolve against, else null
 */
public record SqlStatement(String operation, List<String> tables, String schemaSwitch) {
    public SqlStatement {
        tables = List.copyOf(tables);
    }
}
