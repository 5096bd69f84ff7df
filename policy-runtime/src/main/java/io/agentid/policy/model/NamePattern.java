package io.agentid.policy.model;

import io.agentid.policy.parse.Position;
import java.util.List;
import java.util.Objects;

/**
 * A checked name pattern (for tables or agents): lower case, unquoted, split at {@code .} into one to three
 * non-empty parts, each of which may contain {@code *} (any run of characters within that part).
 *
 * @param text the normalised pattern ({@code hr.*})
 * @param parts {@code text} split at {@code .}
 * @param position where it was written
 */
public record NamePattern(String text, List<String> parts, Position position) {
    public NamePattern {
        Objects.requireNonNull(text, "text");
        parts = List.copyOf(parts);
        Objects.requireNonNull(position, "position");
    }

    /** True when no part contains {@code *}: the pattern names exactly one thing. */
    public boolean isExact() {
        return text.indexOf('*') < 0;
    }
}
