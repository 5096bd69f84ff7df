package io.agentid.collector.otlp;

/** The request body is not a valid OTLP ExportTraceServiceRequest; the message is safe to return to the client. */
public class OtlpDecodeException extends Exception {
    private static final long serialVersionUID = 1L;

    public OtlpDecodeException(String message) {
        super(message);
    }

    public OtlpDecodeException(String message, Throwable cause) {
        super(message, cause);
    }
}
