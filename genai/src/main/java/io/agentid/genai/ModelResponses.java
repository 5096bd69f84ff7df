package io.agentid.genai;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.agentid.genai.ModelRequest.Api;
import java.io.IOException;

/**
 * Reads the actual token usage from a model response body that the client read: a JSON body, a Gemini stream
 * sent as a JSON array, or a server-sent-events stream.
 *
 * <ul>
 *   <li>OpenAI chat/completions/embeddings: {@code usage.prompt_tokens}, {@code usage.completion_tokens},
 *       {@code usage.prompt_tokens_details.cached_tokens}; {@code /v1/responses}: {@code usage.input_tokens},
 *       {@code usage.output_tokens}, {@code usage.input_tokens_details.cached_tokens}.</li>
 *   <li>Anthropic: {@code usage.input_tokens} (which excludes cache reads and writes, so they are added),
 *       {@code usage.output_tokens}, {@code usage.cache_read_input_tokens},
 *       {@code usage.cache_creation_input_tokens}.</li>
 *   <li>Gemini: {@code usageMetadata.promptTokenCount} (+ {@code toolUsePromptTokenCount}),
 *       {@code candidatesTokenCount} + {@code thoughtsTokenCount} (thinking is billed as output),
 *       {@code cachedContentTokenCount}.</li>
 * </ul>
 *
 * <p>Streams, best effort: every {@code data:} event is read and the last value of each count wins. That finds
 * OpenAI's final chunk when the request asked for {@code stream_options: {include_usage: true}} (without it an
 * OpenAI chat stream carries no usage, and the result is {@code null}), the {@code response.completed} event of
 * {@code /v1/responses}, Anthropic's {@code message_start} (input) and last {@code message_delta} (output), and
 * Gemini's last chunk. A stream cut short gives the counts seen so far. Never throws.
 */
public final class ModelResponses {
    private static final int MAX_DEPTH = 16;

    private ModelResponses() {
    }

    /** {@link #usage(Api, byte[], int, int)} over the whole of {@code body}. */
    public static Usage usage(Api api, byte[] body) {
        return usage(api, body, 0, body == null ? 0 : body.length);
    }

