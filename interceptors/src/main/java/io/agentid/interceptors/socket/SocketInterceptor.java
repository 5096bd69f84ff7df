package io.agentid.interceptors.socket;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.agentid.bootstrap.SocketHooks;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.ClassCandidates;
import io.agentid.runtime.Interceptor;
import java.net.SocketAddress;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;

/**
 * The egress backstop below the clients: every TCP connect through {@code java.net.Socket} (its platform
 * implementation {@code sun.nio.ch.NioSocketImpl}, the only one on Java 18+ and the default since 13) and
 * {@code java.nio.channels.SocketChannel} ({@code sun.nio.ch.SocketChannelImpl}: blocking, non-blocking and
 * through its socket adaptor; Netty's NIO transport), decided by the destination rules of kind {@code http}.
 * See {@link SocketGuard}. When the HTTP interceptor is on, the connects of the JDK's HTTP clients are left to
 * it (they are marked, not decided twice).
 */
public final class SocketInterceptor implements Interceptor {
    static final String SOCKET_IMPL = "sun.nio.ch.NioSocketImpl";
    static final String CHANNEL_IMPL = "sun.nio.ch.SocketChannelImpl";
    static final String URL_CONNECTION = "sun.net.www.protocol.http.HttpURLConnection";
    static final String PLAIN_CONNECTION = "jdk.internal.net.http.PlainHttpConnection";

    @Override
    public String name() {
        return "socket";
    }

    @Override
    public Set<String> jdkTypes() {
        return Set.of(SOCKET_IMPL, CHANNEL_IMPL, URL_CONNECTION, PLAIN_CONNECTION);
    }

    @Override
    public ClassCandidates candidates() {
        return ClassCandidates.named(jdkTypes());
    }

    @Override
    public AgentBuilder install(AgentBuilder agent, AgentRuntime runtime) {
        SocketHooks.install(new SocketGuard(runtime));
        AgentBuilder.Identified.Extendable a = agent
                .type(named(SOCKET_IMPL))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ConnectAdvice.class).on(named("connect").and(takesArguments(2))
                                .and(takesArgument(0, SocketAddress.class)))))
                .type(named(CHANNEL_IMPL))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(ConnectAdvice.class).on(named("connect").and(takesArguments(1))
                                .and(takesArgument(0, SocketAddress.class))))
                        .visit(Advice.to(ConnectAdvice.class).on(named("blockingConnect").and(takesArguments(2))
                                .and(takesArgument(0, SocketAddress.class)))));
        if (!Boolean.parseBoolean(runtime.setting("interceptor.http.enabled", "true"))) {
            return a; // nobody else decides the JDK clients' connects: the backstop does
        }
        return a
                .type(named(URL_CONNECTION))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(DecidedAdvice.class).on(named("plainConnect0").and(takesArguments(0)))))
                .type(named(PLAIN_CONNECTION))
                .transform((builder, type, loader, module, domain) -> builder
                        .visit(Advice.to(DecidedAdvice.class).on(named("connectAsync").and(takesArguments(1)))));
    }
}
