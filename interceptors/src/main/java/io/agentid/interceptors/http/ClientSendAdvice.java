package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * {@code jdk.internal.net.http.HttpClientImpl.sendAsync(request, handler, pushHandler, executor)}: decide the
 * request before the client schedules anything; a denied one returns a failed future instead.
 */
public final class ClientSendAdvice {
    private ClientSendAdvice() {}

    @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class)
    public static Object enter(
            @Advice.Argument(value = 0, readOnly = false, typing = Assigner.Typing.DYNAMIC) Object request,
            @Advice.Local("agentidScope") Object scope) {
        Object s = HttpHooks.enterClientSend(request);
        if (s instanceof java.util.concurrent.CompletableFuture) {
            return s;
        }
        scope = s;
        if (s != null) {
            request = HttpHooks.clientRequest(s, request);
        }
        return null;
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Object blocked, @Advice.Local("agentidScope") Object scope,
            @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
            @Advice.Thrown Throwable thrown) {
        if (blocked != null) {
            result = blocked;
            return;
        }
        HttpHooks.exitClientSend(scope, result, thrown);
    }
}
