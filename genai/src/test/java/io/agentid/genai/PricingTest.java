package io.agentid.genai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.agentid.genai.ModelRequest.Api;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PricingTest {
    static final PriceTable TABLE = PriceTable.shipped();

    static ModelRequest request(Api api, String model, int maxTokens, int choices, long input) {
        return new ModelRequest("openai", "chat", api, model, maxTokens, choices, false, input, "o200k_base", List.of());
    }

    @Test
    void estimateIsInputTimesInputPricePlusMaxOutputTimesOutputPrice() {
        CostEstimate e = Pricing.estimate(request(Api.OPENAI_CHAT_COMPLETIONS, "gpt-4o-2024-08-06", 500, 1, 1200), TABLE);
        assertThat(e.pricedAs()).isEqualTo("gpt-4o");
        assertThat(e.outputLimit()).isEqualTo(CostEstimate.OutputLimit.REQUEST);
        assertThat(e.outputTokens()).isEqualTo(500);
        assertThat(e.usd()).isCloseTo((1200 * 2.50 + 500 * 10.00) / 1e6, within(1e-12));
        assertThat(e.note()).isNull();
    }

    @Test
    void choicesMultiplyTheOutputBound() {
        CostEstimate e = Pricing.estimate(request(Api.OPENAI_CHAT_COMPLETIONS, "gpt-4o-mini", 100, 3, 0), TABLE);
        assertThat(e.outputTokens()).isEqualTo(300);
        assertThat(e.usd()).isCloseTo(300 * 0.60 / 1e6, within(1e-12));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource({
        "gpt-4o,                     16384",
        "gpt-4.1-mini-2025-04-14,    32768",
        "o3-mini,                    100000",
        "claude-sonnet-4-20250514,   64000",
        "claude-3-5-haiku-latest,    8192",
        "gemini-2.0-flash-001,       8192",
        "models/gemini-2.5-pro,      65536",
    })
    void absentMaxTokensTakesTheModelsDocumentedMaximum(String model, long max) {
        CostEstimate e = Pricing.estimate(request(Api.OPENAI_CHAT_COMPLETIONS, model, -1, 1, 10), TABLE);
        assertThat(e.outputLimit()).isEqualTo(CostEstimate.OutputLimit.MODEL_DEFAULT);
        assertThat(e.outputTokens()).isEqualTo(max);
        assertThat(e.note()).contains("documented maximum");
        assertThat(e.known()).isTrue();
    }

    @Test
    void unknownModelIsNaNAndSaysSo() {
        CostEstimate e = Pricing.estimate(request(Api.OPENAI_CHAT_COMPLETIONS, "llama3.1:8b", 100, 1, 10), TABLE);
        assertThat(e.usd()).isNaN();
        assertThat(e.known()).isFalse();
        assertThat(e.note()).isEqualTo("model `llama3.1:8b` is not in the price table");

        CostEstimate none = Pricing.estimate(request(Api.OPENAI_CHAT_COMPLETIONS, null, 100, 1, 10), TABLE);
        assertThat(none.usd()).isNaN();
        assertThat(none.note()).contains("no model named");
    }

    @Test
    void embeddingsHaveNoOutput() {
        CostEstimate e = Pricing.estimate(request(Api.OPENAI_EMBEDDINGS, "text-embedding-3-small", -1, 1, 1_000_000), TABLE);
        assertThat(e.outputLimit()).isEqualTo(CostEstimate.OutputLimit.NONE);
        assertThat(e.usd()).isCloseTo(0.02, within(1e-12));
    }

    @Test
    void longContextPricesApplyAboveTheThreshold() {
        CostEstimate small = Pricing.estimate(request(Api.GEMINI_GENERATE_CONTENT, "gemini-2.5-pro", 1000, 1, 200_000), TABLE);
        CostEstimate large = Pricing.estimate(request(Api.GEMINI_GENERATE_CONTENT, "gemini-2.5-pro", 1000, 1, 200_001), TABLE);
        assertThat(small.usd()).isCloseTo((200_000 * 1.25 + 1000 * 10.0) / 1e6, within(1e-12));
        assertThat(large.usd()).isCloseTo((200_001 * 2.50 + 1000 * 15.0) / 1e6, within(1e-12));
    }

    @Test
    void newerModelsTakeTheirOwnPricesNotTheirFamilysFallback() {
        // claude-opus-4-6 used to fall back to claude-opus-4 ($15/$75); its list price is $5/$25
        CostEstimate opus = Pricing.estimate(request(Api.ANTHROPIC_MESSAGES, "claude-opus-4-6", 1000, 1, 10_000), TABLE);
        assertThat(opus.usd()).isCloseTo((10_000 * 5.0 + 1000 * 25.0) / 1e6, within(1e-12));
        // gpt-5.4: 2x input and 1.5x output above 272K input tokens
        CostEstimate small = Pricing.estimate(request(Api.OPENAI_RESPONSES, "gpt-5.4", 1000, 1, 272_000), TABLE);
        CostEstimate large = Pricing.estimate(request(Api.OPENAI_RESPONSES, "gpt-5.4", 1000, 1, 272_001), TABLE);
        assertThat(small.usd()).isCloseTo((272_000 * 2.50 + 1000 * 15.0) / 1e6, within(1e-12));
        assertThat(large.usd()).isCloseTo((272_001 * 5.00 + 1000 * 22.50) / 1e6, within(1e-12));
    }

    @Test
    void endToEndFromARecognisedRequest() {
        byte[] body = ("{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":2048,\"messages\":"
                + "[{\"role\":\"user\",\"content\":\"Plan a three-day trip to Kyoto.\"}]}").getBytes(StandardCharsets.UTF_8);
        ModelRequest r = ModelRequests.recognise("POST", "api.anthropic.com", "/v1/messages", body);
        CostEstimate e = Pricing.estimate(r, TABLE);
        assertThat(e.usd()).isCloseTo((r.inputTokens() * 3.0 + 2048 * 15.0) / 1e6, within(1e-12));
    }

    @Test
    void actualCostPricesCacheReadsAndWritesAtTheirOwnPrices() {
        // Anthropic: 1000 fresh + 4000 cache reads + 500 cache writes, 200 out
        Usage u = new Usage(5500, 200, 4000, 500);
        double usd = Pricing.actual("claude-sonnet-4-5-20250929", u, TABLE);
        assertThat(usd).isCloseTo((1000 * 3.0 + 4000 * 0.30 + 500 * 3.75 + 200 * 15.0) / 1e6, within(1e-12));

        Usage openai = new Usage(3000, 100, 1024, -1);
        assertThat(Pricing.actual("gpt-4.1", openai, TABLE))
                .isCloseTo(((3000 - 1024) * 2.0 + 1024 * 0.5 + 100 * 8.0) / 1e6, within(1e-12));

        assertThat(Pricing.actual("gpt-4o", new Usage(10, -1, -1, -1), TABLE)).isNaN();
        assertThat(Pricing.actual("unknown-model", new Usage(10, 10, -1, -1), TABLE)).isNaN();
    }
}
