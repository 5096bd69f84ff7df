package io.agentid.interceptors.http;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentid.bootstrap.HttpHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.ClassCandidates;
import io.agentid.runtime.Interceptor;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * The JDK's HTTP clients: {@code java.net.http.HttpClient} (HTTP/1.1 and HTTP/2, {@code send} and
 * {@code sendAsync}) and {@code java.net.HttpURLConnection} (http, and https, whose implementation delegates to
 * the same class). Both are JDK classes of the platform and bootstrap loaders, named exactly in
 * {@link #jdkTypes()}. See {@link HttpGuard} for what one request is.
 */
public final class HttpInterceptor implements Interceptor {
    static final String CLIENT_IMPL = "jdk.internal.net.http.HttpClientImpl";
    static final String MULTI_EXCHANGE = "jdk.internal.net.http.MultiExchange";
    static final String URL_CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
    static final String BYTES_PUBLISHER = "jdk.internal.net.http.RequestPublishers$ByteArrayPublisher";

    @Override
    public String name() {
        return "http";
    }

    @Override
    public Set<String> jdkTypes() {
        return Set.of(CLIENT_IMPL, MULTI_EXCHANGE, URL_CONNECTION, BYTES_PUBLISHER);
    }

    @Override
    public ClassCandidates candidates() {
        return ClassCandidates.named(jdkTypes());
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentRuntime runtime) {
        HttpHooks.install(new HttpGuard(runtime, Boolean.parseBoolean(runtime.setting("http.traceparent", "true")),
                ModelCalls.shared(runtime)));
        return agent
                .type(named(BYTES_PUBLISHER))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(BodyPublisherAdvice.class).on(isConstructor().and(takesArguments(4)))))
                .type(named(CLIENT_IMPL))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ClientSendAdvice.class).on(named("sendAsync").and(takesArguments(4)))))
                .type(named(MULTI_EXCHANGE))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ExchangeCreatedAdvice.class).on(isConstructor()))
                        .visit(Advice.to(ClientHopAdvice.class).on(named("requestFilters").and(takesArguments(1)))))
                .type(named(URL_CONNECTION))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(UrlConnectAdvice.class).on(named("plainConnect0").and(takesArguments(0))))
                        .visit(Advice.to(UrlRedirectAdvice.class).on(named("followRedirect0").and(takesArguments(3))))
                        .visit(Advice.to(UrlDoneAdvice.class).on(named("getInputStream").and(takesArguments(0))))
                        .visit(Advice.to(UrlDisconnectAdvice.class).on(named("disconnect").and(takesArguments(0)))));
    }
}
