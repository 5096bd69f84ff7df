package io.agentid.interceptors.http;

import io.agentid.genai.ModelRequest;
import io.agentid.genai.ModelResponses;
import io.agentid.genai.PriceTable;
import io.agentid.genai.PriceTableException;
import io.agentid.genai.Pricing;
import io.agentid.genai.TokenCounter;
import io.agentid.genai.Usage;
import io.agentid.runtime.AgentLog;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** What the HTTP guard needs of {@code io.agentid.genai}: the price table, the warm-up, reading a response's usage. */
final class ModelCalls {
    /** The setting naming the user's price file, laid over the shipped table (docs/GENAI.md). */
    static final String PRICES_KEY = "genai.prices";
    /** Larger response bodies are not parsed for usage (nor read ahead: HttpURLConnection, OkHttp, Apache HttpClient). */
    static final int RESPONSE_CAP = 1 << 20;
    /** Larger request bodies of OkHttp and Apache HttpClient are not copied for pricing (decided on the path). */
    static final int REQUEST_CAP = 1 << 20;

    private ModelCalls() {}

    /**
     * The text of a request body in UTF-8, which the model-request parser reads: {@code body}'s remaining bytes as
     * they are when {@code contentType} names no charset, one unknown here, UTF-8 or US-ASCII; else decoded from the
     * charset it names and encoded in UTF-8, each run of bytes not in that charset (an odd last byte in UTF-16, a byte
     * windows-1252 gives no letter) read as U+FFFD, so that the rest of the text is still priced. A copy: {@code body}
     * and its position are left alone.
     */
    static byte[] utf8(java.nio.ByteBuffer body, String contentType) {
        return utf8(body, charset(contentType));
    }

