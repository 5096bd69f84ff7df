package io.agentid.policy.parse;

import java.util.Objects;

/**
 * A scalar as written.
 *
 * @param value the scalar's text (for a quoted scalar, the text inside the quotes)
 * @param type how YAML 1.2 (core schema) resolves it
 * @param quoted whether it was written in quotes (or as a block scalar), which forces {@link Type#STRING}
 * @param position where it starts
 */
public record YamlScalar(String value, Type type, boolean quoted, Position position) implements YamlNode {

    /** The YAML 1.2 core-schema type of a scalar. */
    public enum Type {
        STRING("a string"),
        INTEGER("a number"),
        FLOAT("a number"),
        BOOLEAN("a boolean"),
        NULL("nothing (null)");

        private final String description;

        Type(String description) {
            this.description = description;
        }
    }

    public YamlScalar {
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(position, "position");
    }

    public boolean isNull() {
        return type == Type.NULL;
    }

    @Override
    public String describe() {
        return type.description;
    }
}
