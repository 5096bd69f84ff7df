package io.agentid.genai;

/**
 * What a model request may cost at most, before it is sent.
 *
 * @param usd          {@code inputTokens × input price + outputTokens × output price}; NaN when unknown (see
 *                     {@code note})
 * @param inputTokens  the estimated input tokens
 * @param outputTokens the most output tokens the request allows (its limit × choices), or the model's documented
 *                     maximum when it sets none; 0 for embeddings; -1 when unknown
 * @param outputLimit  where {@code outputTokens} comes from
 * @param pricedAs     the price table's key that matched the model, or {@code null}
 * @param note         why {@code usd} is NaN, or what it assumes; {@code null} when there is nothing to say
 */
public record CostEstimate(
        double usd,
        long inputTokens,
        long outputTokens,
        OutputLimit outputLimit,
        String pricedAs,
        String note) {

    /** Where the output bound comes from. */
    public enum OutputLimit {
        /** The request's own limit ({@code max_tokens} and the like). */
        REQUEST,
        /** The request sets none; the model's documented maximum from the price table. */
        MODEL_DEFAULT,
        /** The operation produces no output tokens (embeddings). */
        NONE,
        /** Neither the request nor the table gives one. */
        UNKNOWN
    }

    /** Whether {@link #usd()} is known. */
    public boolean known() {
        return !Double.isNaN(usd);
    }
}
