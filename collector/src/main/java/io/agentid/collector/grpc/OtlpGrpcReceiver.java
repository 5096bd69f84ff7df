package io.agentid.collector.grpc;

import com.google.protobuf.Any;
import com.google.rpc.Code;
import com.google.rpc.RetryInfo;
import io.agentid.collector.ingest.Ingest;
import io.agentid.collector.otlp.Decoded;
import io.agentid.collector.otlp.OtlpCodec;
import io.agentid.collector.otlp.OtlpDecodeException;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.StatusProto;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * OTLP/gRPC trace receiver: {@code opentelemetry.proto.collector.trace.v1.TraceService/Export}. The method is
 * registered with a byte-array marshaller so that decoding stays in {@link OtlpCodec}; gzip is gRPC's own.
 * Replies only after the spans are durable; {@code INVALID_ARGUMENT} for an undecodable request,
 * {@code RESOURCE_EXHAUSTED} over the size limit (gRPC's own check), {@code UNAVAILABLE} with a
 * {@code RetryInfo} when the writer is behind.
 */
public final class OtlpGrpcReceiver implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OtlpGrpcReceiver.class);
    static final String SERVICE = "opentelemetry.proto.collector.trace.v1.TraceService";

    private final Server server;
    private final Ingest ingest;

    /** Passes the message bytes through as they are: decoding is {@link OtlpCodec}'s. */
    public static final MethodDescriptor.Marshaller<byte[]> BYTES = new MethodDescriptor.Marshaller<>() {
        @Override
        public InputStream stream(byte[] value) {
            return new ByteArrayInputStream(value);
        }

        @Override
        public byte[] parse(InputStream stream) {
            try {
                return stream.readAllBytes();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    };

    public OtlpGrpcReceiver(String host, int port, Ingest ingest, int maxMessageBytes) throws IOException {
        this.ingest = ingest;
        MethodDescriptor<byte[], byte[]> export = MethodDescriptor.<byte[], byte[]>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Export"))
                .setRequestMarshaller(BYTES)
                .setResponseMarshaller(BYTES)
                .build();
        ServerServiceDefinition service = ServerServiceDefinition.builder(SERVICE)
                .addMethod(export, ServerCalls.asyncUnaryCall(this::export))
                .build();
        Server s = NettyServerBuilder.forAddress(new InetSocketAddress(host, port))
                .addService(service)
                .maxInboundMessageSize(maxMessageBytes)
                .maxConnectionIdle(5, TimeUnit.MINUTES)
                .build();
        try {
            s.start();
        } catch (IOException e) {
            if (isBindFailure(e)) {
                throw new BindException("OTLP/gRPC receiver (--otlp-grpc-port): cannot listen on " + host + ":" + port
                        + " (" + e.getMessage() + "); is another process using it? Choose another port, or 0 for a "
                        + "free one");
            }
            throw e;
        }
        this.server = s;
    }

    /** Netty's native transport reports a port in use with its own exception type, not BindException. */
    private static boolean isBindFailure(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (c instanceof BindException || m.contains("Address already in use") || m.contains("Failed to bind")) {
                return true;
            }
        }
        return false;
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) server.getListenSockets().get(0);
    }

    private void export(byte[] request, StreamObserver<byte[]> response) {
        Decoded decoded;
        try {
            decoded = OtlpCodec.decodeProtobuf(request, 0, request.length);
        } catch (OtlpDecodeException e) {
            response.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asRuntimeException());
            return;
        } catch (RuntimeException e) {
            log.error("OTLP/gRPC request failed", e);
            response.onError(Status.INTERNAL.withDescription("internal error").asRuntimeException());
            return;
        }
        CompletableFuture<Void> durable = ingest.submit(decoded.spans());
        if (durable == null) {
            response.onError(unavailable("collector is busy writing; retry after 1 s", 1));
            return;
        }
        durable.orTimeout(30, TimeUnit.SECONDS).whenComplete((ok, failure) -> {
            if (failure != null) {
                response.onError(unavailable("spans not stored (" + failure.getMessage() + "); retry after 5 s", 5));
            } else {
                response.onNext(OtlpCodec.responseProtobuf(decoded.rejected(), decoded.rejectedReason()));
                response.onCompleted();
            }
        });
    }

    private static RuntimeException unavailable(String message, int retryAfterSeconds) {
        com.google.rpc.Status status = com.google.rpc.Status.newBuilder()
                .setCode(Code.UNAVAILABLE_VALUE)
                .setMessage(message)
                .addDetails(Any.pack(RetryInfo.newBuilder()
                        .setRetryDelay(com.google.protobuf.Duration.newBuilder().setSeconds(retryAfterSeconds))
                        .build()))
                .build();
        return StatusProto.toStatusRuntimeException(status);
    }

    @Override
    public void close() {
        server.shutdown();
        try {
            if (!server.awaitTermination(5, TimeUnit.SECONDS)) {
                server.shutdownNow();
            }
        } catch (InterruptedException e) {
            server.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
