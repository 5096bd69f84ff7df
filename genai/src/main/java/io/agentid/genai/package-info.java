/**
 * Model (LLM) requests recognised and priced before they are sent, and their actual usage read from responses.
 * Plain Java over jackson-core's streaming parser and jtokkit; no instrumentation. The HTTP interceptors call
 * {@link io.agentid.genai.ModelRequests#recognise} with what they see of a request, {@link io.agentid.genai.Pricing}
 * for the bound that a budget rule can decide on, and {@link io.agentid.genai.ModelResponses#usage} when the
 * client reads a response body. See docs/GENAI.md.
 *
 * <p>Everything here is stateless or immutable and safe to call from any thread; the tokenizer vocabularies are
 * loaded once, on first use or by {@link io.agentid.genai.TokenCounter#warmUp()}.
 */
package io.agentid.genai;
