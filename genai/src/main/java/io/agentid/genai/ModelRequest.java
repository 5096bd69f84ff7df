package io.agentid.genai;

import java.util.List;

/**
 * A model request as recognised before it is sent (see {@link ModelRequests#recognise}). Immutable.
 *
 * @param provider    {@code gen_ai.provider.name}: from the host when it is a provider's own, otherwise from the
 *                    path's shape (an OpenAI-shaped path on any other host is {@code openai})
 * @param operation   {@code gen_ai.operation.name}: {@code chat}, {@code text_completion}, {@code embeddings} or
 *                    {@code generate_content}
 * @param api         the wire shape of the body, which decides how it and its response are read
 * @param model       the requested model as sent, or {@code null} when neither the body nor the path names it
 * @param maxTokens   the request's output limit ({@code max_tokens}, {@code max_completion_tokens},
 *                    {@code max_output_tokens} or {@code generationConfig.maxOutputTokens}); -1 when absent, in which
 *                    case {@link Pricing} uses the model's documented maximum from the price table
 * @param choices     how many alternatives are asked for ({@code n}, {@code candidateCount}); 1 when absent
 * @param stream      whether the response will be a stream (body {@code stream: true} or Gemini's
 *                    {@code :streamGenerateContent})
 * @param inputTokens the estimated input tokens (see docs/GENAI.md); 0 when the body could not be read at all
 * @param tokenizer   how {@code inputTokens} was counted, e.g. {@code o200k_base} or {@code o200k_base x1.35}
 * @param notes       what is approximate or missing about this request, in plain words; empty when nothing is
 */
public record ModelRequest(
        String provider,
        String operation,
        Api api,
        String model,
        int maxTokens,
        int choices,
        boolean stream,
        long inputTokens,
        String tokenizer,
        List<String> notes) {

    /** The wire shapes this module reads. */
    public enum Api {
        OPENAI_CHAT_COMPLETIONS,
        OPENAI_COMPLETIONS,
        OPENAI_RESPONSES,
        OPENAI_EMBEDDINGS,
        ANTHROPIC_MESSAGES,
        GEMINI_GENERATE_CONTENT,
        GEMINI_EMBED_CONTENT;

        /** Whether the operation produces output tokens (embeddings do not). */
        public boolean generates() {
            return this != OPENAI_EMBEDDINGS && this != GEMINI_EMBED_CONTENT;
        }
    }

    public ModelRequest {
        notes = List.copyOf(notes);
    }
}
