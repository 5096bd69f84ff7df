package io.agentid.runtime;

import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One library's instrumentation. Found with {@link java.util.ServiceLoader}, so adding a library means adding
 * a package with an implementation, its advice and its test, and a line in
 * {@code META-INF/services/io.agentid.runtime.Interceptor}.
 */
public interface Interceptor {
    /** A short, stable name ({@code jdbc}, {@code okhttp}); {@code -Dagentid.interceptor.<name>.enabled=false} turns it off. */
    String name();

    /** Installs the hooks this interceptor's advice calls, then adds its transformations to {@code agent}. */
    AgentBuilder install(AgentBuilder agent, AgentRuntime runtime);
}
