package io.agentid.interceptors.http;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentid.bootstrap.ApacheHttpHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.ClassCandidates;
import io.agentid.runtime.Interceptor;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apache HttpClient 5 and 4 classic ({@code CloseableHttpClient} from {@code HttpClients}/{@code HttpClientBuilder}),
 * matched by name in whichever loader defines it. See {@link ApacheHttpGuard} for what one request is.
 */
public final class ApacheHttpInterceptor implements Interceptor {
    static final String CLIENT = "org.apache.hc.client5.http.impl.classic.InternalHttpClient";
    static final String RETRY = "org.apache.hc.client5.http.impl.classic.HttpRequestRetryExec";
    static final String PROTOCOL = "org.apache.hc.client5.http.impl.classic.ProtocolExec";
    static final String CLIENT_4 = "org.apache.http.impl.client.InternalHttpClient";
    static final String RETRY_4 = "org.apache.http.impl.execchain.RetryExec";
    static final String PROTOCOL_4 = "org.apache.http.impl.execchain.ProtocolExec";
    private static final ElementMatcher.Junction<MethodDescription> EXECUTE_4 = named("execute")
            .and(takesArguments(4)).and(takesArgument(0, named("org.apache.http.conn.routing.HttpRoute")));
    private static final ElementMatcher.Junction<MethodDescription> EXECUTE = named("execute").and(takesArguments(3))
            .and(takesArgument(1, named("org.apache.hc.client5.http.classic.ExecChain$Scope")));

    @Override
    public String name() {
        return "apache-httpclient";
    }

    @Override
    public ClassCandidates candidates() {
        return ClassCandidates.named(CLIENT, RETRY, PROTOCOL, CLIENT_4, RETRY_4, PROTOCOL_4);
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentRuntime runtime) {
        ApacheHttpHooks.install(new ApacheHttpGuard(runtime,
                Boolean.parseBoolean(runtime.setting("http.traceparent", "true")), ModelCalls.shared(runtime)));
        return agent
                .type(named(CLIENT))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheCallAdvice.class).on(named("doExecute").and(takesArguments(3)))))
                .type(named(RETRY))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheRetryExecAdvice.class).on(EXECUTE)))
                .type(named(PROTOCOL))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheProtocolExecAdvice.class).on(EXECUTE)))
                .type(named(CLIENT_4))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheCallAdvice.class).on(named("doExecute").and(takesArguments(3)))))
                .type(namedOneOf(RETRY_4, PROTOCOL_4))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(Apache4ExecAdvice.class).on(EXECUTE_4)));
    }
}
