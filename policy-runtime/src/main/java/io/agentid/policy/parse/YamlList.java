package io.agentid.policy.parse;

import java.util.List;

/** A sequence, block ({@code - x}) or flow ({@code [x, y]}). */
public record YamlList(List<YamlNode> items, Position position) implements YamlNode {
    public YamlList {
        items = List.copyOf(items);
    }

    @Override
    public String describe() {
        return items.isEmpty() ? "an empty list" : "a list";
    }
}
