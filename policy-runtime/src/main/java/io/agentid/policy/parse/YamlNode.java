package io.agentid.policy.parse;

/**
 * A node of the parsed policy document: a small, immutable, snakeyaml-free tree that keeps every node's start
 * position so that the checker can point at the offending node.
 */
public sealed interface YamlNode permits YamlScalar, YamlList, YamlMap {

    /** Where the node starts. */
    Position position();

    /** What the node is, for messages: {@code a string}, {@code a number}, {@code a list}, {@code a mapping}, ... */
    String describe();
}
