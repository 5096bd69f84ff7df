package io.agentid.policy.parse;

import io.agentid.policy.PolicyException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.ReaderException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Stage 1 of policy loading: YAML text to a positioned {@link YamlNode} tree. Uses snakeyaml-engine's composer
 * (YAML 1.2, core schema) and keeps each node's start mark; anchors, aliases and merge keys ({@code <<: *x})
 * are resolved by the composer. Rejects what the policy format never needs and what would make positions
 * ambiguous: several documents, duplicate keys, non-scalar keys, custom tags, recursive aliases, alias bombs. Knows nothing about the policy schema; that is the checker's job.
 */
public final class YamlParser {
    /** Upper bound on nodes after alias expansion, so an alias bomb cannot exhaust memory. */
    static final int MAX_NODES = 100_000;

    /** Upper bound on nesting; policies nest four or five levels deep. */
    static final int MAX_DEPTH = 64;

    private final String source;
    private final Map<Node, Boolean> onPath = new IdentityHashMap<>();
    private int nodes;

    private YamlParser(String source) {
        this.source = source;
    }

    /**
     * Parses one YAML document.
     *
     * @param text the policy text
     * @param source the name used in error messages (normally the file path)
     * @throws PolicyException on a YAML syntax error or a construct the policy format does not allow; the
     *     exception's line and column point at the problem
     */
    public static YamlNode parse(String text, String source) throws PolicyException {
        if (!text.isEmpty() && text.charAt(0) == '\uFEFF') {
            text = text.substring(1); // a byte-order mark does not shift columns
        }
        LoadSettings settings = LoadSettings.builder()
                .setLabel(source)
                .setSchema(new CoreSchema())
                .setMaxAliasesForCollections(50)
                .setAllowNonScalarKeys(true) // so that we can name the offending key
                .build();
        Optional<Node> root;
        try {
            root = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            throw syntaxError(source, e);
        } catch (ReaderException e) {
            Position p = positionOfCodePoint(text, e.getPosition());
            throw new PolicyException(source, p.line(), p.column(),
                    "invalid yaml: character U+" + String.format("%04X", e.getCodePoint()) + " is not allowed");
        } catch (YamlEngineException e) {
            throw new PolicyException(source, 1, 1, "invalid yaml: " + clean(String.valueOf(e.getMessage())));
        } catch (StackOverflowError e) {
            throw new PolicyException(source, 1, 1, "invalid yaml: the document nests too deeply");
        }
        if (root.isEmpty()) {
            throw new PolicyException(source, 1, 1, "the policy is empty (expected a mapping with at least `version: 1`)");
        }
        return new YamlParser(source).convert(root.get(), 0);
    }

    /** Formats user input for a message: in backticks, newlines escaped, long values shortened. */
    public static String quote(String s) {
        String t = s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
        if (t.length() > 80) {
            t = t.substring(0, 77) + "...";
        }
        return "`" + t + "`";
    }

    private YamlNode convert(Node node, int depth) throws PolicyException {
        Position position = position(node.getStartMark());
        if (++nodes > MAX_NODES) {
            throw error(position, "the policy is too large (more than " + MAX_NODES + " nodes once aliases are expanded)");
        }
        if (depth > MAX_DEPTH) {
            throw error(position, "the policy nests too deeply (more than " + MAX_DEPTH + " levels)");
        }
        if (onPath.put(node, Boolean.TRUE) != null) {
            throw error(position, "an alias refers to a node that contains it (recursive alias)");
        }
        try {
            if (node instanceof ScalarNode scalar) {
                return scalar(scalar, position);
            }
            if (node instanceof SequenceNode seq) {
                if (!Tag.SEQ.equals(seq.getTag())) {
                    throw unsupportedTag(node, position);
                }
                List<YamlNode> items = new ArrayList<>(seq.getValue().size());
                for (Node item : seq.getValue()) {
                    items.add(convert(item, depth + 1));
                }
                return new YamlList(items, position);
            }
            if (node instanceof MappingNode map) {
                if (!Tag.MAP.equals(map.getTag())) {
                    throw unsupportedTag(node, position);
                }
                return mapping(map, position, depth);
            }
            throw error(position, "unsupported yaml node");
        } finally {
            onPath.remove(node);
        }
    }

