package io.agentid.policy.parse;

/** One {@code key: value} pair of a mapping; keys are always scalars. */
public record YamlEntry(YamlScalar key, YamlNode value) {}
