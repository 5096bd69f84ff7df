package io.agentid.collector.otlp;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The body of an OTLP/HTTP error response: a {@code google.rpc.Status} in the request's encoding, as the OTLP
 * specification asks for every 4xx and 5xx.
 */
public final class OtlpStatus {

    /** gRPC code numbers used in {@code Status.code}. */
    public static final int INVALID_ARGUMENT = 3;
    public static final int RESOURCE_EXHAUSTED = 8;
    public static final int UNAVAILABLE = 14;
    public static final int UNIMPLEMENTED = 12;
    public static final int INTERNAL = 13;

    private static final JsonFactory JSON = new JsonFactory();

    private OtlpStatus() {
    }

    public static byte[] protobuf(int code, String message) {
        return com.google.rpc.Status.newBuilder().setCode(code).setMessage(message).build().toByteArray();
    }

    public static byte[] json(int code, String message) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64 + message.length());
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("code", code);
            g.writeStringField("message", message);
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
