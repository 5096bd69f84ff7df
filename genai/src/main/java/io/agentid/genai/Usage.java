package io.agentid.genai;

/**
 * The tokens a model call used, as its response reports them. -1 for a count the response did not give.
 *
 * @param inputTokens      all input tokens, cached ones included ({@code gen_ai.usage.input_tokens})
 * @param outputTokens     all output tokens, reasoning/thinking included ({@code gen_ai.usage.output_tokens})
 * @param cacheReadTokens  of {@code inputTokens}, those read from the prompt cache
 * @param cacheWriteTokens of {@code inputTokens}, those written to the prompt cache (Anthropic)
 */
public record Usage(long inputTokens, long outputTokens, long cacheReadTokens, long cacheWriteTokens) {
}
