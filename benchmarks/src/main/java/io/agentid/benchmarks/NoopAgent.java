package io.agentid.benchmarks;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;

/**
 * A Java agent that does nothing but register a retransform-capable transformer that changes no class, as both
 * measured agents do: the floor of "a {@code -javaagent} is attached" for {@code benchmarks/http-clients.sh}
 * ({@code -javaagent:benchmarks/target/http-workload.jar}).
 */
public final class NoopAgent {
    private NoopAgent() {}

    public static void premain(String args, Instrumentation inst) {
        inst.addTransformer(new ClassFileTransformer() {}, true);
    }
}