    /**
     * The usage a response reports, or {@code null} when it reports none (or is not one of ours).
     *
     * @param api the request's wire shape ({@link ModelRequest#api()})
     */
    public static Usage usage(Api api, byte[] body, int off, int len) {
        if (api == null || body == null || off < 0 || len <= 0 || off + len > body.length) {
            return null;
        }
        try {
            Counts c = new Counts();
            int first = off;
            int end = off + len;
            while (first < end && Character.isWhitespace(body[first])) {
                first++;
            }
            if (first < end && (body[first] == '{' || body[first] == '[')) {
                parse(body, first, end - first, c);
            } else {
                events(body, off, end, c);
            }
            return c.usage(api);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static void events(byte[] b, int off, int end, Counts c) {
        int line = off;
        while (line < end) {
            int eol = line;
            while (eol < end && b[eol] != '\n') {
                eol++;
            }
            if (eol - line > 5 && b[line] == 'd' && b[line + 1] == 'a' && b[line + 2] == 't' && b[line + 3] == 'a'
                    && b[line + 4] == ':') {
                int s = line + 5;
                while (s < eol && b[s] == ' ') {
                    s++;
                }
                if (s < eol && b[s] == '{') {
                    parse(b, s, eol - s, c);
                }
            }
            line = eol + 1;
        }
    }

    private static void parse(byte[] b, int off, int len, Counts c) {
        try (JsonParser p = RequestScanner.JSON.createParser(b, off, len)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                walk(p, t, 0, c);
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a truncated or odd body keeps the counts read before the problem
        }
    }

    private static void walk(JsonParser p, JsonToken t, int depth, Counts c) throws IOException {
        if (t == JsonToken.START_ARRAY) {
            if (depth >= MAX_DEPTH) {
                p.skipChildren();
                return;
            }
            JsonToken e;
            while ((e = p.nextToken()) != JsonToken.END_ARRAY && e != null) {
                walk(p, e, depth + 1, c);
            }
        } else if (t == JsonToken.START_OBJECT) {
            if (depth >= MAX_DEPTH) {
                p.skipChildren();
                return;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                if (v == JsonToken.START_OBJECT && (name.equals("usage") || name.equals("usageMetadata"))) {
                    usageObject(p, c);
                } else {
                    walk(p, v, depth + 1, c);
                }
            }
        }
    }

    private static void usageObject(JsonParser p, Counts c) throws IOException {
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            if (v == JsonToken.START_OBJECT
                    && (name.equals("prompt_tokens_details") || name.equals("input_tokens_details"))) {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String d = p.currentName();
                    JsonToken dv = p.nextToken();
                    if (d.equals("cached_tokens") && dv == JsonToken.VALUE_NUMBER_INT) {
                        c.cached = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
                continue;
            }
            if (v != JsonToken.VALUE_NUMBER_INT) {
                p.skipChildren();
                continue;
            }
            long n = p.getLongValue();
            switch (name) {
                case "prompt_tokens" -> c.promptTokens = n;
                case "completion_tokens" -> c.completionTokens = n;
                case "input_tokens" -> c.inputTokens = n;
                case "output_tokens" -> c.outputTokens = n;
                case "cache_read_input_tokens" -> c.cacheRead = n;
                case "cache_creation_input_tokens" -> c.cacheCreation = n;
                case "promptTokenCount" -> c.promptTokenCount = n;
                case "candidatesTokenCount" -> c.candidatesTokenCount = n;
                case "thoughtsTokenCount" -> c.thoughtsTokenCount = n;
                case "toolUsePromptTokenCount" -> c.toolUsePromptTokenCount = n;
                case "cachedContentTokenCount" -> c.cachedContentTokenCount = n;
                default -> {
                }
            }
        }
    }

    /** The raw counts seen; -1 = not seen. Later events overwrite earlier ones. */
    private static final class Counts {
        long promptTokens = -1;
        long completionTokens = -1;
        long inputTokens = -1;
        long outputTokens = -1;
        long cached = -1;
        long cacheRead = -1;
        long cacheCreation = -1;
        long promptTokenCount = -1;
        long candidatesTokenCount = -1;
        long thoughtsTokenCount = -1;
        long toolUsePromptTokenCount = -1;
        long cachedContentTokenCount = -1;

        Usage usage(Api api) {
            long in;
            long out;
            long read;
            long write = -1;
            switch (api) {
                case ANTHROPIC_MESSAGES -> {
                    in = inputTokens < 0 ? -1 : inputTokens + Math.max(0, cacheRead) + Math.max(0, cacheCreation);
                    out = outputTokens;
                    read = cacheRead;
                    write = cacheCreation;
                }
                case GEMINI_GENERATE_CONTENT, GEMINI_EMBED_CONTENT -> {
                    in = promptTokenCount < 0 ? -1 : promptTokenCount + Math.max(0, toolUsePromptTokenCount);
                    out = candidatesTokenCount < 0 && thoughtsTokenCount < 0 ? -1
                            : Math.max(0, candidatesTokenCount) + Math.max(0, thoughtsTokenCount);
                    if (out < 0 && in >= 0 && api == Api.GEMINI_EMBED_CONTENT) {
                        out = 0;
                    }
                    read = cachedContentTokenCount;
                }
                default -> {
                    in = promptTokens >= 0 ? promptTokens : inputTokens;
                    out = completionTokens >= 0 ? completionTokens : outputTokens;
                    if (out < 0 && in >= 0 && api == Api.OPENAI_EMBEDDINGS) {
                        out = 0;
                    }
                    read = cached;
                }
            }
            if (in < 0 && out < 0) {
                return null;
            }
            return new Usage(in, out, read, write);
        }
    }
}
