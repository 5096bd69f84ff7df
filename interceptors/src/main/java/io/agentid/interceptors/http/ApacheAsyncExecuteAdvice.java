package io.agentid.interceptors.http;

import io.agentid.bootstrap.ApacheAsyncHooks;
import net.bytebuddy.asm.Advice;

/**
 * HttpClient 5 async: {@code InternalAbstractHttpAsyncClient.doExecute(target, requestProducer, responseConsumer,
 * pushHandlerFactory, context, callback)}: the exchange's request producer, which holds the entity a model request's
 * body is read from, is noted for the first request (decided inside this call, on this thread).
 */
public final class ApacheAsyncExecuteAdvice {
    private ApacheAsyncExecuteAdvice() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static Object enter(@Advice.Argument(1) Object requestProducer) {
        return ApacheAsyncHooks.executeEnter(requestProducer);
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object token) {
        ApacheAsyncHooks.executeExit(token);
    }
}
