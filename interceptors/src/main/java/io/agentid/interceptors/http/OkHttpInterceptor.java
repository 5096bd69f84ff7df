package io.agentid.interceptors.http;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentid.bootstrap.OkHttpHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.ClassCandidates;
import io.agentid.runtime.Interceptor;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * OkHttp 3.14, 4 and 5 ({@code execute} and {@code enqueue}), matched by name in whichever loader defines it:
 * {@code okhttp3.internal.http.RealInterceptorChain}, which all three run every request through, and (4 and 5)
 * {@code okhttp3.internal.connection.RealCall}, whose {@code getResponseWithInterceptorChain} runs a call's chain (a
 * model answer is read ahead on its way out; on 3.14, whose call is {@code okhttp3.RealCall}, at the step). See {@link OkHttpGuard} for what one request is.
 */
public final class OkHttpInterceptor implements Interceptor {
    static final String CHAIN = "okhttp3.internal.http.RealInterceptorChain";
    static final String CALL = "okhttp3.internal.connection.RealCall";

    @Override
    public String name() {
        return "okhttp";
    }

    @Override
    public ClassCandidates candidates() {
        return ClassCandidates.named(CHAIN, CALL);
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentRuntime runtime) {
        OkHttpHooks.install(new OkHttpGuard(runtime, Boolean.parseBoolean(runtime.setting("http.traceparent", "true")),
                ModelCalls.shared(runtime)));
        return agent
                .type(named(CHAIN))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(OkHttpProceedAdvice.class).on(named("proceed").and(takesArguments(1))
                                .and(takesArgument(0, named("okhttp3.Request"))))))
                .type(named(CALL))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(OkHttpChainAdvice.class).on(
                                nameStartsWith("getResponseWithInterceptorChain").and(takesArguments(0)))));
    }
}