    private static byte[] utf8(java.nio.ByteBuffer body, java.nio.charset.Charset cs) {
        java.nio.ByteBuffer b = body.duplicate();
        if (!readAsIs(cs)) {
            // Charset.decode and encode replace what is not in the charset (CodingErrorAction.REPLACE): U+FFFD, and
            // for a lone surrogate, which no JDK decoder gives, '?'
            b = StandardCharsets.UTF_8.encode(cs.decode(b));
        }
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    /**
     * As {@link #utf8(java.nio.ByteBuffer, String)}, for a body a guard copied before it is sent: {@code body} itself
     * (no copy) when {@code contentType} names no charset, one unknown here, UTF-8 or US-ASCII; else its text decoded
     * from the charset named (bytes not in it read as U+FFFD) and encoded in UTF-8. Called only for a model request's
     * body.
     */
    static HttpGuard.Body utf8(HttpGuard.Body body, String contentType) {
        java.nio.charset.Charset cs = charset(contentType);
        if (readAsIs(cs)) {
            return body;
        }
        byte[] out = utf8(java.nio.ByteBuffer.wrap(body.bytes, body.off, body.len), cs);
        return new HttpGuard.Body(out, 0, out.length);
    }

    /**
     * Whether a body in {@code cs} (null: the content type names none) is given to the parser as it is: UTF-8, JSON's
     * own (the parser also detects UTF-16 and UTF-32 by their first bytes), or US-ASCII.
     */
    private static boolean readAsIs(java.nio.charset.Charset cs) {
        return cs == null || cs.equals(StandardCharsets.UTF_8) || cs.equals(StandardCharsets.US_ASCII);
    }

    /** The charset a content type's {@code charset} parameter names; null when none, or one unknown here. */
    static java.nio.charset.Charset charset(String contentType) {
        if (contentType == null) {
            return null;
        }
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).trim().equalsIgnoreCase("charset")) {
                String name = param.substring(eq + 1).trim();
                if (name.length() >= 2 && name.startsWith("\"") && name.endsWith("\"")) {
                    name = name.substring(1, name.length() - 1);
                }
                try {
                    return java.nio.charset.Charset.forName(name);
                } catch (IllegalArgumentException e) { // illegal or unsupported name
                    return null;
                }
            }
        }
        return null;
    }

    /** The shipped table, with {@code userFile} laid over it; a bad file is reported and the shipped table used. */
    static PriceTable prices(String userFile) {
        if (userFile == null) {
            return PriceTable.shipped();
        }
        try {
            PriceTable t = PriceTable.load(Path.of(userFile));
            AgentLog.info("model prices: " + userFile + " laid over the shipped table (as of " + t.asOf() + ")");
            return t;
        } catch (PriceTableException e) {
            AgentLog.error("bad price file for `" + PRICES_KEY + "`: " + e.getMessage()
                    + "; using the shipped price table", null);
            return PriceTable.shipped();
        } catch (RuntimeException e) {
            AgentLog.error("bad price file for `" + PRICES_KEY + "`: `" + userFile + "`: " + e
                    + "; using the shipped price table", null);
            return PriceTable.shipped();
        }
    }

    private static Prices shared;

    /**
     * The one price table every HTTP guard prices with (the JDK clients, OkHttp, Apache HttpClient), from the
     * {@link #PRICES_KEY} setting; the first guard installed starts its warm-up.
     */
    static synchronized Prices shared(AgentRuntime runtime) {
        if (shared == null) {
            shared = new Prices(runtime.setting(PRICES_KEY, null));
            warmUpInBackground(shared);
        }
        return shared;
    }

    /** The price table, read off premain's thread; a model call that comes first reads it itself. */
    static final class Prices {
        private final String userFile;
        private volatile PriceTable table;

        Prices(String userFile) {
            this.userFile = userFile;
        }

        PriceTable get() {
            PriceTable t = table;
            if (t == null) {
                synchronized (this) {
                    t = table;
                    if (t == null) {
                        t = prices(userFile);
                        table = t;
                    }
                }
            }
            return t;
        }
    }

    /** How long after start-up the warm-up waits, so that it does not compete with the application's own start. */
    static final long WARM_UP_DELAY_MILLIS = 3_000;

    /**
     * Reads the price table, then loads jtokkit's vocabularies (which it does on first use, ~100-400 ms), off the
     * application's threads, so the first model call pays for neither. It waits {@link #WARM_UP_DELAY_MILLIS} first:
     * on a small machine loading them at once would slow the application's start-up by the same amount; a model call
     * made before then loads what it needs itself.
     */
    static void warmUpInBackground(Prices prices) {
        Thread t = new AgentThread(() -> {
            try {
                Thread.sleep(WARM_UP_DELAY_MILLIS);
                prices.get();
                TokenCounter.warmUp();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (Throwable e) {
                AgentLog.warn("could not load the tokenizer vocabularies: " + e);
            }
        }, "agentid-genai-warmup");
        t.setPriority(Thread.MIN_PRIORITY);
        t.start();
    }

    /**
     * A response {@code Content-Type} whose body is one JSON document (not {@code text/event-stream}, not NDJSON):
     * the only bodies OkHttp's and Apache HttpClient's guards copy for their usage.
     */
    static boolean jsonBody(String contentType) {
        String t = contentType.toLowerCase(java.util.Locale.ROOT);
        return t.contains("json") && !t.contains("ndjson") && !t.contains("json-seq") && !t.contains("stream");
    }

    /** Records the usage and actual cost of {@code call} from a response body the application read. */
    static void usage(HttpCall call, byte[] body, int len, PriceTable prices) {
        ModelRequest r = call.modelRequest;
        if (r == null || body == null || len <= 0) {
            return;
        }
        Usage u = ModelResponses.usage(r.api(), body, 0, len);
        if (u == null) {
            return;
        }
        call.usage = u;
        call.actualUsd = Pricing.actual(r.model(), u, prices);
    }

    /** As {@link #usage(HttpCall, byte[], int, PriceTable)}, for a body the client decoded as a string or bytes. */
    static void usage(HttpCall call, Object body, PriceTable prices) {
        if (body instanceof byte[]) {
            byte[] b = (byte[]) body;
            if (b.length <= RESPONSE_CAP) {
                usage(call, b, b.length, prices);
            }
        } else if (body instanceof String) {
            String s = (String) body;
            if (s.length() <= RESPONSE_CAP) {
                byte[] b = s.getBytes(StandardCharsets.UTF_8);
                usage(call, b, b.length, prices);
            }
        }
    }
}
