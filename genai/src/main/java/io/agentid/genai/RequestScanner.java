package io.agentid.genai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.json.UTF8StreamJsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * One pass of Jackson's streaming parser over a request body: picks the model, limits and stream flag, and
 * collects the billed text (message text, system prompts, tool definitions) without ever building a tree.
 *
 * <p>Implementation notes. The text is collected first and counted after the pass because the model, which picks
 * the encoding, may come after the messages (the OpenAI Python SDK sends {@code messages} first). Strings under
 * keys that are never billed as text ({@code url}, base64 {@code data}, ids, roles) are skipped without being
 * decoded. Tool definitions, JSON schemas and tool-call arguments are counted as their raw JSON text, which
 * overcounts a little (quotes, braces, indentation): acceptable for an upper bound. At most {@link #TEXT_CAP}
 * characters are kept for tokenising; the length of the rest is still measured and extrapolated linearly.
 * Nesting deeper than {@link #MAX_DEPTH} is skipped, so recursion is bounded. A body that is not valid UTF-8 is read
 * again as ISO-8859-1 ({@link #scan}).
 */
final class RequestScanner {
    static final JsonFactory JSON = new JsonFactory();

    /** Characters of text tokenised at most per request (1 Mi); the rest is extrapolated. */
    static final int TEXT_CAP = 1 << 20;
    /** OpenAI documents about 3 tokens of framing per message, plus 1 for a name; we take 4 for every message. */
    static final int TOKENS_PER_MESSAGE = 4;
    /** OpenAI: every reply is primed with 3 tokens. */
    static final int REPLY_PRIMING = 3;
    /**
     * Flat estimate for an image, document, file or audio part. 1600 is about Anthropic's largest image (about
     * 1.15 megapixels at 750 pixels per token) and above OpenAI's high-detail 1024x1024 (765) and Gemini's
     * 258 per 768x768 tile for ordinary images; PDFs (per page) and audio (per second) can cost more.
     */
    static final int TOKENS_PER_MEDIA_PART = 1600;
    /** Anthropic adds a tool-use system prompt when tools are given: 159–530 tokens depending on the model. */
    static final int ANTHROPIC_TOOL_PROMPT = 530;
    static final int MAX_DEPTH = 64;

    private static final Set<String> SKIP_KEYS = Set.of(
            "role", "id", "tool_call_id", "call_id", "model", "image_url", "url", "data", "file_data", "file_id",
            "fileUri", "file_uri", "mimeType", "mime_type", "media_type", "detail", "cache_control", "signature",
            "encrypted_content", "status", "citations", "format");
    private static final Set<String> MEDIA_TYPES = Set.of(
            "image_url", "image", "input_image", "document", "input_file", "file", "input_audio");
    private static final Set<String> MEDIA_KEYS = Set.of("inlineData", "inline_data", "fileData");
    private static final Set<String> RAW_CONTENT_KEYS = Set.of("input", "args", "response", "parameters", "arguments");

    private final byte[] body;
    private final int off;
    private final ModelRequest.Api api;
    private final List<String> notes;

    String model;
    int maxTokens = -1;
    int choices = 1;
    boolean stream;

    private final List<String> texts = new ArrayList<>();
    private long keptChars;
    private long extraChars;
    private long directTokens;
    private int messages;
    private int media;
    private boolean tools;
    private boolean intsAreTokens;
    /** Whether the parser read the body as UTF-8 (not UTF-16 or UTF-32, which it detects by the first bytes). */
    private boolean readAsUtf8;

    RequestScanner(byte[] body, int off, ModelRequest.Api api, List<String> notes) {
        this.body = body;
        this.off = off;
        this.api = api;
        this.notes = notes;
    }

    /**
     * Scans {@code len} bytes of {@code body} from {@code off}, which the parser reads as UTF-8 unless their first
     * bytes are UTF-16 or UTF-32. A body read as UTF-8 that breaks off and is not valid UTF-8 (ISO-8859-1 sent under a
     * content type that names no charset, a stray byte) is scanned again from the start, by a fresh scanner, as
     * ISO-8859-1: each byte one character, so that it is never counted below its text. The parser stops at the first
     * byte that is not UTF-8, and not always with an error that says so ("Unexpected end-of-input in field name" for
     * a letter ending a name), so the body itself is checked, and only when the parser stopped: a body that parses
     * is read once, as it is. Returns the scanner whose fields and {@link #inputTokens} are the body's.
     */
    static RequestScanner scan(byte[] body, int off, int len, ModelRequest.Api api, List<String> notes) {
        int mark = notes.size();
        RequestScanner utf8 = new RequestScanner(body, off, api, notes);
        if (utf8.read(len) || !utf8.readAsUtf8) {
            return utf8;
        }
        int bad = firstNotUtf8(body, off, len);
        if (bad < 0) {
            return utf8;
        }
        notes.subList(mark, notes.size()).clear(); // what the first pass said is of text it did not read
        notes.add("body is not valid UTF-8 (at byte " + bad + "); read as ISO-8859-1, one character a byte");
        byte[] text = new String(body, off, len, StandardCharsets.ISO_8859_1).getBytes(StandardCharsets.UTF_8);
        RequestScanner latin1 = new RequestScanner(text, 0, api, notes);
        latin1.read(text.length);
        return latin1;
    }

    /**
     * Reads the body; a body that is not JSON, or breaks off, leaves what was read so far and a note. Returns whether
     * the parser read it to its end.
     */
    private boolean read(int len) {
        try (JsonParser p = JSON.createParser(body, off, len)) {
            readAsUtf8 = p instanceof UTF8StreamJsonParser;
            if (p.nextToken() != JsonToken.START_OBJECT) {
                notes.add("body is not a JSON object; input not counted");
                return false;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                topField(p, field, p.nextToken());
            }
            return true;
        } catch (JsonProcessingException e) {
            notes.add("body is not valid JSON (" + e.getOriginalMessage() + " at byte "
                    + e.getLocation().getByteOffset() + "); counted what came before");
        } catch (IOException | RuntimeException e) {
            notes.add("body could not be read (" + e + "); counted what came before");
        }
        return false;
    }

    /** The offset in {@code body} of the first byte of the {@code len} from {@code off} that is not UTF-8; else -1. */
    static int firstNotUtf8(byte[] body, int off, int len) {
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder(); // reports malformed input
        ByteBuffer in = ByteBuffer.wrap(body, off, len);
        CharBuffer out = CharBuffer.allocate(Math.min(len, 8192));
        while (true) {
            CoderResult r = d.decode(in, out, true);
            if (r.isError()) {
                return in.position() - off;
            }
            if (r.isUnderflow()) {
                return -1;
            }
            out.clear();
        }
    }

    private void topField(JsonParser p, String field, JsonToken t) throws IOException {
        switch (field) {
            case "model" -> {
                if (t == JsonToken.VALUE_STRING) {
                    model = p.getText();
                }
            }
            case "max_tokens", "max_completion_tokens", "max_output_tokens" -> maxTokens = Math.max(maxTokens, intValue(p, t));
            case "n" -> choices = Math.max(choices, intValue(p, t));
            case "stream" -> stream |= t == JsonToken.VALUE_TRUE;
            case "generationConfig", "generation_config" -> generationConfig(p, t);
            case "messages", "contents" -> messageList(p, t);
            case "input", "prompt" -> {
                intsAreTokens = api == ModelRequest.Api.OPENAI_EMBEDDINGS || api == ModelRequest.Api.OPENAI_COMPLETIONS;
                if (api == ModelRequest.Api.OPENAI_RESPONSES) {
                    messageList(p, t);
                } else {
                    content(p, t, 1);
                }
                intsAreTokens = false;
            }
            case "system", "systemInstruction", "system_instruction", "instructions", "content", "requests" -> {
                if (t == JsonToken.START_OBJECT || t == JsonToken.VALUE_STRING || t == JsonToken.START_ARRAY) {
                    messages++;
                }
                content(p, t, 1);
            }
            case "tools", "functions" -> tools |= raw(p, t) > 2;
            case "response_format", "text", "toolConfig", "tool_config" -> raw(p, t);
            case "previous_response_id", "conversation" -> {
                notes.add("`" + field + "` continues an earlier conversation whose tokens are billed but not counted here");
                p.skipChildren();
            }
            case "cachedContent", "cached_content" -> {
                notes.add("cached content is billed but not counted here");
                p.skipChildren();
            }
            default -> p.skipChildren();
        }
    }

    private void generationConfig(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT) {
            p.skipChildren();
            return;
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken v = p.nextToken();
            switch (f) {
                case "maxOutputTokens", "max_output_tokens" -> maxTokens = Math.max(maxTokens, intValue(p, v));
                case "candidateCount", "candidate_count" -> choices = Math.max(choices, intValue(p, v));
                case "responseSchema", "response_schema", "responseJsonSchema" -> raw(p, v);
                default -> p.skipChildren();
            }
        }
    }

    private void messageList(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                messages++;
            }
            content(p, t, 1);
            return;
        }
        JsonToken e;
        while ((e = p.nextToken()) != JsonToken.END_ARRAY && e != null) {
            messages++;
            content(p, e, 2);
        }
    }

    private void content(JsonParser p, JsonToken t, int depth) throws IOException {
        if (t == null) {
            return;
        }
        if (depth > MAX_DEPTH) {
            p.skipChildren();
            return;
        }
        switch (t) {
            case VALUE_STRING -> text(p);
            case VALUE_NUMBER_INT -> {
                if (intsAreTokens) {
                    directTokens++;
                }
            }
            case START_ARRAY -> {
                JsonToken e;
                while ((e = p.nextToken()) != JsonToken.END_ARRAY && e != null) {
                    content(p, e, depth + 1);
                }
            }
            case START_OBJECT -> {
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    contentField(p, name, p.nextToken(), depth + 1);
                }
            }
            default -> {
            }
        }
    }

    private void contentField(JsonParser p, String name, JsonToken t, int depth) throws IOException {
        if (name.equals("type")) {
            if (t == JsonToken.VALUE_STRING && MEDIA_TYPES.contains(p.getText())) {
                media++;
            }
            p.skipChildren();
        } else if (MEDIA_KEYS.contains(name)) {
            media++;
            p.skipChildren();
        } else if (SKIP_KEYS.contains(name)) {
            p.skipChildren();
        } else if (t == JsonToken.START_OBJECT && RAW_CONTENT_KEYS.contains(name)) {
            raw(p, t);
        } else {
            content(p, t, depth);
        }
    }

    private void text(JsonParser p) throws IOException {
        if (keptChars >= TEXT_CAP) {
            extraChars += p.getTextLength();
            return;
        }
        keep(p.getText());
    }

    private void keep(String s) {
        if (s.isEmpty()) {
            return;
        }
        long room = TEXT_CAP - keptChars;
        if (s.length() <= room) {
            texts.add(s);
            keptChars += s.length();
        } else {
            texts.add(s.substring(0, (int) room));
            keptChars = TEXT_CAP;
            extraChars += s.length() - room;
        }
    }

    /** Keeps the raw JSON text of the value at the parser; returns its length in bytes. */
    private long raw(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.START_OBJECT && t != JsonToken.START_ARRAY) {
            if (t == JsonToken.VALUE_STRING) {
                text(p);
            }
            return 0;
        }
        long start = p.currentTokenLocation().getByteOffset();
        p.skipChildren();
        long end = p.currentLocation().getByteOffset();
        long len = end - start;
        if (start < 0 || len <= 0) {
            return 0;
        }
        if (keptChars >= TEXT_CAP) {
            extraChars += len;
        } else {
            keep(new String(body, off + (int) start, (int) Math.min(len, TEXT_CAP - keptChars), StandardCharsets.UTF_8));
            if (len > TEXT_CAP - keptChars) {
                extraChars += len - (TEXT_CAP - keptChars);
            }
        }
        return len;
    }

    private static int intValue(JsonParser p, JsonToken t) throws IOException {
        if (t != JsonToken.VALUE_NUMBER_INT) {
            p.skipChildren();
            return -1;
        }
        if (p.getNumberType() != JsonParser.NumberType.INT) {
            return Integer.MAX_VALUE;
        }
        return Math.max(p.getIntValue(), -1);
    }

    /** The estimated input tokens, counted with {@code counter}. */
    long inputTokens(TokenCounter counter) {
        long tokens = 0;
        for (int i = 0; i < texts.size(); i++) {
            tokens += counter.count(texts.get(i));
        }
        if (extraChars > 0) {
            long extra = keptChars > 0 ? (long) Math.ceil((double) extraChars * tokens / keptChars) : extraChars;
            notes.add("text beyond the first " + TEXT_CAP + " characters (" + extraChars
                    + " more) extrapolated linearly");
            tokens += extra;
        }
        tokens = (long) Math.ceil(tokens * counter.factor());
        tokens += directTokens;
        tokens += (long) messages * TOKENS_PER_MESSAGE;
        if (api.generates()) {
            tokens += REPLY_PRIMING;
        }
        if (media > 0) {
            notes.add(media + " image, document or audio part(s) estimated at " + TOKENS_PER_MEDIA_PART
                    + " tokens each");
            tokens += (long) media * TOKENS_PER_MEDIA_PART;
        }
        if (tools && api == ModelRequest.Api.ANTHROPIC_MESSAGES) {
            tokens += ANTHROPIC_TOOL_PROMPT;
        }
        return tokens;
    }
}
