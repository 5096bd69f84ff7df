package io.agentid.genai;

/**
 * The prices of one model (or model-name prefix), USD per 1M tokens.
 *
 * @param name              the table's key, matched as a prefix of the model name
 * @param input             input (prompt) tokens
 * @param output            output tokens (reasoning/thinking tokens are billed as output)
 * @param cachedInput       input tokens read from the provider's prompt cache; {@code input} when not known
 * @param cacheWrite        input tokens written to the prompt cache (Anthropic); {@code input} when not known
 * @param maxOutput         the model's documented maximum output tokens, used when a request sets none; -1 when
 *                          not known
 * @param longContextAbove  input tokens above which the long-context prices apply; -1 when the model has none
 * @param longInput         input price above {@code longContextAbove}
 * @param longOutput        output price above {@code longContextAbove}
 */
public record ModelPrice(
        String name,
        double input,
        double output,
        double cachedInput,
        double cacheWrite,
        int maxOutput,
        long longContextAbove,
        double longInput,
        double longOutput) {

    /** The input price for a request of {@code inputTokens}. */
    public double inputPrice(long inputTokens) {
        return longContextAbove >= 0 && inputTokens > longContextAbove ? longInput : input;
    }

    /** The output price for a request of {@code inputTokens}. */
    public double outputPrice(long inputTokens) {
        return longContextAbove >= 0 && inputTokens > longContextAbove ? longOutput : output;
    }
}
