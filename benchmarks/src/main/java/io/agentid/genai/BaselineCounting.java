package io.agentid.genai;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;

/**
 * For {@code PricingBenchmark}: the prompt texts counted the way genai counts them now ({@link TokenCounter}) and
 * the way it did before (o200k_base: {@link O200kSplitter} + jtokkit's encoder with the per-piece cache; cl100k_base:
 * jtokkit's own encoding), in the same JVM, so that the two can be compared within one run.
 */
public final class BaselineCounting {
    private final O200kCounter o200k;
    private final Encoding cl100k;

    public BaselineCounting() {
        EncodingRegistry registry = Encodings.newLazyEncodingRegistry();
        o200k = new O200kCounter(registry);
        cl100k = registry.getEncoding(EncodingType.CL100K_BASE);
    }

    /** The tokens of {@code texts} with genai's counter for {@code model}. */
    public static long count(String model, List<String> texts) {
        TokenCounter counter = TokenCounter.forModel(GenAiAttributes.OPENAI, model);
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            tokens += counter.count(texts.get(i));
        }
        return tokens;
    }

    /**
     * The tokens of {@code texts} as genai counted them before; {@code uncached}: the o200k piece cache emptied
     * first (as the old {@code priceUncached} benchmark did).
     */
    public long countBefore(String model, List<String> texts, boolean uncached) {
        boolean o = TokenCounter.forModel(GenAiAttributes.OPENAI, model) != TokenCounter.CL100K_BASE;
        if (o && uncached) {
            o200k.clearCache();
        }
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            tokens += o ? o200k.count(texts.get(i)) : cl100k.countTokensOrdinary(texts.get(i));
        }
        return tokens;
    }
}
