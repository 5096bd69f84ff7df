package io.agentid.genai;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Per-model prices, USD per 1M tokens: the table shipped as {@code io/agentid/genai/prices.json}, optionally
 * overridden and extended by the user's own file of the same format (see docs/GENAI.md). Immutable and
 * thread-safe.
 *
 * <p>A model name matches the longest key that is a prefix of it and is followed in it by {@code -}, {@code :},
 * {@code @} or nothing, so dated variants ({@code gpt-4o-2024-08-06}, {@code claude-sonnet-4-20250514}) take their
 * family's price, while {@code gpt-5.9} does not take {@code gpt-5}'s. Names are compared in lower case, after
 * dropping a {@code models/} or {@code vendor/} path and a fine-tune's {@code ft:} prefix.
 */
public final class PriceTable {
    static final String RESOURCE = "/io/agentid/genai/prices.json";
    private static final String UNITS = "USD per 1M tokens";
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_JAVA_COMMENTS)
            .build();

    private static volatile PriceTable shipped;

    private final Map<String, ModelPrice> byName;
    private final ModelPrice[] longestFirst;
    private final String asOf;
    private final String source;

    private PriceTable(Map<String, ModelPrice> byName, String asOf, String source) {
        this.byName = Map.copyOf(byName);
        this.longestFirst = byName.values().toArray(new ModelPrice[0]);
        Arrays.sort(longestFirst, Comparator.comparingInt((ModelPrice m) -> m.name().length()).reversed());
        this.asOf = asOf;
        this.source = source;
    }

    /** The shipped table. */
    public static PriceTable shipped() {
        PriceTable t = shipped;
        if (t == null) {
            try (InputStream in = PriceTable.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException("resource " + RESOURCE + " is missing from the jar");
                }
                t = parse(RESOURCE, in.readAllBytes(), Map.of(), null, null);
            } catch (IOException | PriceTableException e) {
                throw new IllegalStateException("the shipped price table cannot be read: " + e.getMessage(), e);
            }
            shipped = t;
        }
        return t;
    }

    /**
     * The shipped table with the entries of {@code userFile} laid over it: a key that the shipped table has keeps
     * the fields the user's entry leaves out; a new key must give {@code input} and {@code output}.
     *
     * @throws PriceTableException when the file cannot be read or is not a valid price file; the message names the
     *                             file, line and problem
     */
    public static PriceTable load(Path userFile) throws PriceTableException {
        return shipped().withOverrides(userFile);
    }

    /** This table with the entries of {@code userFile} laid over it (see {@link #load}). */
    public PriceTable withOverrides(Path userFile) throws PriceTableException {
        byte[] content;
        try {
            content = Files.readAllBytes(userFile);
        } catch (IOException e) {
            throw new PriceTableException(userFile.toString(), 0, 0, "cannot be read: " + e);
        }
        return parse(userFile.toString(), content, byName, asOf, source);
    }

    /** This table with the entries of {@code json} (a price file's content) laid over it; {@code name} names it in errors. */
    public PriceTable withOverrides(String name, byte[] json) throws PriceTableException {
        return parse(name, json, byName, asOf, source);
    }

    /** The price for a model name as sent, or {@code null} when no key matches it (cost unknown). */
    public ModelPrice lookup(String model) {
        if (model == null || model.isEmpty()) {
            return null;
        }
        String m = TokenCounter.baseName(model);
        if (m.startsWith("ft:")) {
            m = m.substring(3);
        }
        ModelPrice exact = byName.get(m);
        if (exact != null) {
            return exact;
        }
        for (ModelPrice p : longestFirst) {
            String k = p.name();
            if (m.length() > k.length() && m.startsWith(k)) {
                char c = m.charAt(k.length());
                if (c == '-' || c == ':' || c == '@') {
                    return p;
                }
            }
        }
        return null;
    }

    /** The shipped figures' date, as the file states it ({@code as_of}). */
    public String asOf() {
        return asOf;
    }

    /** Where the shipped figures come from, as the file states it ({@code source}). */
    public String source() {
        return source;
    }

    /** Every entry, by key. */
    public Map<String, ModelPrice> entries() {
        return byName;
    }

    // ---- parsing -----------------------------------------------------------------------------------------------

    private static final class Partial {
        final String name;
        final JsonLocation at;
        Double input;
        Double output;
        Double cachedInput;
        Double cacheWrite;
        Integer maxOutput;
        Long longAbove;
        Double longInput;
        Double longOutput;

        Partial(String name, JsonLocation at) {
            this.name = name;
            this.at = at;
        }
    }

    private static PriceTable parse(String file, byte[] content, Map<String, ModelPrice> base, String baseAsOf,
            String baseSource) throws PriceTableException {
        String asOf = baseAsOf;
        String source = baseSource;
        List<Partial> entries = new ArrayList<>();
        try (JsonParser p = JSON.createParser(content)) {
            p.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(file, p, "a price file is a JSON object with `models`");
            }
            boolean models = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                switch (key) {
                    case "as_of" -> asOf = string(file, p, t, key);
                    case "source" -> source = string(file, p, t, key);
                    case "units" -> {
                        if (!UNITS.equals(string(file, p, t, key))) {
                            throw error(file, p, "`units` must be `" + UNITS + "`, found `" + p.getText() + "`");
                        }
                    }
                    case "models" -> {
                        models = true;
                        models(file, p, t, entries);
                    }
                    default -> throw error(file, p, "unknown key `" + key
                            + "` (expected as_of, source, units, models)");
                }
            }
            if (!models) {
                throw error(file, p, "no `models` object");
            }
        } catch (JsonProcessingException e) {
            JsonLocation l = e.getLocation();
            throw new PriceTableException(file, l == null ? 0 : l.getLineNr(), l == null ? 0 : l.getColumnNr(),
                    "not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new PriceTableException(file, 0, 0, "cannot be read: " + e);
        }
        Map<String, ModelPrice> merged = new LinkedHashMap<>(base);
        for (Partial e : entries) {
            ModelPrice old = merged.get(e.name);
            merged.put(e.name, merge(file, e, old));
        }
        return new PriceTable(merged, asOf, source);
    }

    private static void models(String file, JsonParser p, JsonToken t, List<Partial> out)
            throws IOException, PriceTableException {
        if (t != JsonToken.START_OBJECT) {
            throw error(file, p, "`models` must be an object of model name to prices");
        }
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String name = p.currentName();
            JsonLocation at = p.currentTokenLocation();
            String key = name.trim().toLowerCase(Locale.ROOT);
            if (key.isEmpty()) {
                throw error(file, p, "a model name must not be empty");
            }
            Partial e = new Partial(key, at);
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw error(file, p, "the prices of `" + name + "` must be an object such as {\"input\": 2.5, \"output\": 10}");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String f = p.currentName();
                JsonToken v = p.nextToken();
                switch (f) {
                    case "input" -> e.input = price(file, p, v, name, f);
                    case "output" -> e.output = price(file, p, v, name, f);
                    case "cached_input" -> e.cachedInput = price(file, p, v, name, f);
                    case "cache_write" -> e.cacheWrite = price(file, p, v, name, f);
                    case "max_output" -> e.maxOutput = (int) positive(file, p, v, name, f, Integer.MAX_VALUE);
                    case "note" -> string(file, p, v, f);
                    case "long_context" -> longContext(file, p, v, name, e);
                    default -> throw error(file, p, "unknown key `" + f + "` in `" + name
                            + "` (expected input, output, cached_input, cache_write, max_output, long_context, note)");
                }
            }
            out.add(e);
        }
    }

    private static void longContext(String file, JsonParser p, JsonToken v, String name, Partial e)
            throws IOException, PriceTableException {
        if (v != JsonToken.START_OBJECT) {
            throw error(file, p, "`long_context` of `" + name + "` must be an object with above_input_tokens, input, output");
        }
        JsonLocation at = p.currentTokenLocation();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
            String f = p.currentName();
            JsonToken t = p.nextToken();
            switch (f) {
                case "above_input_tokens" -> e.longAbove = positive(file, p, t, name, f, Long.MAX_VALUE);
                case "input" -> e.longInput = price(file, p, t, name, "long_context.input");
                case "output" -> e.longOutput = price(file, p, t, name, "long_context.output");
                default -> throw error(file, p, "unknown key `" + f + "` in `long_context` of `" + name
                        + "` (expected above_input_tokens, input, output)");
            }
        }
        if (e.longAbove == null || e.longInput == null || e.longOutput == null) {
            throw new PriceTableException(file, at.getLineNr(), at.getColumnNr(),
                    "`long_context` of `" + name + "` needs above_input_tokens, input and output");
        }
    }

    private static ModelPrice merge(String file, Partial e, ModelPrice old) throws PriceTableException {
        Double input = e.input != null ? e.input : old != null ? Double.valueOf(old.input()) : null;
        Double output = e.output != null ? e.output : old != null ? Double.valueOf(old.output()) : null;
        if (input == null || output == null) {
            throw new PriceTableException(file, e.at.getLineNr(), e.at.getColumnNr(), "`" + e.name
                    + "` is not in the shipped table, so it needs both `input` and `output`");
        }
        double cached = e.cachedInput != null ? e.cachedInput
                : old != null && e.input == null ? old.cachedInput() : input;
        double write = e.cacheWrite != null ? e.cacheWrite
                : old != null && e.input == null ? old.cacheWrite() : input;
        int maxOutput = e.maxOutput != null ? e.maxOutput : old != null ? old.maxOutput() : -1;
        long above = e.longAbove != null ? e.longAbove : old != null ? old.longContextAbove() : -1;
        double longIn = e.longInput != null ? e.longInput : old != null ? old.longInput() : input;
        double longOut = e.longOutput != null ? e.longOutput : old != null ? old.longOutput() : output;
        return new ModelPrice(e.name, input, output, cached, write, maxOutput, above, longIn, longOut);
    }

    private static String string(String file, JsonParser p, JsonToken t, String key)
            throws IOException, PriceTableException {
        if (t != JsonToken.VALUE_STRING) {
            throw error(file, p, "`" + key + "` must be a string");
        }
        return p.getText();
    }

    private static double price(String file, JsonParser p, JsonToken t, String model, String key)
            throws IOException, PriceTableException {
        if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
            throw error(file, p, "`" + key + "` of `" + model + "` must be a number (USD per 1M tokens), found `"
                    + p.getText() + "`");
        }
        double v = p.getDoubleValue();
        if (!(v >= 0) || Double.isInfinite(v)) {
            throw error(file, p, "`" + key + "` of `" + model + "` must not be negative, found `" + p.getText() + "`");
        }
        return v;
    }

    private static long positive(String file, JsonParser p, JsonToken t, String model, String key, long max)
            throws IOException, PriceTableException {
        if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                || p.getLongValue() <= 0 || p.getLongValue() > max) {
            throw error(file, p, "`" + key + "` of `" + model + "` must be a positive whole number of tokens, found `"
                    + p.getText() + "`");
        }
        return p.getLongValue();
    }

    private static PriceTableException error(String file, JsonParser p, String problem) {
        JsonLocation l = p.currentTokenLocation();
        return new PriceTableException(file, l.getLineNr(), l.getColumnNr(), problem);
    }
}
