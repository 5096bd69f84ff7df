package io.agentid.interceptors.http;

/**
 * The requests of one logical call (an {@code HttpClient} exchange, an {@code HttpURLConnection}, an OkHttp
 * {@code Call}): the one on the wire now, and the trace they share. Guarded by its own monitor.
 */
final class Hops {
    HttpCall current;
    int count;
    String traceId;
    /** HttpClient: the exchange's first request, decided in sendAsync, has passed requestFilters. */
    boolean firstSeen;
    /** The traceparent agentid set on the previous hop, to tell it from the application's. */
    String ownTraceparent;
    /**
     * OkHttp: the request object last decided (Apache HttpClient: its {@code ExecChain.Scope}), to tell a retry of it
     * from a new request (a follow-up). JDK HttpClient: the call's {@code MultiExchange}, forgotten when it completes.
     */
    Object request;
    /** OkHttp: the block of {@link #request}, rethrown if the client tries it again. */
    String blockedMessage;
    /** HttpURLConnection: the block of the buffered model request, thrown again if the response is asked again. */
    java.io.IOException blocked;
    /** HttpAsyncClient 4: the final response was consumed; the request ends once the future is complete. */
    boolean answered;
    /** HttpAsyncClient 4: when {@link #answered} was set, the request's end. */
    long answeredNanos;
    /** OkHttp: how the current request's last attempt failed, while the client may still retry it. */
    Throwable failure;
}
