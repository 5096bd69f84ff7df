package io.agentid.genai;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.genai.ModelRequest.Api;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ModelResponsesTest {
    static Usage usage(Api api, String body) {
        return ModelResponses.usage(api, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void openAiChat() {
        Usage u = usage(Api.OPENAI_CHAT_COMPLETIONS, """
                {"id":"chatcmpl-1","object":"chat.completion","created":1,"model":"gpt-4o-2024-08-06",
                 "choices":[{"index":0,"message":{"role":"assistant","content":"Your order ships today.",
                   "refusal":null},"finish_reason":"stop"}],
                 "usage":{"prompt_tokens":1117,"completion_tokens":46,"total_tokens":1163,
                   "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
                   "completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0}},
                 "system_fingerprint":"fp_1"}""");
        assertThat(u).isEqualTo(new Usage(1117, 46, 1024, -1));
    }

    @Test
    void openAiResponses() {
        Usage u = usage(Api.OPENAI_RESPONSES, """
                {"id":"resp_1","object":"response","status":"completed","model":"o3-2025-04-16",
                 "output":[{"type":"reasoning","summary":[]},{"type":"message","role":"assistant",
                   "content":[{"type":"output_text","text":"Done."}]}],
                 "usage":{"input_tokens":328,"input_tokens_details":{"cached_tokens":0},
                   "output_tokens":952,"output_tokens_details":{"reasoning_tokens":896},"total_tokens":1280}}""");
        assertThat(u).isEqualTo(new Usage(328, 952, 0, -1));
    }

    @Test
    void openAiEmbeddings() {
        Usage u = usage(Api.OPENAI_EMBEDDINGS, """
                {"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.0023,-0.0093,0.0157]}],
                 "model":"text-embedding-3-small","usage":{"prompt_tokens":8,"total_tokens":8}}""");
        assertThat(u).isEqualTo(new Usage(8, 0, -1, -1));
    }

    @Test
    void anthropicAddsCacheTokensToInput() {
        Usage u = usage(Api.ANTHROPIC_MESSAGES, """
                {"id":"msg_1","type":"message","role":"assistant","model":"claude-sonnet-4-5-20250929",
                 "content":[{"type":"text","text":"Hello!"}],"stop_reason":"end_turn","stop_sequence":null,
                 "usage":{"input_tokens":12,"cache_creation_input_tokens":300,"cache_read_input_tokens":2000,
                   "output_tokens":6,"service_tier":"standard"}}""");
        assertThat(u).isEqualTo(new Usage(2312, 6, 2000, 300));
    }

    @Test
    void gemini() {
        Usage u = usage(Api.GEMINI_GENERATE_CONTENT, """
                {"candidates":[{"content":{"parts":[{"text":"Lima."}],"role":"model"},"finishReason":"STOP"}],
                 "usageMetadata":{"promptTokenCount":14,"candidatesTokenCount":3,"totalTokenCount":61,
                   "thoughtsTokenCount":44,"promptTokensDetails":[{"modality":"TEXT","tokenCount":14}]},
                 "modelVersion":"gemini-2.5-flash","responseId":"abc"}""");
        assertThat(u).isEqualTo(new Usage(14, 47, -1, -1));
    }

    @Test
    void openAiChatStreamWithIncludeUsage() {
        Usage u = usage(Api.OPENAI_CHAT_COMPLETIONS, """
                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"role":"assistant","content":""}}],"usage":null}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"}}],"usage":null}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[{"index":0,"delta":{},"finish_reason":"stop"}],"usage":null}

                data: {"id":"c1","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":9,"completion_tokens":2,"total_tokens":11}}

                data: [DONE]

                """);
        assertThat(u).isEqualTo(new Usage(9, 2, -1, -1));
    }

    @Test
    void openAiChatStreamWithoutUsageIsNull() {
        assertThat(usage(Api.OPENAI_CHAT_COMPLETIONS, """
                data: {"id":"c1","choices":[{"index":0,"delta":{"content":"Hi"}}]}

                data: [DONE]
                """)).isNull();
    }

    @Test
    void openAiResponsesStream() {
        Usage u = usage(Api.OPENAI_RESPONSES, """
                event: response.created
                data: {"type":"response.created","response":{"id":"resp_1","status":"in_progress","usage":null}}

                event: response.output_text.delta
                data: {"type":"response.output_text.delta","delta":"Hi"}

                event: response.completed
                data: {"type":"response.completed","response":{"id":"resp_1","status":"completed","usage":{"input_tokens":37,"output_tokens":11,"total_tokens":48}}}

                """);
        assertThat(u).isEqualTo(new Usage(37, 11, -1, -1));
    }

    @Test
    void anthropicStreamTakesInputFromMessageStartAndOutputFromTheLastDelta() {
        Usage u = usage(Api.ANTHROPIC_MESSAGES, """
                event: message_start
                data: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","content":[],"model":"claude-haiku-4-5","usage":{"input_tokens":472,"cache_creation_input_tokens":0,"cache_read_input_tokens":0,"output_tokens":2}}}

                event: content_block_start
                data: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}

                event: content_block_delta
                data: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hello"}}

                event: message_delta
                data: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":89}}

                event: message_stop
                data: {"type":"message_stop"}
                """);
        assertThat(u).isEqualTo(new Usage(472, 89, 0, 0));
    }

    @Test
    void geminiSseAndJsonArrayStreamsTakeTheLastChunk() {
        String sse = """
                data: {"candidates":[{"content":{"parts":[{"text":"Li"}]}}],"usageMetadata":{"promptTokenCount":14,"totalTokenCount":14}}\r
                \r
                data: {"candidates":[{"content":{"parts":[{"text":"ma."}]},"finishReason":"STOP"}],"usageMetadata":{"promptTokenCount":14,"candidatesTokenCount":3,"totalTokenCount":17}}\r
                \r
                """;
        assertThat(usage(Api.GEMINI_GENERATE_CONTENT, sse)).isEqualTo(new Usage(14, 3, -1, -1));

        String array = """
                [{"candidates":[{"content":{"parts":[{"text":"Li"}]}}],"usageMetadata":{"promptTokenCount":14}}
                ,
                {"candidates":[{"content":{"parts":[{"text":"ma."}]}}],"usageMetadata":{"promptTokenCount":14,"candidatesTokenCount":3}}]""";
        assertThat(usage(Api.GEMINI_GENERATE_CONTENT, array)).isEqualTo(new Usage(14, 3, -1, -1));
    }

    @Test
    void truncatedStreamKeepsWhatWasSeen() {
        Usage u = usage(Api.ANTHROPIC_MESSAGES, """
                data: {"type":"message_start","message":{"usage":{"input_tokens":10,"output_tokens":1}}}

                data: {"type":"message_delta","usage":{"output_tok""");
        assertThat(u).isEqualTo(new Usage(10, 1, -1, -1));
    }

    @Test
    void garbageIsNull() {
        assertThat(usage(Api.OPENAI_CHAT_COMPLETIONS, "<html>502 Bad Gateway</html>")).isNull();
        assertThat(usage(Api.OPENAI_CHAT_COMPLETIONS, "{\"error\":{\"message\":\"rate limited\"}}")).isNull();
        assertThat(usage(Api.OPENAI_CHAT_COMPLETIONS, "{\"usage\":")).isNull();
        assertThat(ModelResponses.usage(Api.OPENAI_CHAT_COMPLETIONS, null)).isNull();
        assertThat(ModelResponses.usage(null, new byte[] {'{', '}'})).isNull();
        assertThat(ModelResponses.usage(Api.OPENAI_CHAT_COMPLETIONS, new byte[] {1, 2}, 1, 5)).isNull();
    }

    @Test
    void actualCostFromAResponse() {
        Usage u = usage(Api.OPENAI_CHAT_COMPLETIONS, "{\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}");
        assertThat(Pricing.actual("gpt-4o-mini", u, PriceTable.shipped()))
                .isCloseTo((1000 * 0.15 + 100 * 0.60) / 1e6, org.assertj.core.api.Assertions.within(1e-12));
    }
}
