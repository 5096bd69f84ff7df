package io.agentid.agent.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The agent's settings. Each key is looked up, in order of precedence, in the {@code -javaagent} arguments
 * ({@code key=value,key=value}), the system property {@code agentid.<key>} (for {@code otel.*} keys: the
 * property {@code otel.<...>} itself), and the environment variable (the key upper-cased with {@code .} as
 * {@code _}: {@code AGENTID_AGENT_ID}, {@code OTEL_EXPORTER_OTLP_ENDPOINT}); then its default.
 */
final class AgentConfig {
    static final String POLICY = "policy";
    static final String AGENT_ID = "agent.id";
    static final String POLICY_ON_ERROR = "policy.on_error";
    static final String ON_INTERNAL_ERROR = "on_internal_error";
    static final String LOG_LEVEL = "log.level";
    static final String QUEUE_ALLOWED = "export.queue.allowed";
    static final String QUEUE_EVIDENCE = "export.queue.denied";
    static final String OTEL_ENDPOINT = "otel.exporter.otlp.endpoint";
    static final String OTEL_TRACES_ENDPOINT = "otel.exporter.otlp.traces.endpoint";
    static final String OTEL_PROTOCOL = "otel.exporter.otlp.protocol";
    static final String OTEL_HEADERS = "otel.exporter.otlp.headers";
    static final String OTEL_SERVICE_NAME = "otel.service.name";
    static final String OTEL_RESOURCE_ATTRIBUTES = "otel.resource.attributes";
    static final String OTEL_TRACES_EXPORTER = "otel.traces.exporter";
    static final String HTTP_TRACEPARENT = "http.traceparent";
    /** A price file laid over the shipped model price table (docs/GENAI.md); read by the HTTP interceptor. */
    static final String GENAI_PRICES = "genai.prices";
    /** Judge loading classes from their bytes before Byte Buddy parses them (CandidateFilter); off for diagnosis. */
    static final String CLASS_PREFILTER = "class_prefilter";

    private static final java.util.Set<String> KNOWN = java.util.Set.of(POLICY, AGENT_ID, POLICY_ON_ERROR,
            ON_INTERNAL_ERROR, LOG_LEVEL, QUEUE_ALLOWED, QUEUE_EVIDENCE, OTEL_ENDPOINT, OTEL_TRACES_ENDPOINT,
            OTEL_PROTOCOL, OTEL_HEADERS, OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES, OTEL_TRACES_EXPORTER,
            HTTP_TRACEPARENT, GENAI_PRICES, CLASS_PREFILTER);

    private final Map<String, String> args;
    private final Map<String, String> env;
    private final java.util.Properties props;

    AgentConfig(String agentArgs, java.util.Properties props, Map<String, String> env) {
        this.args = parseArgs(agentArgs);
        this.props = props;
        this.env = env;
    }

    static Map<String, String> parseArgs(String agentArgs) {
        Map<String, String> out = new LinkedHashMap<>();
        if (agentArgs == null || agentArgs.isBlank()) {
            return out;
        }
        for (String part : agentArgs.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int eq = part.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("bad -javaagent argument `" + part
                        + "`: expected key=value (for example policy=/path/policy.yaml,agent.id=billing-agent)");
            }
            out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
        }
        return out;
    }

    /** The keys given as -javaagent arguments that agentid does not know, for a warning. */
    java.util.List<String> unknownArgs() {
        java.util.List<String> unknown = new java.util.ArrayList<>();
        for (String k : args.keySet()) {
            boolean interceptorSwitch = k.startsWith("interceptor.") && k.endsWith(".enabled");
            if (!KNOWN.contains(k) && !interceptorSwitch) {
                unknown.add(k);
            }
        }
        return unknown;
    }

    String get(String key, String defaultValue) {
        String v = args.get(key);
        if (v == null) {
            v = props.getProperty(key.startsWith("otel.") ? key : "agentid." + key);
        }
        if (v == null) {
            String name = (key.startsWith("otel.") ? key : "agentid." + key).toUpperCase(Locale.ROOT).replace('.', '_');
            v = env.get(name);
        }
        return v == null || v.isBlank() ? defaultValue : v.trim();
    }

    /** Where a setting came from, for the start-up line. */
    String origin(String key) {
        if (args.containsKey(key)) {
            return "-javaagent argument";
        }
        String prop = key.startsWith("otel.") ? key : "agentid." + key;
        if (props.getProperty(prop) != null) {
            return "-D" + prop;
        }
        String name = prop.toUpperCase(Locale.ROOT).replace('.', '_');
        return env.containsKey(name) ? "$" + name : "default";
    }

    int getInt(String key, int defaultValue) {
        String v = get(key, null);
        if (v == null) {
            return defaultValue;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("`" + key + "` must be a number, got `" + v + "`");
        }
    }

    /** One of {@code allowed}, case-insensitive; anything else is a configuration error naming the choices. */
    String choice(String key, String defaultValue, String... allowed) {
        String v = get(key, defaultValue).toLowerCase(Locale.ROOT);
        for (String a : allowed) {
            if (a.equals(v)) {
                return v;
            }
        }
        throw new IllegalArgumentException("`" + key + "` must be one of " + String.join(", ", allowed) + ", got `"
                + v + "`");
    }
}
