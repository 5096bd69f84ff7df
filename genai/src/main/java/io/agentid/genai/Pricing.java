package io.agentid.genai;

/** Prices model calls: an upper bound before they are sent, the actual cost from the response's usage. */
public final class Pricing {
    private Pricing() {
    }

    /**
     * The most {@code request} can cost: estimated input tokens × input price + the most output tokens it allows ×
     * output price. The output bound is the request's limit times its number of choices or, when it sets none, the
     * model's documented maximum output from the table (say so: {@link CostEstimate#outputLimit()}). The
     * long-context prices apply when the estimated input is above the model's threshold. An upper bound, since a
     * reply rarely uses its whole limit and the input estimate errs high; not a guarantee (docs/GENAI.md, Limits).
     * Unknown model, or no output bound: NaN, with the reason in {@link CostEstimate#note()}.
     */
    public static CostEstimate estimate(ModelRequest request, PriceTable table) {
        long input = request.inputTokens();
        ModelPrice price = table.lookup(request.model());
        long output;
        CostEstimate.OutputLimit limit;
        if (!request.api().generates()) {
            output = 0;
            limit = CostEstimate.OutputLimit.NONE;
        } else if (request.maxTokens() >= 0) {
            output = (long) request.maxTokens() * Math.max(1, request.choices());
            limit = CostEstimate.OutputLimit.REQUEST;
        } else if (price != null && price.maxOutput() > 0) {
            output = (long) price.maxOutput() * Math.max(1, request.choices());
            limit = CostEstimate.OutputLimit.MODEL_DEFAULT;
        } else {
            output = -1;
            limit = CostEstimate.OutputLimit.UNKNOWN;
        }
        if (price == null) {
            String why = request.model() == null ? "no model named in the request, so no price"
                    : "model `" + request.model() + "` is not in the price table";
            return new CostEstimate(Double.NaN, input, output, limit, null, why);
        }
        if (output < 0) {
            return new CostEstimate(Double.NaN, input, output, limit, price.name(),
                    "the request sets no output limit and the table has no max_output for `" + price.name() + "`");
        }
        double usd = (input * price.inputPrice(input) + output * price.outputPrice(input)) / 1_000_000d;
        String note = limit == CostEstimate.OutputLimit.MODEL_DEFAULT
                ? "no output limit in the request: bounded by the model's documented maximum of " + price.maxOutput()
                : null;
        return new CostEstimate(usd, input, output, limit, price.name(), note);
    }

    /**
     * The cost of a call that used {@code usage}: fresh input × input price + cache reads × cached price + cache
     * writes × cache-write price + output × output price, at the long-context prices when the input is above the
     * threshold. NaN when the model is not in the table or the usage lacks input or output.
     */
    public static double actual(String model, Usage usage, PriceTable table) {
        ModelPrice price = table.lookup(model);
        if (price == null || usage == null || usage.inputTokens() < 0 || usage.outputTokens() < 0) {
            return Double.NaN;
        }
        long in = usage.inputTokens();
        long read = Math.max(0, usage.cacheReadTokens());
        long write = Math.max(0, usage.cacheWriteTokens());
        long fresh = Math.max(0, in - read - write);
        double usd = fresh * price.inputPrice(in) + read * price.cachedInput() + write * price.cacheWrite()
                + usage.outputTokens() * price.outputPrice(in);
        return usd / 1_000_000d;
    }
}
