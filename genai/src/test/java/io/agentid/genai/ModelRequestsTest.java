package io.agentid.genai;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.agentid.genai.ModelRequest.Api;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRequestsTest {
    static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
    static final Encoding O200K = REGISTRY.getEncoding(EncodingType.O200K_BASE);
    static final Encoding CL100K = REGISTRY.getEncoding(EncodingType.CL100K_BASE);

    static ModelRequest post(String host, String path, String body) {
        return ModelRequests.recognise("POST", host, path, body.getBytes(StandardCharsets.UTF_8));
    }

    static int o200k(String... texts) {
        return Arrays.stream(texts).mapToInt(O200K::countTokensOrdinary).sum();
    }

    // ---- OpenAI chat completions ---------------------------------------------------------------------------------

    static final String SYSTEM = "You are a support agent for Acme. Answer briefly and cite the order number.";
    static final String USER = "Where is my order #A-1042? It was due on Monday and the tracking page says \"label created\".";
    static final String PART = "Here is a photo of the box I received instead:";

    static final String CHAT = """
            {
              "messages": [
                {"role": "system", "content": "%s"},
                {"role": "user", "content": [
                  {"type": "text", "text": "%s"},
                  {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "detail": "high"}}
                ]},
                {"role": "user", "content": "%s"}
              ],
              "model": "gpt-4o-2024-08-06",
              "max_tokens": 500,
              "temperature": 0.2,
              "stream": true,
              "stream_options": {"include_usage": true}
            }
            """.formatted(SYSTEM, PART, USER.replace("\"", "\\\""));

    @Test
    void openAiChatCompletionsIsCountedWithO200kAndPerMessageFraming() {
        ModelRequest r = post("api.openai.com", "/v1/chat/completions", CHAT);

        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.operation()).isEqualTo("chat");
        assertThat(r.api()).isEqualTo(Api.OPENAI_CHAT_COMPLETIONS);
        assertThat(r.model()).isEqualTo("gpt-4o-2024-08-06");
        assertThat(r.maxTokens()).isEqualTo(500);
        assertThat(r.choices()).isEqualTo(1);
        assertThat(r.stream()).isTrue();
        assertThat(r.tokenizer()).isEqualTo("o200k_base");
        int expected = o200k(SYSTEM, PART, USER) + 3 * RequestScanner.TOKENS_PER_MESSAGE + RequestScanner.REPLY_PRIMING
                + RequestScanner.TOKENS_PER_MEDIA_PART;
        assertThat(r.inputTokens()).isEqualTo(expected);
        assertThat(r.notes()).anyMatch(n -> n.contains("1 image"));
    }

    @Test
    void toolDefinitionsAreCountedAsTheirJson() {
        String tools = """
                [{"type":"function","function":{"name":"lookup_order","description":"Find an order by number",\
                "parameters":{"type":"object","properties":{"order":{"type":"string"}},"required":["order"]}}}]""";
        String body = "{\"model\":\"gpt-4.1-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"" + USER.replace("\"", "\\\"")
                + "\"}],\"tools\":" + tools + ",\"tool_choice\":\"auto\",\"n\":2}";
        ModelRequest r = post("api.openai.com", "/v1/chat/completions", body);

        assertThat(r.inputTokens()).isEqualTo(o200k(USER, tools) + RequestScanner.TOKENS_PER_MESSAGE
                + RequestScanner.REPLY_PRIMING);
        assertThat(r.choices()).isEqualTo(2);
        assertThat(r.maxTokens()).isEqualTo(-1);
        assertThat(r.stream()).isFalse();
    }

    @Test
    void rawJsonOffsetsHoldForABodyInsideALargerBuffer() {
        String tools = "[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":{}}}]";
        String body = "{\"model\":\"gpt-4o\",\"messages\":[],\"tools\":" + tools + "}";
        byte[] b = ("garbage before" + body + "garbage after").getBytes(StandardCharsets.UTF_8);
        ModelRequest r = ModelRequests.recognise("POST", "api.openai.com", "/v1/chat/completions", b,
                "garbage before".length(), body.length());
        assertThat(r.inputTokens()).isEqualTo(o200k(tools) + RequestScanner.REPLY_PRIMING);
    }

    @Test
    void toolCallsAndToolResultsInTheConversationAreCounted() {
        String body = """
                {"model":"gpt-4o","messages":[
                  {"role":"user","content":"refund order 7"},
                  {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                    "function":{"name":"refund","arguments":"{\\"order\\":7}"}}]},
                  {"role":"tool","tool_call_id":"call_1","content":"refunded"}]}""";
        ModelRequest r = post("api.openai.com", "/v1/chat/completions", body);
        assertThat(r.inputTokens()).isEqualTo(o200k("refund order 7", "refund", "{\"order\":7}", "refunded")
                + 3 * RequestScanner.TOKENS_PER_MESSAGE + RequestScanner.REPLY_PRIMING);
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "gpt-4o, o200k_base",
        "gpt-4o-mini-2024-07-18, o200k_base",
        "gpt-4.1-nano, o200k_base",
        "gpt-5-mini, o200k_base",
        "o3-mini, o200k_base",
        "o4-mini-2025-04-16, o200k_base",
        "gpt-4, cl100k_base",
        "gpt-4-turbo-2024-04-09, cl100k_base",
        "gpt-3.5-turbo-0125, cl100k_base",
        "text-embedding-3-small, cl100k_base",
        "ft:gpt-4o-mini:acme::abc123, o200k_base",
        "ft:gpt-3.5-turbo:acme::abc123, cl100k_base",
        "openai/gpt-4, cl100k_base",
        "llama3.1:8b, o200k_base",
        "claude-sonnet-4-5, o200k_base x1.35",
        "anthropic/claude-3-5-haiku, o200k_base x1.35",
        "gemini-2.5-flash, o200k_base x1.35",
    })
    void encodingFollowsTheModel(String model, String tokenizer) {
        ModelRequest r = post("llm-proxy.internal", "/v1/chat/completions",
                "{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}");
        assertThat(r.tokenizer()).isEqualTo(tokenizer);
    }

    @Test
    void cl100kModelsAreCountedWithCl100k() {
        String text = "Übersetze bitte: 'The quick brown fox jumps over the lazy dog' — 速い茶色の狐。";
        ModelRequest r = post("api.openai.com", "/v1/chat/completions",
                "{\"model\":\"gpt-4\",\"max_completion_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"" + text + "\"}]}");
        assertThat(r.inputTokens()).isEqualTo(CL100K.countTokensOrdinary(text) + RequestScanner.TOKENS_PER_MESSAGE
                + RequestScanner.REPLY_PRIMING);
        assertThat(r.maxTokens()).isEqualTo(64);
    }

    @Test
    void specialTokenTextIsCountedAsOrdinaryTextNotRejected() {
        ModelRequest r = post("api.openai.com", "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"<|endoftext|> hi\"}]}");
        assertThat(r.inputTokens()).isEqualTo(o200k("<|endoftext|> hi") + RequestScanner.TOKENS_PER_MESSAGE
                + RequestScanner.REPLY_PRIMING);
    }

    // ---- OpenAI responses, completions, embeddings ---------------------------------------------------------------

    @Test
    void openAiResponses() {
        String body = """
                {"model":"o3","instructions":"You are terse.","input":[
                  {"role":"user","content":[{"type":"input_text","text":"Summarise the ticket."},
                    {"type":"input_image","image_url":"data:image/jpeg;base64,/9j/4AAQSkZJRgABAQ"}]},
                  {"type":"function_call_output","call_id":"c1","output":"ticket 9: printer on fire"}],
                 "max_output_tokens":2000,"reasoning":{"effort":"high"},"store":false}""";
        ModelRequest r = post("api.openai.com", "/v1/responses", body);
        assertThat(r.api()).isEqualTo(Api.OPENAI_RESPONSES);
        assertThat(r.operation()).isEqualTo("chat");
        assertThat(r.maxTokens()).isEqualTo(2000);
        assertThat(r.inputTokens()).isEqualTo(o200k("You are terse.", "Summarise the ticket.", "ticket 9: printer on fire")
                + 3 * RequestScanner.TOKENS_PER_MESSAGE + RequestScanner.REPLY_PRIMING + RequestScanner.TOKENS_PER_MEDIA_PART);
    }

    @Test
    void openAiResponsesWithAPlainStringInput() {
        ModelRequest r = post("api.openai.com", "/v1/responses",
                "{\"model\":\"gpt-5\",\"input\":\"Tell me a joke\",\"previous_response_id\":\"resp_1\"}");
        assertThat(r.inputTokens()).isEqualTo(o200k("Tell me a joke") + RequestScanner.TOKENS_PER_MESSAGE
                + RequestScanner.REPLY_PRIMING);
        assertThat(r.notes()).anyMatch(n -> n.contains("previous_response_id"));
    }

    @Test
    void embeddingsCountStringsAndTokenArraysWithoutFraming() {
        ModelRequest r = post("api.openai.com", "/v1/embeddings",
                "{\"model\":\"text-embedding-3-small\",\"input\":[\"first document\",\"second one\"],\"dimensions\":256}");
        assertThat(r.operation()).isEqualTo("embeddings");
        assertThat(r.inputTokens()).isEqualTo(CL100K.countTokensOrdinary("first document")
                + CL100K.countTokensOrdinary("second one"));

        ModelRequest ids = post("api.openai.com", "/v1/embeddings",
                "{\"model\":\"text-embedding-3-large\",\"input\":[[1,2,3],[4,5]]}");
        assertThat(ids.inputTokens()).isEqualTo(5);
    }

    @Test
    void legacyCompletions() {
        ModelRequest r = post("api.openai.com", "/v1/completions",
                "{\"model\":\"gpt-3.5-turbo-instruct\",\"prompt\":\"Say this is a test\",\"max_tokens\":7}");
        assertThat(r.operation()).isEqualTo("text_completion");
        assertThat(r.inputTokens()).isEqualTo(CL100K.countTokensOrdinary("Say this is a test")
                + RequestScanner.REPLY_PRIMING);
    }

    // ---- Anthropic -------------------------------------------------------------------------------------------------

    @Test
    void anthropicMessagesUseTheApproximationAndAddTheToolPrompt() {
        String tools = "[{\"name\":\"get_weather\",\"description\":\"Current weather\",\"input_schema\":"
                + "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}]";
        String body = """
                {"model":"claude-sonnet-4-5-20250929","max_tokens":1024,
                 "system":[{"type":"text","text":"You are a weather bot.","cache_control":{"type":"ephemeral"}}],
                 "messages":[
                   {"role":"user","content":"Weather in Paris?"},
                   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18C, cloudy"},
                     {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}],
                 "tools":%s,"stream":true}""".formatted(tools);
        ModelRequest r = post("api.anthropic.com", "/v1/messages", body);

        assertThat(r.provider()).isEqualTo("anthropic");
        assertThat(r.operation()).isEqualTo("chat");
        assertThat(r.maxTokens()).isEqualTo(1024);
        assertThat(r.stream()).isTrue();
        assertThat(r.tokenizer()).isEqualTo("o200k_base x1.35");
        int text = o200k("You are a weather bot.", "Weather in Paris?", "get_weather", "{\"city\":\"Paris\"}",
                "toolu_1", "18C, cloudy", tools);
        long expected = (long) Math.ceil(text * TokenCounter.APPROXIMATION_FACTOR)
                + 4 * RequestScanner.TOKENS_PER_MESSAGE + RequestScanner.REPLY_PRIMING
                + RequestScanner.TOKENS_PER_MEDIA_PART + RequestScanner.ANTHROPIC_TOOL_PROMPT;
        assertThat(r.inputTokens()).isEqualTo(expected);
        assertThat(r.notes()).anyMatch(n -> n.contains("approximated"));
    }

    // ---- Gemini ----------------------------------------------------------------------------------------------------

    @Test
    void geminiGenerateContentTakesTheModelFromThePath() {
        String body = """
                {"systemInstruction":{"parts":[{"text":"Answer in French."}]},
                 "contents":[{"role":"user","parts":[{"text":"What is the capital of Peru?"},
                   {"inlineData":{"mimeType":"image/jpeg","data":"/9j/4AAQ"}}]}],
                 "generationConfig":{"maxOutputTokens":256,"temperature":0.1,"candidateCount":2,
                   "stopSequences":["END"]}}""";
        ModelRequest r = post("generativelanguage.googleapis.com", "/v1beta/models/gemini-2.5-flash:generateContent", body);

        assertThat(r.provider()).isEqualTo("gcp.gemini");
        assertThat(r.operation()).isEqualTo("generate_content");
        assertThat(r.model()).isEqualTo("gemini-2.5-flash");
        assertThat(r.maxTokens()).isEqualTo(256);
        assertThat(r.choices()).isEqualTo(2);
        assertThat(r.stream()).isFalse();
        long expected = (long) Math.ceil(o200k("Answer in French.", "What is the capital of Peru?")
                * TokenCounter.APPROXIMATION_FACTOR) + 2 * RequestScanner.TOKENS_PER_MESSAGE
                + RequestScanner.REPLY_PRIMING + RequestScanner.TOKENS_PER_MEDIA_PART;
        assertThat(r.inputTokens()).isEqualTo(expected);
    }

    @Test
    void geminiStreamAndEmbed() {
        ModelRequest s = post("generativelanguage.googleapis.com",
                "/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse",
                "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}]}");
        assertThat(s.stream()).isTrue();
        assertThat(s.maxTokens()).isEqualTo(-1);

        ModelRequest e = post("generativelanguage.googleapis.com", "/v1beta/models/gemini-embedding-001:embedContent",
                "{\"model\":\"models/gemini-embedding-001\",\"content\":{\"parts\":[{\"text\":\"embed me\"}]}}");
        assertThat(e.operation()).isEqualTo("embeddings");
        assertThat(e.model()).isEqualTo("gemini-embedding-001");
    }

    // ---- recognition by host and path ----------------------------------------------------------------------------

    @ParameterizedTest(name = "{0} {1} -> {2} {3}")
    @CsvSource({
        "api.openai.com,                        /v1/chat/completions,                           openai,          OPENAI_CHAT_COMPLETIONS",
        "llm-proxy.internal,                    /openai/v1/chat/completions,                    openai,          OPENAI_CHAT_COMPLETIONS",
        "localhost:11434,                       /v1/chat/completions,                           openai,          OPENAI_CHAT_COMPLETIONS",
        "127.0.0.1:8000,                        /v1/chat/completions/,                          openai,          OPENAI_CHAT_COMPLETIONS",
        "gateway.example.com,                   /api/v2/llm/v1/responses,                       openai,          OPENAI_RESPONSES",
        "api.groq.com,                          /openai/v1/embeddings,                          openai,          OPENAI_EMBEDDINGS",
        "acme.openai.azure.com,                 /openai/deployments/prod-gpt4o/chat/completions?api-version=2024-10-21, azure.ai.openai, OPENAI_CHAT_COMPLETIONS",
        "acme.openai.azure.com,                 /openai/deployments/emb/embeddings,             azure.ai.openai, OPENAI_EMBEDDINGS",
        "API.OpenAI.com.,                       /v1/completions,                                openai,          OPENAI_COMPLETIONS",
        "api.anthropic.com,                     /v1/messages,                                   anthropic,       ANTHROPIC_MESSAGES",
        "api.anthropic.com,                     /v1/chat/completions,                           anthropic,       OPENAI_CHAT_COMPLETIONS",
        "llm-proxy.internal,                    /anthropic/v1/messages,                         anthropic,       ANTHROPIC_MESSAGES",
        "generativelanguage.googleapis.com,     /v1beta/openai/chat/completions,                gcp.gemini,      OPENAI_CHAT_COMPLETIONS",
        "generativelanguage.googleapis.com,     /v1/models/gemini-2.0-flash:generateContent,    gcp.gemini,      GEMINI_GENERATE_CONTENT",
        "llm-proxy.internal,                    /gemini/v1beta/models/gemini-2.5-pro:streamGenerateContent, gcp.gemini, GEMINI_GENERATE_CONTENT",
        "us-central1-aiplatform.googleapis.com, /v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-pro:generateContent, gcp.vertex_ai, GEMINI_GENERATE_CONTENT",
        "generativelanguage.googleapis.com,     /v1beta/models/text-embedding-004:batchEmbedContents, gcp.gemini, GEMINI_EMBED_CONTENT",
    })
    void recognisedByPathShape(String host, String path, String provider, Api api) {
        ModelRequest r = post(host, path, "{\"model\":\"m\"}");
        assertThat(r).isNotNull();
        assertThat(r.provider()).isEqualTo(provider);
        assertThat(r.api()).isEqualTo(api);
    }

    @Test
    void azureDeploymentStandsInForTheModel() {
        ModelRequest r = post("acme.openai.azure.com", "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(r.model()).isEqualTo("gpt-4o");
    }

    @ParameterizedTest(name = "{0} {1} {2}")
    @CsvSource({
        "GET,  api.openai.com,                    /v1/chat/completions",
        "GET,  api.openai.com,                    /v1/models",
        "POST, api.openai.com,                    /v1/files",
        "POST, api.openai.com,                    /v1/chat/completionsx",
        "POST, api.openai.com,                    /v1/responses/resp_123/cancel",
        "POST, api.anthropic.com,                 /v1/messages/count_tokens",
        "POST, api.anthropic.com,                 /v1/messages/batches",
        "POST, slack.example.com,                 /api/messages",
        "POST, generativelanguage.googleapis.com, /v1beta/models/gemini-2.5-pro:countTokens",
        "POST, generativelanguage.googleapis.com, /v1beta/models:generateContent",
        "POST, shop.example.com,                  /orders/17",
        "POST, shop.example.com,                  /",
    })
    void notAModelRequest(String method, String host, String path) {
        assertThat(ModelRequests.recognise(method, host, path, "{}".getBytes(StandardCharsets.UTF_8))).isNull();
    }

    @Test
    void nullsAreNotModelRequests() {
        assertThat(ModelRequests.recognise(null, null, null, null)).isNull();
        assertThat(ModelRequests.recognise("POST", null, null, null)).isNull();
    }

    // ---- bodies that are not what they should be -----------------------------------------------------------------

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "not json at all",
        "[1,2,3]",
        "\"a string\"",
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"cut sh",
        "{\"model\":\"gpt-4o\" \"max_tokens\":5}",
        "{\"model\":17,\"max_tokens\":\"lots\",\"n\":-4,\"messages\":{\"role\":\"user\"},\"tools\":3}",
        "{\"max_tokens\":99999999999999999999999}",
        "\u0000\u00ff\u00fe",
    })
    void malformedBodiesNeverThrowAndKeepWhatIsKnown(String body) {
        ModelRequest r = post("api.openai.com", "/v1/chat/completions", body);
        assertThat(r).isNotNull();
        assertThat(r.provider()).isEqualTo("openai");
        assertThat(r.inputTokens()).isGreaterThanOrEqualTo(0);
    }

    @Test
    void truncatedBodyKeepsTheModelAndSaysWhy() {
        ModelRequest r = post("api.openai.com", "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\"cut sh");
        assertThat(r.model()).isEqualTo("gpt-4o");
        assertThat(r.maxTokens()).isEqualTo(50);
        assertThat(r.notes()).anyMatch(n -> n.startsWith("body is not valid JSON"));
    }

    // ---- bytes that are not UTF-8 --------------------------------------------------------------------------------

    /** An o1 prompt whose first accented letter comes early; priced above $0.01 from its whole text. */
    static final String LATIN1_PROMPT = "Caf\u00e9 notes. "
            + "Summarise the quarterly report for the board in plain words, with figures. ".repeat(150);
    static final String LATIN1_CHAT = "{\"model\":\"o1\",\"max_tokens\":50,\"messages\":["
            + "{\"role\":\"system\",\"content\":\"You are a terse assistant, na\u00efve of nothing.\"},"
            + "{\"role\":\"user\",\"content\":\"" + LATIN1_PROMPT + "\"}]}";

    static ModelRequest post(String path, byte[] body) {
        return ModelRequests.recognise("POST", "api.openai.com", path, body);
    }

    @Test
    void aLatin1BodyIsReadAsIso88591AndPricedAsItsText() {
        ModelRequest utf8 = post("/v1/chat/completions", LATIN1_CHAT.getBytes(StandardCharsets.UTF_8));
        ModelRequest latin1 = post("/v1/chat/completions", LATIN1_CHAT.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(utf8.inputTokens()).isEqualTo(o200k("You are a terse assistant, na\u00efve of nothing.", LATIN1_PROMPT)
                + 2 * RequestScanner.TOKENS_PER_MESSAGE + RequestScanner.REPLY_PRIMING);
        assertThat(latin1.inputTokens()).isEqualTo(utf8.inputTokens());
        assertThat(latin1.model()).isEqualTo("o1");
        assertThat(latin1.maxTokens()).isEqualTo(50);
        assertThat(Pricing.estimate(latin1, PriceTable.shipped()).usd())
                .isEqualTo(Pricing.estimate(utf8, PriceTable.shipped()).usd()).isGreaterThan(0.01);
        assertThat(latin1.notes()).contains("body is not valid UTF-8 (at byte 99); read as ISO-8859-1, one character"
                + " a byte").noneMatch(n -> n.contains("counted what came before"));
        assertThat(utf8.notes()).noneMatch(n -> n.contains("UTF-8"));
    }

    @Test
    void aLatin1LetterEndingAFieldNameIsReadAsIso88591Too() {
        // the parser says "Unexpected end-of-input in field name" of this one, not "Invalid UTF-8"
        String body = "{\"model\":\"gpt-4o\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
                + "\"parameters\":{\"type\":\"object\",\"properties\":{\"caf\u00e9\":{\"type\":\"string\"}}}}}],"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"" + LATIN1_PROMPT + "\"}]}";
        ModelRequest utf8 = post("/v1/chat/completions", body.getBytes(StandardCharsets.UTF_8));
        ModelRequest latin1 = post("/v1/chat/completions", body.getBytes(StandardCharsets.ISO_8859_1));

        assertThat(latin1.inputTokens()).isEqualTo(utf8.inputTokens()).isGreaterThan(o200k(LATIN1_PROMPT));
        assertThat(latin1.notes()).anyMatch(n -> n.startsWith("body is not valid UTF-8 (at byte 117); read as ISO-8859-1"));
    }

    @ParameterizedTest(name = "stray byte 0x{0}")
    @CsvSource({"80", "FF", "E9", "C3"})
    void aStrayByteInUtf8TextNeverLowersTheCount(String hex) {
        // UTF-8 text with letters of two, three and four bytes, and one byte that is not UTF-8 early in it
        String user = "Le caf\u00e9 co\u00fbte 3 \u20ac, the \ud83d\ude00 says. " + LATIN1_PROMPT;
        String clean = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + user + "\"}]}";
        byte[] bytes = clean.getBytes(StandardCharsets.UTF_8);
        int at = clean.indexOf("Le caf") + 3;
        byte[] stray = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, stray, 0, at);
        stray[at] = (byte) Integer.parseInt(hex, 16);
        System.arraycopy(bytes, at, stray, at + 1, bytes.length - at);

        ModelRequest c = post("/v1/chat/completions", bytes);
        ModelRequest r = post("/v1/chat/completions", stray);
        assertThat(c.notes()).isEmpty();
        assertThat(r.inputTokens()).isGreaterThanOrEqualTo(c.inputTokens());
        assertThat(r.notes()).containsExactly("body is not valid UTF-8 (at byte " + at + "); read as ISO-8859-1, one"
                + " character a byte");
    }

    static final String FIRST = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Caf\u00e9 first.\"}";
    static final String CUT_SHORT = FIRST + ",{\"role\":\"user\",\"content\":\"cut sh";
    static final String COMMA_MISSING = FIRST + " {\"role\":\"user\",\"content\":\"na\u00efve\"}]}";

    @ParameterizedTest(name = "[{index}] {0}")
    @CsvSource(delimiter = '|', value = {
        "CUT_SHORT|2|Unexpected end-of-input in VALUE_STRING|103",
        "COMMA_MISSING|1|Unexpected character ('{' (code 123)): was expecting comma to separate Array entries|71",
    })
    void aBrokenUtf8BodyIsStillCountedUpToWhereItBreaks(String name, int messages, String error, int at) {
        // valid UTF-8, not valid JSON: as before, the text up to where it breaks is counted, and the note says so
        String body = name.equals("CUT_SHORT") ? CUT_SHORT : COMMA_MISSING;
        ModelRequest r = post("/v1/chat/completions", body.getBytes(StandardCharsets.UTF_8));
        assertThat(r.model()).isEqualTo("gpt-4o");
        assertThat(r.inputTokens()).isEqualTo(o200k("Caf\u00e9 first.") + messages * RequestScanner.TOKENS_PER_MESSAGE
                + RequestScanner.REPLY_PRIMING);
        assertThat(r.notes()).containsExactly("body is not valid JSON (" + error + " at byte " + at
                + "); counted what came before");
    }

    @Test
    void aUtf16BodyIsLeftToTheParser() {
        // the parser detects UTF-16 by the first bytes; cut short, it is counted up to where it breaks, as before
        ModelRequest r = post("/v1/chat/completions", CUT_SHORT.getBytes(StandardCharsets.UTF_16LE));
        assertThat(r.inputTokens()).isEqualTo(o200k("Caf\u00e9 first.") + 2 * RequestScanner.TOKENS_PER_MESSAGE
                + RequestScanner.REPLY_PRIMING);
        assertThat(r.notes()).hasSize(1).allMatch(n -> n.endsWith("counted what came before"));
    }

    @Test
    void missingBody() {
        ModelRequest r = ModelRequests.recognise("POST", "api.openai.com", "/v1/chat/completions", null);
        assertThat(r.inputTokens()).isZero();
        assertThat(r.model()).isNull();
        assertThat(r.notes()).contains("no body; input not counted", "no model named; cost unknown");
    }

    @Test
    void deepNestingIsBounded() {
        String deep = "[".repeat(900) + "]".repeat(900);
        ModelRequest r = post("api.openai.com", "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":" + deep + "}]}");
        assertThat(r.model()).isEqualTo("gpt-4o");
    }

    @Test
    void textBeyondTheCapIsExtrapolated() {
        String sentence = "The agent read the whole customer history before answering. ";
        String big = sentence.repeat((3 * RequestScanner.TEXT_CAP) / sentence.length());
        long start = System.nanoTime();
        ModelRequest r = post("api.openai.com", "/v1/chat/completions",
                "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + big + "\"}]}");
        long millis = (System.nanoTime() - start) / 1_000_000;
        long exact = O200K.countTokensOrdinary(big);
        assertThat(r.notes()).anyMatch(n -> n.contains("extrapolated linearly"));
        assertThat((double) r.inputTokens()).isBetween(exact * 0.98, exact * 1.02 + 10);
        assertThat(millis).as("bounded work").isLessThan(10_000);
    }

    @Test
    void base64PayloadsAreNeverTokenised() {
        String b64 = "A".repeat(2_000_000);
        ModelRequest r = post("api.anthropic.com", "/v1/messages",
                "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":["
                        + "{\"type\":\"image\",\"source\":{\"type\":\"base64\",\"media_type\":\"image/png\",\"data\":\"" + b64 + "\"}},"
                        + "{\"type\":\"text\",\"text\":\"what is this?\"}]}]}");
        assertThat(r.inputTokens()).isLessThan(2000);
        assertThat(r.notes()).noneMatch(n -> n.contains("extrapolated"));
    }
}