    private YamlMap mapping(MappingNode map, Position position, int depth) throws PolicyException {
        List<YamlEntry> entries = new ArrayList<>(map.getValue().size());
        for (NodeTuple tuple : map.getValue()) {
            Node keyNode = tuple.getKeyNode();
            Position keyPosition = position(keyNode.getStartMark());
            if (!(keyNode instanceof ScalarNode)) {
                YamlNode k = convert(keyNode, depth + 1);
                throw error(keyPosition, "a mapping key must be a plain name, not " + k.describe());
            }
            YamlScalar key = (YamlScalar) convert(keyNode, depth + 1);
            for (YamlEntry earlier : entries) {
                if (earlier.key().value().equals(key.value())) {
                    Position first = earlier.key().position();
                    throw error(keyPosition, "duplicate key " + quote(key.value()) + " (first at line " + first.line()
                            + ", column " + first.column() + ")");
                }
            }
            entries.add(new YamlEntry(key, convert(tuple.getValueNode(), depth + 1)));
        }
        return new YamlMap(entries, position);
    }

    private YamlScalar scalar(ScalarNode scalar, Position position) throws PolicyException {
        Tag tag = scalar.getTag();
        YamlScalar.Type type;
        if (Tag.STR.equals(tag)) {
            type = YamlScalar.Type.STRING;
        } else if (Tag.INT.equals(tag)) {
            type = YamlScalar.Type.INTEGER;
        } else if (Tag.FLOAT.equals(tag)) {
            type = YamlScalar.Type.FLOAT;
        } else if (Tag.BOOL.equals(tag)) {
            type = YamlScalar.Type.BOOLEAN;
        } else if (Tag.NULL.equals(tag)) {
            type = YamlScalar.Type.NULL;
        } else {
            throw unsupportedTag(scalar, position);
        }
        return new YamlScalar(scalar.getValue(), type, !scalar.isPlain(), position);
    }

    private PolicyException unsupportedTag(Node node, Position position) {
        return error(position, "unsupported yaml tag " + quote(node.getTag().getValue()));
    }

    private PolicyException error(Position p, String problem) {
        return new PolicyException(source, p.line(), p.column(), problem);
    }

    private static Position position(Optional<Mark> mark) {
        return mark.map(m -> new Position(m.getLine() + 1, m.getColumn() + 1)).orElse(new Position(1, 1));
    }

    private static PolicyException syntaxError(String source, MarkedYamlEngineException e) {
        Optional<Mark> mark = e.getProblemMark().isPresent() ? e.getProblemMark() : e.getContextMark();
        Position p = position(mark);
        StringBuilder problem = new StringBuilder("invalid yaml: ").append(clean(String.valueOf(e.getProblem())));
        String context = e.getContext();
        if (context != null && !context.isBlank()) {
            problem.append(" (").append(clean(context));
            if (e.getContextMark().isPresent() && e.getProblemMark().isPresent()) {
                Position c = position(e.getContextMark());
                if (!c.equals(p)) {
                    problem.append(" started at line ").append(c.line()).append(", column ").append(c.column());
                }
            }
            problem.append(')');
        }
        return new PolicyException(source, p.line(), p.column(), problem.toString());
    }

    /** Makes a snakeyaml message read like ours: lower-case start, no trailing full stop, tabs named. */
    static String clean(String message) {
        String m = message.strip()
                .replace("(Do not use \\t(TAB) for indentation)", "(do not indent with tabs)")
                .replace("'\\t(TAB)'", "tab")
                .replace("\\t(TAB)", "tab")
                .replace("\n", " ");
        while (m.endsWith(".")) {
            m = m.substring(0, m.length() - 1);
        }
        m = m.replace(". (", " (");
        if (!m.isEmpty() && Character.isUpperCase(m.charAt(0)) && (m.length() == 1 || !Character.isUpperCase(m.charAt(1)))) {
            m = Character.toLowerCase(m.charAt(0)) + m.substring(1);
        }
        return m;
    }

    private static Position positionOfCodePoint(String text, int codePointIndex) {
        int line = 1;
        int column = 1;
        int i = 0;
        for (int cp = 0; cp < codePointIndex && i < text.length(); cp++) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new Position(line, column);
    }
}
