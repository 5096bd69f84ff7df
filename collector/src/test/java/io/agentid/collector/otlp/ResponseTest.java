package io.agentid.collector.otlp;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import org.junit.jupiter.api.Test;

class ResponseTest {

    @Test
    void fullyAcceptedHasNoPartialSuccess() throws Exception {
        assertThat(OtlpCodec.responseProtobuf(0, "")).isEmpty();
        assertThat(ExportTraceServiceResponse.parseFrom(OtlpCodec.responseProtobuf(0, null)).hasPartialSuccess()).isFalse();
        assertThat(new String(OtlpCodec.responseJson(0, ""), UTF_8)).isEqualTo("{}");
    }

    @Test
    void rejectionsAreReported() throws Exception {
        ExportTraceServiceResponse r = ExportTraceServiceResponse.parseFrom(OtlpCodec.responseProtobuf(2, "2 spans rejected: x"));
        assertThat(r.getPartialSuccess().getRejectedSpans()).isEqualTo(2);
        assertThat(r.getPartialSuccess().getErrorMessage()).isEqualTo("2 spans rejected: x");
        assertThat(new String(OtlpCodec.responseJson(2, "2 spans rejected: \"x\""), UTF_8))
                .isEqualTo("{\"partialSuccess\":{\"rejectedSpans\":\"2\",\"errorMessage\":\"2 spans rejected: \\\"x\\\"\"}}");
    }

    @Test
    void aWarningWithoutRejectionsIsStillSent() throws Exception {
        ExportTraceServiceResponse r = ExportTraceServiceResponse.parseFrom(OtlpCodec.responseProtobuf(0, "slow down"));
        assertThat(r.hasPartialSuccess()).isTrue();
        assertThat(r.getPartialSuccess().getRejectedSpans()).isZero();
        assertThat(new String(OtlpCodec.responseJson(0, "slow down"), UTF_8))
                .isEqualTo("{\"partialSuccess\":{\"errorMessage\":\"slow down\"}}");
    }
}
