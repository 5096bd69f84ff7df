package io.agentid.genai;

import io.agentid.genai.ModelRequest.Api;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Recognises a model request from its HTTP method, host, path and body, before it is sent.
 *
 * <p>Recognition is by the path's shape, so self-hosted servers and proxies are recognised too (an LLM gateway at
 * {@code https://llm-proxy.internal/openai/v1/chat/completions}, Ollama's OpenAI-compatible
 * {@code http://localhost:11434/v1/chat/completions}, vLLM, LiteLLM):
 * <ul>
 *   <li>{@code …/chat/completions} (chat), {@code …/v1/completions} (text_completion), {@code …/v1/responses}
 *       (chat), {@code …/v1/embeddings} and {@code …/openai/embeddings} (embeddings), and Azure's
 *       {@code …/deployments/{name}/chat/completions|completions|embeddings}: the OpenAI shapes;</li>
 *   <li>{@code …/v1/messages}: Anthropic's Messages API (chat);</li>
 *   <li>{@code …/models/{model}:generateContent} and {@code :streamGenerateContent} (generate_content),
 *       {@code :embedContent} and {@code :batchEmbedContents} (embeddings): Gemini, also as Vertex AI's
 *       {@code …/publishers/google/models/{model}:…}.</li>
 * </ul>
 * Only {@code POST} is a model call. The host decides the provider only when it is a provider's own:
 * {@code api.openai.com} (openai), {@code *.openai.azure.com} (azure.ai.openai), {@code api.anthropic.com}
 * (anthropic, also for its OpenAI-compatible {@code /v1/chat/completions}), {@code generativelanguage.googleapis.com}
 * (gcp.gemini, also for its OpenAI-compatible {@code /v1beta/openai/…}) and {@code *aiplatform.googleapis.com}
 * (gcp.vertex_ai). On any other host the path's shape names the provider: {@code openai} for the OpenAI shapes
 * (the de-facto protocol of proxies and self-hosted servers, whatever model they serve), {@code anthropic} for
 * {@code /v1/messages}, {@code gcp.gemini} for the Gemini shapes.
 *
 * <p>Never throws for any input and does bounded work: at most {@link RequestScanner#TEXT_CAP} characters of
 * text are tokenised, the rest extrapolated; what could not be read is said in {@link ModelRequest#notes()}.
 * Thread-safe.
 */
public final class ModelRequests {
    private ModelRequests() {
    }

    /** {@link #recognise(String, String, String, byte[], int, int)} over the whole of {@code body}. */
    public static ModelRequest recognise(String method, String host, String path, byte[] body) {
        return recognise(method, host, path, body, 0, body == null ? 0 : body.length);
    }

    /**
     * The model request that this HTTP request is, or {@code null} when it is not one.
     *
     * @param method the HTTP method
     * @param host   the host the request goes to, with or without a port; may be {@code null}
     * @param path   the request path, with or without a query string
     * @param body   the request body, or {@code null} when the caller could not see it
     * @param off    where the body starts in {@code body}
     * @param len    the body's length in bytes
     */
    public static ModelRequest recognise(String method, String host, String path, byte[] body, int off, int len) {
        try {
            if (method == null || path == null || !method.equalsIgnoreCase("POST")) {
                return null;
            }
            int q = path.indexOf('?');
            String p = q >= 0 ? path.substring(0, q) : path;
            Shape shape = shape(p);
            if (shape == null) {
                return null;
            }
            return read(shape, provider(host, shape.api), body, off, len);
        } catch (RuntimeException e) {
            // Recognition must never break the call it looks at; a request we cannot read is not priced.
            return null;
        }
    }

    private record Shape(Api api, String operation, String pathModel, boolean stream) {
    }

    private static Shape shape(String p) {
        int colon = p.lastIndexOf(':');
        int models = p.lastIndexOf("/models/");
        if (colon > 0 && models >= 0 && colon > models) {
            String method = p.substring(colon + 1);
            String model = p.substring(models + "/models/".length(), colon);
            if (model.isEmpty() || model.indexOf('/') >= 0) {
                return null;
            }
            switch (method) {
                case "generateContent":
                    return new Shape(Api.GEMINI_GENERATE_CONTENT, GenAiAttributes.GENERATE_CONTENT, model, false);
                case "streamGenerateContent":
                    return new Shape(Api.GEMINI_GENERATE_CONTENT, GenAiAttributes.GENERATE_CONTENT, model, true);
                case "embedContent":
                case "batchEmbedContents":
                    return new Shape(Api.GEMINI_EMBED_CONTENT, GenAiAttributes.EMBEDDINGS, model, false);
                default:
                    return null;
            }
        }
        if (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        String deployment = azureDeployment(p);
        if (p.endsWith("/chat/completions")) {
            return new Shape(Api.OPENAI_CHAT_COMPLETIONS, GenAiAttributes.CHAT, deployment, false);
        }
        if (p.endsWith("/v1/completions") || (deployment != null && p.endsWith("/completions"))) {
            return new Shape(Api.OPENAI_COMPLETIONS, GenAiAttributes.TEXT_COMPLETION, deployment, false);
        }
        if (p.endsWith("/v1/responses")) {
            return new Shape(Api.OPENAI_RESPONSES, GenAiAttributes.CHAT, null, false);
        }
        if (p.endsWith("/v1/embeddings") || p.endsWith("/openai/embeddings")
                || (deployment != null && p.endsWith("/embeddings"))) {
            return new Shape(Api.OPENAI_EMBEDDINGS, GenAiAttributes.EMBEDDINGS, deployment, false);
        }
        if (p.endsWith("/v1/messages")) {
            return new Shape(Api.ANTHROPIC_MESSAGES, GenAiAttributes.CHAT, null, false);
        }
        return null;
    }

    /** Azure OpenAI's {@code /openai/deployments/{name}/…}: the deployment name stands in for the model. */
    private static String azureDeployment(String p) {
        int d = p.indexOf("/deployments/");
        if (d < 0) {
            return null;
        }
        int start = d + "/deployments/".length();
        int end = p.indexOf('/', start);
        return end > start ? p.substring(start, end) : null;
    }

    private static String provider(String host, Api api) {
        String h = host == null ? "" : host.toLowerCase(Locale.ROOT);
        int colon = h.lastIndexOf(':');
        if (colon >= 0 && h.indexOf(']') < colon) {
            h = h.substring(0, colon);
        }
        if (h.endsWith(".")) {
            h = h.substring(0, h.length() - 1);
        }
        if (h.equals("api.openai.com")) {
            return GenAiAttributes.OPENAI;
        }
        if (h.endsWith(".openai.azure.com")) {
            return GenAiAttributes.AZURE_OPENAI;
        }
        if (h.equals("api.anthropic.com")) {
            return GenAiAttributes.ANTHROPIC;
        }
        if (h.equals("generativelanguage.googleapis.com")) {
            return GenAiAttributes.GEMINI;
        }
        if (h.endsWith("aiplatform.googleapis.com")) {
            return GenAiAttributes.VERTEX_AI;
        }
        switch (api) {
            case ANTHROPIC_MESSAGES:
                return GenAiAttributes.ANTHROPIC;
            case GEMINI_GENERATE_CONTENT:
            case GEMINI_EMBED_CONTENT:
                return GenAiAttributes.GEMINI;
            default:
                return GenAiAttributes.OPENAI;
        }
    }

    private static ModelRequest read(Shape shape, String provider, byte[] body, int off, int len) {
        List<String> notes = new ArrayList<>(2);
        boolean hasBody = body != null && len > 0 && off >= 0 && off + len <= body.length;
        RequestScanner scan;
        if (!hasBody) {
            scan = new RequestScanner(body, off, shape.api, notes);
            notes.add("no body; input not counted");
        } else {
            scan = RequestScanner.scan(body, off, len, shape.api, notes);
        }
        String model = scan.model;
        if (shape.pathModel != null && (model == null || shape.api == Api.GEMINI_GENERATE_CONTENT
                || shape.api == Api.GEMINI_EMBED_CONTENT)) {
            // Gemini's model is the path's; Azure's body has none, the deployment name stands in.
            model = shape.pathModel;
        }
        if (model == null) {
            notes.add("no model named; cost unknown");
        }
        TokenCounter counter = TokenCounter.forModel(provider, model);
        long input = 0;
        try {
            input = hasBody ? scan.inputTokens(counter) : 0;
        } catch (RuntimeException e) {
            notes.add("input could not be tokenised (" + e + ")");
        }
        if (counter.factor() != 1.0) {
            notes.add("input tokens approximated as " + counter.name() + " (the model's tokenizer is not public)");
        }
        return new ModelRequest(provider, shape.operation, shape.api, model, scan.maxTokens, scan.choices,
                scan.stream || shape.stream, input, counter.name(), notes);
    }
}
