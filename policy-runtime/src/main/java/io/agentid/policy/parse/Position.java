package io.agentid.policy.parse;

/**
 * Where a YAML node starts in the policy text, counted from 1; {@link #NONE} (0, 0) when there is no position
 * (an unreadable file, an empty document).
 */
public record Position(int line, int column) {
    public static final Position NONE = new Position(0, 0);

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
