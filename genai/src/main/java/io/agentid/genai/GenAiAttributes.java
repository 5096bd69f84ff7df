package io.agentid.genai;

/**
 * Span attribute keys and well-known values for model calls: the OpenTelemetry GenAI semantic conventions
 * (development status; {@code gen_ai.provider.name} replaced {@code gen_ai.system}, so both are given) and
 * agentid's own cost attributes. This module has no OpenTelemetry dependency; the interceptors copy these onto
 * their spans.
 *
 * <table>
 *   <caption>where each attribute comes from</caption>
 *   <tr><th>key</th><th>source</th></tr>
 *   <tr><td>{@value #PROVIDER_NAME}, {@value #SYSTEM}</td><td>{@link ModelRequest#provider()}</td></tr>
 *   <tr><td>{@value #OPERATION_NAME}</td><td>{@link ModelRequest#operation()}</td></tr>
 *   <tr><td>{@value #REQUEST_MODEL}</td><td>{@link ModelRequest#model()}</td></tr>
 *   <tr><td>{@value #REQUEST_MAX_TOKENS}</td><td>{@link ModelRequest#maxTokens()} when the request sets it</td></tr>
 *   <tr><td>{@value #INPUT_TOKENS_ESTIMATE}</td><td>{@link ModelRequest#inputTokens()}</td></tr>
 *   <tr><td>{@value #COST_ESTIMATE_USD}</td><td>{@link CostEstimate#usd()} (omit when NaN)</td></tr>
 *   <tr><td>{@value #USAGE_INPUT_TOKENS}, {@value #USAGE_OUTPUT_TOKENS}</td><td>{@link Usage}</td></tr>
 *   <tr><td>{@value #COST_ACTUAL_USD}</td><td>{@link Pricing#actual} (omit when NaN)</td></tr>
 * </table>
 */
public final class GenAiAttributes {
    public static final String PROVIDER_NAME = "gen_ai.provider.name";
    /** Deprecated in the conventions in favour of {@link #PROVIDER_NAME}; same values. */
    public static final String SYSTEM = "gen_ai.system";
    public static final String OPERATION_NAME = "gen_ai.operation.name";
    public static final String REQUEST_MODEL = "gen_ai.request.model";
    public static final String REQUEST_MAX_TOKENS = "gen_ai.request.max_tokens";
    public static final String REQUEST_STREAM = "gen_ai.request.stream";
    public static final String USAGE_INPUT_TOKENS = "gen_ai.usage.input_tokens";
    public static final String USAGE_OUTPUT_TOKENS = "gen_ai.usage.output_tokens";
    public static final String INPUT_TOKENS_ESTIMATE = "agentid.gen_ai.input_tokens_estimate";
    public static final String COST_ESTIMATE_USD = "agentid.cost.estimate_usd";
    public static final String COST_ACTUAL_USD = "agentid.cost.actual_usd";

    /** {@code gen_ai.provider.name} values. */
    public static final String OPENAI = "openai";
    public static final String AZURE_OPENAI = "azure.ai.openai";
    public static final String ANTHROPIC = "anthropic";
    public static final String GEMINI = "gcp.gemini";
    public static final String VERTEX_AI = "gcp.vertex_ai";

    /** {@code gen_ai.operation.name} values. */
    public static final String CHAT = "chat";
    public static final String TEXT_COMPLETION = "text_completion";
    public static final String EMBEDDINGS = "embeddings";
    public static final String GENERATE_CONTENT = "generate_content";

    private GenAiAttributes() {
    }
}
