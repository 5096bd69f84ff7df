package io.agentid.genai;

import com.knuddels.jtokkit.api.EncodingType;

/**
 * Counts tokens of request text for one model family: exact OpenAI encodings for OpenAI models (o200k_base and
 * cl100k_base, counted by {@link BpeCounter} over jtokkit's vocabularies, the same counts as jtokkit's
 * {@code countTokensOrdinary}), and for Claude and Gemini models (whose tokenizers are not public) the o200k_base
 * count times {@link #APPROXIMATION_FACTOR}, meant as an upper bound.
 *
 * <p>Each vocabulary is loaded on first use (a 1.7 MB (cl100k) or 3.6 MB (o200k) resource of jtokkit's jar; tens
 * of milliseconds once warm, more on a cold JVM, see docs/GENAI.md). Call {@link #warmUp()} on a background
 * thread at start-up so that the first model call does not pay for it. Instances are immutable and thread-safe.
 */
public final class TokenCounter {
    /**
     * The factor applied to the o200k_base count for models whose tokenizer is not public (Claude, Gemini,
     * Gemma). Claude's tokenizer is reported to yield roughly 15–30% more tokens than o200k_base for English and
     * more for code; Gemini's SentencePiece vocabulary yields about the same as o200k_base or fewer. 1.35 covers
     * both with a margin, since the estimate is meant as an upper bound; the actual usage read from the response
     * is what to calibrate it against.
     */
    public static final double APPROXIMATION_FACTOR = 1.35;

    // Holder classes so that loading one vocabulary never loads the other.
    private static final class O200k {
        static final BpeCounter COUNTER = BpeCounter.o200k();
    }

    private static final class Cl100k {
        static final BpeCounter COUNTER = BpeCounter.cl100k();
    }

    static final TokenCounter O200K_BASE = new TokenCounter(EncodingType.O200K_BASE, 1.0, "o200k_base");
    static final TokenCounter CL100K_BASE = new TokenCounter(EncodingType.CL100K_BASE, 1.0, "cl100k_base");
    static final TokenCounter APPROXIMATE =
            new TokenCounter(EncodingType.O200K_BASE, APPROXIMATION_FACTOR, "o200k_base x" + APPROXIMATION_FACTOR);

    private final EncodingType type;
    private final double factor;
    private final String name;

    private TokenCounter(EncodingType type, double factor, String name) {
        this.type = type;
        this.factor = factor;
        this.name = name;
    }

    /** Loads both vocabularies now. Blocking; a few hundred milliseconds. */
    public static void warmUp() {
        O200k.COUNTER.count("warm up");
        Cl100k.COUNTER.count("warm up");
    }

    /**
     * The counter for a model name (as sent, any case, with or without a {@code vendor/} or {@code models/}
     * prefix) and provider. OpenAI: o200k_base for gpt-4o, gpt-4.1, gpt-4.5, gpt-5*, the o-series and anything
     * unknown; cl100k_base for gpt-4 (and gpt-4-turbo), gpt-3.5 and the text-embedding models. Claude, Gemini and
     * Gemma models, and any model of the {@code anthropic} or Google providers: the approximation.
     */
    static TokenCounter forModel(String provider, String model) {
        String m = model == null ? "" : baseName(model);
        if (m.startsWith("claude") || m.startsWith("gemini") || m.startsWith("gemma")) {
            return APPROXIMATE;
        }
        if (GenAiAttributes.ANTHROPIC.equals(provider) || GenAiAttributes.GEMINI.equals(provider)
                || GenAiAttributes.VERTEX_AI.equals(provider)) {
            return APPROXIMATE;
        }
        if (m.startsWith("ft:")) {
            m = m.substring(3);
        }
        if (m.startsWith("gpt-4o") || m.startsWith("gpt-4.1") || m.startsWith("gpt-4.5")) {
            return O200K_BASE;
        }
        if (m.startsWith("gpt-4") || m.startsWith("gpt-3.5") || m.startsWith("gpt-35")
                || m.startsWith("text-embedding-3") || m.startsWith("text-embedding-ada")) {
            return CL100K_BASE;
        }
        return O200K_BASE;
    }

    /** Lower case, without a leading {@code models/} or {@code vendor/} path. */
    static String baseName(String model) {
        int slash = model.lastIndexOf('/');
        String m = slash >= 0 ? model.substring(slash + 1) : model;
        return m.toLowerCase(java.util.Locale.ROOT);
    }

    /** The name reported in {@link ModelRequest#tokenizer()}. */
    public String name() {
        return name;
    }

    double factor() {
        return factor;
    }

    /** Exact tokens of {@code text} in this counter's encoding, special tokens read as ordinary text. */
    int count(String text) {
        return type == EncodingType.CL100K_BASE
                ? Cl100k.COUNTER.count(text)
                : O200k.COUNTER.count(text);
    }
}
