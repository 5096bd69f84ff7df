package io.agentid.policy.compile;

import static io.agentid.policy.parse.YamlParser.quote;

import io.agentid.policy.PolicyException;
import io.agentid.policy.model.NamePattern;
import io.agentid.policy.parse.Position;
import io.agentid.policy.parse.YamlEntry;
import io.agentid.policy.parse.YamlList;
import io.agentid.policy.parse.YamlMap;
import io.agentid.policy.parse.YamlNode;
import io.agentid.policy.parse.YamlScalar;
import java.util.ArrayList;
import java.util.List;

/** The checker's shared vocabulary: typed access to YAML nodes that fails with a positioned {@link PolicyException}. */
final class Checks {
    private final String source;

    Checks(String source) {
        this.source = source;
    }

    String source() {
        return source;
    }

    PolicyException error(YamlNode at, String problem) {
        return error(at.position(), problem);
    }

    PolicyException error(Position at, String problem) {
        return new PolicyException(source, at.line(), at.column(), problem);
    }

    /**
     * Fails on the first key of {@code map} not in {@code allowed}, then on the first key of {@code required}
     * that is missing (at the mapping's position). {@code where} names the mapping in messages ("" at top level).
     */
    void keys(YamlMap map, List<String> allowed, List<String> required, String where) throws PolicyException {
        for (YamlEntry e : map.entries()) {
            if (!allowed.contains(e.key().value())) {
                throw error(e.key(), "unknown key " + quote(e.key().value()) + where + " (expected one of: "
                        + String.join(", ", allowed) + ")");
            }
        }
        for (String key : required) {
            if (map.entry(key) == null) {
                throw error(map, "missing required key `" + key + "`" + where);
            }
        }
    }

    /** {@code node} as a mapping, or an error naming {@code what}. */
    YamlMap map(YamlNode node, String what) throws PolicyException {
        if (node instanceof YamlMap m) {
            return m;
        }
        throw error(node, what + " must be a mapping, got " + node.describe());
    }

    /** The text of a non-null scalar, or an error naming {@code key}. */
    YamlScalar string(YamlNode node, String key) throws PolicyException {
        if (node instanceof YamlScalar s && !s.isNull()) {
            return s;
        }
        throw error(node, "`" + key + "` must be a string, got " + node.describe());
    }

    /** One of {@code values}, or an error listing them. */
    String oneOf(YamlNode node, String key, List<String> values) throws PolicyException {
        YamlScalar s = string(node, key);
        if (!values.contains(s.value())) {
            throw error(s, "`" + key + "` must be " + String.join(" or ", values) + ", got " + quote(s.value()));
        }
        return s.value();
    }

    /**
     * The scalars of a string-or-list value, nested lists flattened in order ({@code [a, [b, c]]} reads as
     * {@code [a, b, c]}, which lets a list be shared through a YAML alias). An empty list, at any level, is an
     * error: it would silently make the condition match nothing.
     */
    List<YamlScalar> scalarOrList(YamlNode node, String key) throws PolicyException {
        List<YamlScalar> out = new ArrayList<>();
        flatten(node, key, out);
        return out;
    }

    private void flatten(YamlNode node, String key, List<YamlScalar> out) throws PolicyException {
        if (node instanceof YamlList list) {
            if (list.items().isEmpty()) {
                throw error(node, "`" + key + "` must not be an empty list (remove the condition instead)");
            }
            for (YamlNode item : list.items()) {
                flatten(item, key, out);
            }
        } else if (node instanceof YamlScalar s && !s.isNull()) {
            out.add(s);
        } else {
            throw error(node, "`" + key + "` must be a string or a list of strings, got " + node.describe());
        }
    }

    /**
     * A checked name pattern: non-empty, no quote characters, non-empty parts, at most {@code maxParts} parts;
     * folded to lower case with runs of {@code *} collapsed.
     *
     * @param what {@code table} or {@code agent}, for messages
     */
    NamePattern pattern(YamlScalar s, String what, int maxParts) throws PolicyException {
        String raw = s.value();
        if (raw.isEmpty()) {
            throw error(s, "empty " + what + " pattern");
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '"' || c == '`' || c == '[' || c == ']') {
                throw error(s, what + " pattern " + quote(raw) + " must not contain quotes (" + (c == '`' ? "backtick" : "`" + c + "`")
                        + "); write names unquoted, e.g. " + (what.equals("table") ? "`hr.payroll`" : "`reporting-*`"));
            }
        }
        String text = io.agentid.policy.eval.Fold.lower(raw);
        while (text.contains("**")) {
            text = text.replace("**", "*");
        }
        String[] parts = text.split("\\.", -1);
        for (String p : parts) {
            if (p.isEmpty()) {
                throw error(s, what + " pattern " + quote(raw) + " has an empty name part");
            }
        }
        if (parts.length > maxParts) {
            throw error(s, what + " pattern " + quote(raw) + " has " + parts.length + " name parts (at most " + maxParts
                    + ": catalog.schema.table)");
        }
        return new NamePattern(text, List.of(parts), s.position());
    }
}
