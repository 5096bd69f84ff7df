package io.agentid.policy.parse;

import java.util.List;

/** A mapping, its entries in file order; the parser guarantees the keys are distinct scalars. */
public record YamlMap(List<YamlEntry> entries, Position position) implements YamlNode {
    public YamlMap {
        entries = List.copyOf(entries);
    }

    /** The entry whose key is {@code key}, or null. */
    public YamlEntry entry(String key) {
        for (YamlEntry e : entries) {
            if (e.key().value().equals(key)) {
                return e;
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return "a mapping";
    }
}
