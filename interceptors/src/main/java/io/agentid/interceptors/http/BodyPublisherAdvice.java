package io.agentid.interceptors.http;

import io.agentid.bootstrap.HttpHooks;
import net.bytebuddy.asm.Advice;

/**
 * {@code new jdk.internal.net.http.RequestPublishers.ByteArrayPublisher(content, offset, length, bufSize)}, which
 * every other constructor (and {@code StringPublisher}'s) ends in: remember the bytes it will replay, so a model
 * request's body can be read before it is sent without subscribing to the publisher.
 */
public final class BodyPublisherAdvice {
    private BodyPublisherAdvice() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.This Object publisher, @Advice.FieldValue("content") byte[] content,
            @Advice.FieldValue("offset") int offset, @Advice.FieldValue("length") int length) {
        HttpHooks.bodyPublisher(publisher, content, offset, length);
    }
}
