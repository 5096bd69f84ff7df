package io.agentid.runtime;

import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * One library's instrumentation. Found with {@link java.util.ServiceLoader}, so adding a library means adding
 * a package with an implementation, its advice and its test, and a line in
 * {@code META-INF/services/io.agentid.runtime.Interceptor}.
 */
public interface Interceptor {
    /** A short, stable name ({@code jdbc}, {@code okhttp}); {@code -Dagentid.interceptor.<name>.enabled=false} turns it off. */
    String name();

    /**
     * The exact names of JDK classes this interceptor instruments ({@code java.*}, {@code jdk.*}, {@code sun.*}
     * classes of the bootstrap and platform loaders, which the agent otherwise never touches). They are exempt
     * from the agent's ignore rules, and retransformed if already loaded when the agent starts.
     */
    default Set<String> jdkTypes() {
        return Set.of();
    }

    /**
     * Which loading classes this interceptor could transform, judged from their class files before Byte Buddy
     * parses them ({@link ClassCandidates}). The default, every class, is always correct; a narrower answer
     * makes start-up cheaper, and must include every class this interceptor's matchers would select.
     */
    default ClassCandidates candidates() {
        return ClassCandidates.ANY;
    }

    /** Installs the hooks this interceptor's advice calls, then adds its transformations to {@code agent}. */
    AgentBuilder install(AgentBuilder agent, AgentRuntime runtime);
}
