package io.agentid.interceptors.http;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentid.bootstrap.ApacheAsyncHooks;
import io.agentid.bootstrap.ApacheHttpHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.ClassCandidates;
import io.agentid.runtime.Interceptor;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Apache HttpClient 5 and 4 classic ({@code CloseableHttpClient} from {@code HttpClients}/{@code HttpClientBuilder})
 * and async (5's {@code CloseableHttpAsyncClient} from {@code HttpAsyncClients}; HttpAsyncClient 4), matched by name in whichever loader
 * defines it. See {@link ApacheHttpGuard} and {@link ApacheAsyncGuard} for what one request is.
 */
public final class ApacheHttpInterceptor implements Interceptor {
    static final String CLIENT = "org.apache.hc.client5.http.impl.classic.InternalHttpClient";
    static final String RETRY = "org.apache.hc.client5.http.impl.classic.HttpRequestRetryExec";
    static final String PROTOCOL = "org.apache.hc.client5.http.impl.classic.ProtocolExec";
    static final String ASYNC_CLIENT = "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient";
    static final String ASYNC_RETRY = "org.apache.hc.client5.http.impl.async.AsyncHttpRequestRetryExec";
    static final String ASYNC_PROTOCOL = "org.apache.hc.client5.http.impl.async.AsyncProtocolExec";
    static final String SESSION_REQUEST = "org.apache.hc.core5.reactor.IOSessionRequest";
    static final String REACTOR = "org.apache.hc.core5.reactor.SingleCoreIOReactor";
    static final String MAIN_4_ASYNC = "org.apache.http.impl.nio.client.MainClientExec";
    static final String HANDLER_4_ASYNC = "org.apache.http.impl.nio.client.AbstractClientExchangeHandler";
    static final String SESSION_REQUEST_4 = "org.apache.http.impl.nio.reactor.SessionRequestImpl";
    static final String CLIENT_4 = "org.apache.http.impl.client.InternalHttpClient";
    static final String RETRY_4 = "org.apache.http.impl.execchain.RetryExec";
    static final String PROTOCOL_4 = "org.apache.http.impl.execchain.ProtocolExec";
    private static final ElementMatcher.Junction<MethodDescription> EXECUTE_4 = named("execute")
            .and(takesArguments(4)).and(takesArgument(0, named("org.apache.http.conn.routing.HttpRoute")));
    private static final ElementMatcher.Junction<MethodDescription> ASYNC_EXECUTE = named("execute")
            .and(takesArguments(5)).and(takesArgument(2, named("org.apache.hc.client5.http.async.AsyncExecChain$Scope")));
    private static final ElementMatcher.Junction<MethodDescription> EXECUTE = named("execute").and(takesArguments(3))
            .and(takesArgument(1, named("org.apache.hc.client5.http.classic.ExecChain$Scope")));

    @Override
    public String name() {
        return "apache-httpclient";
    }

    @Override
    public ClassCandidates candidates() {
        return ClassCandidates.named(CLIENT, RETRY, PROTOCOL, CLIENT_4, RETRY_4, PROTOCOL_4, ASYNC_CLIENT, ASYNC_RETRY,
                ASYNC_PROTOCOL,
                SESSION_REQUEST, REACTOR, MAIN_4_ASYNC, HANDLER_4_ASYNC, ApacheAsyncGuard.HANDLER_4, SESSION_REQUEST_4);
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentRuntime runtime) {
        boolean traceparent = Boolean.parseBoolean(runtime.setting("http.traceparent", "true"));
        ApacheHttpHooks.install(new ApacheHttpGuard(runtime, traceparent, ModelCalls.shared(runtime)));
        ApacheAsyncHooks.install(new ApacheAsyncGuard(runtime, traceparent, ModelCalls.shared(runtime)));
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
                        .visit(Advice.to(Apache4ExecAdvice.class).on(EXECUTE_4)))
                .type(named(ASYNC_CLIENT))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheAsyncExecuteAdvice.class).on(named("doExecute").and(takesArguments(6))
                                .and(takesArgument(1, named("org.apache.hc.core5.http.nio.AsyncRequestProducer"))))))
                .type(named(ASYNC_RETRY))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheAsyncRetryAdvice.class).on(ASYNC_EXECUTE)))
                .type(named(ASYNC_PROTOCOL))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheAsyncProtocolAdvice.class).on(ASYNC_EXECUTE)))
                .type(named(SESSION_REQUEST))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheSessionRequestAdvice.class).on(isConstructor())))
                .type(named(REACTOR))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ApacheReactorConnectAdvice.class).on(named("processConnectionRequest")
                                .and(takesArguments(2)))))
                .type(named(MAIN_4_ASYNC))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(Apache4PrepareAdvice.class).on(named("prepareRequest").and(takesArguments(2))))
                        .visit(Advice.to(Apache4ResponseAdvice.class).on(named("responseReceived")
                                .and(takesArguments(3))))
                        .visit(Advice.to(Apache4CompletedAdvice.class).on(named("responseCompleted")
                                .and(takesArguments(2)))))
                .type(named(ApacheAsyncGuard.HANDLER_4))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(Apache4ExchangeDoneAdvice.class).on(named("responseCompleted")
                                .and(takesArguments(0)))))
                .type(named(HANDLER_4_ASYNC))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(Apache4FailedAdvice.class).on(named("failed").and(takesArguments(1))))
                        .visit(Advice.to(Apache4CancelAdvice.class).on(named("cancel").and(takesArguments(0)))))
                .type(named(SESSION_REQUEST_4))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(Apache4SessionRequestAdvice.class).on(isConstructor()
                                .and(takesArguments(4)))));
    }
}
