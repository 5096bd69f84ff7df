package io.agentid.agent.internal;

import io.agentid.runtime.ClassCandidates;
import java.security.ProtectionDomain;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.agent.builder.ResettableClassFileTransformer;

/**
 * Byte Buddy's transformer behind the interceptors' {@link ClassCandidates}: a class being loaded that no
 * interceptor could transform is handed back untouched before Byte Buddy parses it for its matchers (which,
 * for a super-type matcher, means parsing the class and walking its hierarchy). Retransformations and classes
 * without a name pass straight through.
 */
final class CandidateFilter extends ResettableClassFileTransformer.WithDelegation {
    private final ClassCandidates candidates;

    private CandidateFilter(ResettableClassFileTransformer delegate, ClassCandidates candidates) {
        super(delegate);
        this.candidates = candidates;
    }

    static AgentBuilder.TransformerDecorator decorator(ClassCandidates candidates) {
        if (candidates.any()) {
            return AgentBuilder.TransformerDecorator.NoOp.INSTANCE;
        }
        return t -> new CandidateFilter(t, candidates);
    }

    private boolean skip(String className, Class<?> redefined, byte[] classFile) {
        return redefined == null && !candidates.test(className, classFile);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain,
            byte[] classFile) throws java.lang.instrument.IllegalClassFormatException {
        return skip(className, redefined, classFile) ? null
                : classFileTransformer.transform(loader, className, redefined, domain, classFile);
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> redefined,
            ProtectionDomain domain, byte[] classFile) throws java.lang.instrument.IllegalClassFormatException {
        return skip(className, redefined, classFile) ? null
                : classFileTransformer.transform(module, loader, className, redefined, domain, classFile);
    }
}
