package io.agentid.collector.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Query parameters of the review API, with the errors a caller can act on. */
final class Params {

    /** A parameter is wrong; the message names it and says what is accepted. */
    static final class BadParam extends Exception {
        private static final long serialVersionUID = 1L;

        BadParam(String message) {
            super(message);
        }
    }

    private static final Pattern RELATIVE = Pattern.compile("-?(\\d{1,9})(ms|s|m|h|d)");

    private final Map<String, String> values;

    private Params(Map<String, String> values) {
        this.values = values;
    }

    static Params parse(String rawQuery, Set<String> known) throws BadParam {
        Map<String, String> values = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty()) {
            for (String pair : rawQuery.split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String name;
                String value;
                try {
                    name = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new BadParam("query string is not valid URL encoding: " + e.getMessage());
                }
                if (!known.contains(name)) {
                    throw new BadParam("unknown parameter '" + name + "'; known: " + String.join(", ", known));
                }
                if (values.put(name, value) != null) {
                    throw new BadParam("parameter '" + name + "' is given more than once");
                }
            }
        }
        return new Params(values);
    }

    /** The value, or {@code null} when absent or empty. */
    String get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    String oneOf(String name, Set<String> allowed) throws BadParam {
        String v = get(name);
        if (v != null && !allowed.contains(v)) {
            throw new BadParam(name + " must be one of " + String.join(", ", allowed) + "; got '" + v + "'");
        }
        return v;
    }

    int intIn(String name, int min, int max, int dflt) throws BadParam {
        String v = get(name);
        if (v == null) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // fall through to the message
        }
        throw new BadParam(name + " must be a whole number from " + min + " to " + max + "; got '" + v + "'");
    }

    /**
     * A point in time as epoch nanoseconds: an RFC 3339 time ({@code 2026-12-01T09:00:00Z}), epoch milliseconds,
     * or a duration before now ({@code 15m}, {@code 2h}, {@code 7d}; units ms, s, m, h, d).
     */
    Long time(String name, Instant now) throws BadParam {
        String v = get(name);
        return v == null ? null : parseTime(name, v, now);
    }

    static long parseTime(String name, String v, Instant now) throws BadParam {
        Matcher m = RELATIVE.matcher(v);
        if (m.matches()) {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
            return nanos(now.minus(d));
        }
        if (v.chars().allMatch(Character::isDigit) && v.length() <= 15) {
            return Long.parseLong(v) * 1_000_000L;
        }
        try {
            return nanos(OffsetDateTime.parse(v).toInstant());
        } catch (DateTimeParseException e) {
            throw new BadParam(name + " must be an RFC 3339 time such as 2026-12-01T09:00:00Z, epoch milliseconds, "
                    + "or a duration before now such as 15m, 2h or 7d; got '" + v + "'");
        }
    }

    static long nanos(Instant t) {
        return t.getEpochSecond() * 1_000_000_000L + t.getNano();
    }
}
