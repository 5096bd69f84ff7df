package io.agentid.policy.model;

import java.util.List;

/**
 * The conditions of a {@code kind: http} rule. An empty list (or a null {@code cost}) means the condition is
 * absent. All present conditions must hold.
 *
 * <p>Facts of the request that may be absent: {@code method}, {@code scheme} and {@code path} on a raw
 * connection, {@code model} and {@code cost} on a request that is not a model call. A condition on an absent
 * fact does not hold, in either form ({@code method} and {@code method_not} alike), so a rule that states one
 * says nothing about calls without that fact. The destination ({@code host}, {@code port}) is always present:
 * an unknown port or empty host matches no pattern, so the positive form fails and the negated form holds.
 *
 * @param hosts {@code host}: the normalised host matches some pattern
 * @param hostsNot {@code host_not}: the normalised host matches none of the patterns
 * @param methods {@code method}: the method (upper case) is one of these
 * @param methodsNot {@code method_not}: the method is none of these (and known)
 * @param schemes {@code scheme}: the scheme (lower case) is one of these
 * @param schemesNot {@code scheme_not}
 * @param ports {@code port}: the port is one of these
 * @param portsNot {@code port_not}: the port is none of these (an unknown port, -1, is none of them)
 * @param paths {@code path}: the raw path matches some glob ({@code *} is any run of characters, {@code /} included)
 * @param pathsNot {@code path_not}
 * @param models {@code model}: the model (lower case) matches some glob
 * @param modelsNot {@code model_not}
 * @param cost {@code cost_usd}, or null
 * @param agents {@code agent}: the agent id matches some pattern
 * @param agentsNot {@code agent_not}
 */
public record HttpMatch(List<HostPattern> hosts, List<HostPattern> hostsNot, List<String> methods,
        List<String> methodsNot, List<String> schemes, List<String> schemesNot, List<Integer> ports,
        List<Integer> portsNot, List<String> paths, List<String> pathsNot, List<String> models,
        List<String> modelsNot, CostRange cost, List<NamePattern> agents, List<NamePattern> agentsNot)
        implements Match {

    public static final String KIND = "http";

    /** The HTTP methods a policy may name, upper case. */
    public static final List<String> METHODS =
            List.of("CONNECT", "DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT", "TRACE");

    /** The schemes a policy may name, lower case. */
    public static final List<String> SCHEMES = List.of("http", "https", "ws", "wss");

    public HttpMatch {
        hosts = List.copyOf(hosts);
        hostsNot = List.copyOf(hostsNot);
        methods = List.copyOf(methods);
        methodsNot = List.copyOf(methodsNot);
        schemes = List.copyOf(schemes);
        schemesNot = List.copyOf(schemesNot);
        ports = List.copyOf(ports);
        portsNot = List.copyOf(portsNot);
        paths = List.copyOf(paths);
        pathsNot = List.copyOf(pathsNot);
        models = List.copyOf(models);
        modelsNot = List.copyOf(modelsNot);
        agents = List.copyOf(agents);
        agentsNot = List.copyOf(agentsNot);
    }

    /**
     * True when the rule matches on the destination (host, port) and the agent only: such a rule also governs
     * raw connections, which have no method, scheme, path, model or cost.
     */
    public boolean destinationOnly() {
        return methods.isEmpty() && methodsNot.isEmpty() && schemes.isEmpty() && schemesNot.isEmpty()
                && paths.isEmpty() && pathsNot.isEmpty() && models.isEmpty() && modelsNot.isEmpty() && cost == null;
    }

    @Override
    public String kind() {
        return KIND;
    }
}
