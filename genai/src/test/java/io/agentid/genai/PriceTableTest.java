package io.agentid.genai;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PriceTableTest {
    @TempDir
    Path dir;

    @Test
    void shippedTableStatesItsDateAndSource() {
        PriceTable t = PriceTable.shipped();
        assertThat(t.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(t.source()).contains("pricing");
        assertThat(t.entries()).containsKeys("gpt-4o", "gpt-5", "o3", "claude-sonnet-4-5", "gemini-2.5-pro");
        assertThat(t.entries().values()).allSatisfy(p -> {
            assertThat(p.input()).isNotNegative();
            assertThat(p.output()).isNotNegative();
        });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "gpt-4o,                          gpt-4o",
        "gpt-4o-2024-08-06,               gpt-4o",
        "GPT-4o-2024-05-13,               gpt-4o-2024-05-13",
        "gpt-4o-mini-2024-07-18,          gpt-4o-mini",
        "gpt-4-0613,                      gpt-4",
        "gpt-4-turbo-preview,             gpt-4-turbo",
        "o1-mini-2024-09-12,              o1-mini",
        "openai/gpt-4.1,                  gpt-4.1",
        "ft:gpt-4o-mini:acme::x1,         gpt-4o-mini",
        "claude-3-5-sonnet-latest,        claude-3-5-sonnet",
        "claude-opus-4-1-20250805,        claude-opus-4-1",
        "claude-opus-4-0,                 claude-opus-4",
        "models/gemini-2.5-flash-lite,    gemini-2.5-flash-lite",
        "gemini-2.5-flash-preview-05-20,  gemini-2.5-flash",
        "gpt-4o@2024-08-06,               gpt-4o",
        "gpt-5.4-2026-03-05,              gpt-5.4",
        "gpt-5.4-mini-2026-03-17,         gpt-5.4-mini",
        "claude-opus-4-6,                 claude-opus-4-6",
        "claude-opus-4-7-20260416,        claude-opus-4-7",
        "claude-sonnet-5-5,               claude-sonnet-5-5",
        "claude-haiku-4-5-20251001,       claude-haiku-4-5",
    })
    void longestPrefixMatch(String model, String key) {
        assertThat(PriceTable.shipped().lookup(model)).isNotNull().extracting(ModelPrice::name).isEqualTo(key);
    }

    @ParameterizedTest
    @CsvSource({"gpt-5.9", "gpt-4oo", "llama3", "claude", "''"})
    void noMatchWithoutABoundary(String model) {
        assertThat(PriceTable.shipped().lookup(model)).isNull();
    }

    @Test
    void userFileOverridesAndAdds() throws Exception {
        Path f = write("""
                // our negotiated prices
                {
                  "models": {
                    "gpt-4o": { "input": 2.00 },
                    "llama3.1": { "input": 0, "output": 0, "max_output": 4096 },
                    "acme-large": { "input": 1, "output": 2,
                                    "long_context": { "above_input_tokens": 1000, "input": 3, "output": 4 } }
                  }
                }
                """);
        PriceTable t = PriceTable.load(f);
        ModelPrice gpt4o = t.lookup("gpt-4o-2024-11-20");
        assertThat(gpt4o.input()).isEqualTo(2.00);
        assertThat(gpt4o.output()).isEqualTo(10.00);
        assertThat(gpt4o.maxOutput()).isEqualTo(16384);
        assertThat(t.lookup("llama3.1:8b").maxOutput()).isEqualTo(4096);
        assertThat(t.lookup("acme-large").inputPrice(1001)).isEqualTo(3);
        assertThat(t.lookup("gpt-4.1").input()).isEqualTo(2.00);
        assertThat(t.asOf()).isEqualTo(PriceTable.shipped().asOf());
        assertThat(PriceTable.shipped().lookup("gpt-4o").input()).isEqualTo(2.50);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "not json                | {\\n \"models\": { \"a\": { \"input\": 1, } } }                         | 2 | not valid JSON",
        "negative price          | {\\n \"models\": {\\n \"a\": { \"input\": -1, \"output\": 1 } } }      | 3 | `input` of `a` must not be negative, found `-1`",
        "price as string         | {\\n \"models\": {\\n \"a\": { \"input\": \"cheap\", \"output\": 1 } } } | 3 | `input` of `a` must be a number (USD per 1M tokens), found `cheap`",
        "typo in a key           | {\\n \"models\": {\\n \"a\": { \"input\": 1, \"ouput\": 1 } } }        | 3 | unknown key `ouput` in `a`",
        "new model lacks output  | {\\n \"models\": {\\n \"acme\": { \"input\": 1 } } }                    | 3 | `acme` is not in the shipped table, so it needs both `input` and `output`",
        "duplicate model         | {\\n \"models\": {\\n \"a\": { \"input\": 1, \"output\": 1 },\\n \"a\": {} } } | 4 | not valid JSON: Duplicate field 'a'",
        "no models               | {\\n \"as_of\": \"2026-01-01\" }                                       | 2 | no `models` object",
        "wrong units             | {\\n \"units\": \"EUR per 1K tokens\", \"models\": {} }                  | 2 | `units` must be `USD per 1M tokens`",
        "bad max_output          | {\\n \"models\": {\\n \"gpt-4o\": { \"max_output\": 0 } } }              | 3 | `max_output` of `gpt-4o` must be a positive whole number of tokens, found `0`",
        "partial long context    | {\\n \"models\": {\\n \"gpt-4o\": { \"long_context\": { \"input\": 1 } } } } | 3 | `long_context` of `gpt-4o` needs above_input_tokens, input and output",
        "not an object           | [1]                                                                   | 1 | a price file is a JSON object",
    })
    void badUserFileNamesFileLineAndProblem(String what, String json, int line, String problem) throws Exception {
        Path f = write(json.replace("\\n", "\n"));
        assertThatThrownBy(() -> PriceTable.load(f))
                .isInstanceOf(PriceTableException.class)
                .hasMessageStartingWith(f + ":" + line + ":")
                .hasMessageContaining(problem)
                .satisfies(e -> assertThat(((PriceTableException) e).line()).isEqualTo(line));
    }

    @Test
    void missingFile() {
        Path f = dir.resolve("absent.json");
        assertThatThrownBy(() -> PriceTable.load(f))
                .isInstanceOf(PriceTableException.class)
                .hasMessageStartingWith(f + ": cannot be read");
    }

    private Path write(String content) throws Exception {
        Path f = dir.resolve("prices.json");
        Files.writeString(f, content, StandardCharsets.UTF_8);
        return f;
    }
}
