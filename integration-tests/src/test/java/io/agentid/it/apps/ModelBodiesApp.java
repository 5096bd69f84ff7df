package io.agentid.it.apps;

/**
 * The steps {@link OkHttpModelApp} and {@link ApacheModelApp} make against {@code ModelBodiesIT}'s scripted
 * OpenAI-compatible server, each to its own path {@code /<client>_<step>/v1/chat/completions}. The server answers
 * by the step's name: {@code gzip_*} gzipped JSON (when asked for), {@code stream} a server-sent-events stream,
 * anything else plain JSON with a {@code Content-Length}.
 */
public final class ModelBodiesApp {
    /** name, model, max_tokens. */
    public static final String[][] STEPS = {
        {"cheap", "gpt-4o-mini", "50"},
        {"async_cheap", "gpt-4o-mini", "50"},
        {"expensive", "o1", "100000"},
        {"disallowed", "gpt-4o", "10"},
        {"gzip_cheap", "gpt-4o-mini", "50"},
        {"stream", "gpt-4o-mini", "50"},
        // a body agentid may not read first (OkHttp: one-shot; Apache: a non-repeatable stream entity): the
        // expensive model goes out, decided on its path only (cost unknown)
        {"oneshot", "o1", "100000"},
    };

    private ModelBodiesApp() {}

    public static String path(String step) {
        return "/" + step + "/v1/chat/completions";
    }

    /** The request body of a step. */
    public static String body(String step, String model, int maxTokens) {
        String stream = step.equals("stream") ? ",\"stream\":true,\"stream_options\":{\"include_usage\":true}" : "";
        return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + stream + ",\"messages\":["
                + "{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
                + "{\"role\":\"user\",\"content\":\"Name three prime numbers and say why 1 is not one of them.\"}]}";
    }
}
