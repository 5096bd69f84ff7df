package io.agentid.policy.model;

import java.util.List;

/**
 * The conditions of a {@code kind: sql} rule. An empty list means the condition is absent (the policy format
 * rejects an empty list, so the two cannot be confused). All present conditions must hold.
 *
 * @param operations {@code operation}: the statement's operation is one of these (upper case)
 * @param operationsNot {@code operation_not}: the statement's operation is none of these (upper case)
 * @param tables {@code table}: some table of the statement matches some pattern
 * @param tablesNot {@code table_not}: some table of the statement matches none of the patterns
 * @param agents {@code agent}: the agent id matches some pattern
 * @param agentsNot {@code agent_not}: the agent id matches none of the patterns
 */
public record SqlMatch(List<String> operations, List<String> operationsNot, List<NamePattern> tables,
        List<NamePattern> tablesNot, List<NamePattern> agents, List<NamePattern> agentsNot) implements Match {

    public static final String KIND = "sql";

    public SqlMatch {
        operations = List.copyOf(operations);
        operationsNot = List.copyOf(operationsNot);
        tables = List.copyOf(tables);
        tablesNot = List.copyOf(tablesNot);
        agents = List.copyOf(agents);
        agentsNot = List.copyOf(agentsNot);
    }

    @Override
    public String kind() {
        return KIND;
    }
}
