package io.agentid.policy.parse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentid.policy.PolicyException;
import org.junit.jupiter.api.Test;

class YamlParserTest {

    @Test
    void keepsPositionsOfEveryNode() throws PolicyException {
        YamlMap root = (YamlMap) YamlParser.parse("version: 1\nrules:\n  - id: a\n    match: { kind: sql, table: [x, y] }\n", "p.yaml");
        assertThat(root.position()).isEqualTo(new Position(1, 1));
        YamlEntry version = root.entry("version");
        assertThat(version.key().position()).isEqualTo(new Position(1, 1));
        assertThat(version.value().position()).isEqualTo(new Position(1, 10));
        YamlList rules = (YamlList) root.entry("rules").value();
        YamlMap rule = (YamlMap) rules.items().get(0);
        assertThat(rule.position()).isEqualTo(new Position(3, 5));
        YamlMap match = (YamlMap) rule.entry("match").value();
        assertThat(match.position()).isEqualTo(new Position(4, 12));
        YamlList tables = (YamlList) match.entry("table").value();
        assertThat(tables.items().get(1).position()).isEqualTo(new Position(4, 36));
        assertThat(((YamlScalar) tables.items().get(1)).value()).isEqualTo("y");
    }

    @Test
    void resolvesScalarTypesWithTheYaml12CoreSchema() throws PolicyException {
        YamlMap root = (YamlMap) YamlParser.parse("a: 1\nb: yes\nc: ~\nd:\ne: true\nf: '1'\ng: 1.5\nh: null\n", "p.yaml");
        assertThat(type(root, "a")).isEqualTo(YamlScalar.Type.INTEGER);
        assertThat(type(root, "b")).isEqualTo(YamlScalar.Type.STRING); // YAML 1.2: yes is a string
        assertThat(type(root, "c")).isEqualTo(YamlScalar.Type.NULL);
        assertThat(type(root, "d")).isEqualTo(YamlScalar.Type.NULL);
        assertThat(type(root, "e")).isEqualTo(YamlScalar.Type.BOOLEAN);
        assertThat(type(root, "f")).isEqualTo(YamlScalar.Type.STRING);
        assertThat(((YamlScalar) root.entry("f").value()).quoted()).isTrue();
        assertThat(type(root, "g")).isEqualTo(YamlScalar.Type.FLOAT);
        assertThat(type(root, "h")).isEqualTo(YamlScalar.Type.NULL);
    }

    private static YamlScalar.Type type(YamlMap map, String key) {
        return ((YamlScalar) map.entry(key).value()).type();
    }

    @Test
    void aliasesAreExpanded() throws PolicyException {
        YamlMap root = (YamlMap) YamlParser.parse("a: &x [p, q]\nb: *x\n", "p.yaml");
        YamlList b = (YamlList) root.entry("b").value();
        assertThat(b.items()).extracting(n -> ((YamlScalar) n).value()).containsExactly("p", "q");
    }

    @Test
    void aByteOrderMarkIsIgnored() throws PolicyException {
        YamlMap root = (YamlMap) YamlParser.parse("\uFEFFversion: 1\n", "p.yaml");
        assertThat(root.entry("version").value().position()).isEqualTo(new Position(1, 10));
    }

    @Test
    void nonScalarKeysAreRefused() {
        assertThatThrownBy(() -> YamlParser.parse("? [a, b]\n: c\n", "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessage("p.yaml:1:3: a mapping key must be a plain name, not a list");
    }

    @Test
    void deepNestingIsRefused() {
        String deep = "a: " + "[".repeat(100) + "]".repeat(100) + "\n";
        assertThatThrownBy(() -> YamlParser.parse(deep, "p.yaml"))
                .isInstanceOf(PolicyException.class)
                .hasMessageContaining("nests too deeply");
    }

    @Test
    void quoteEscapesAndShortens() {
        assertThat(YamlParser.quote("a\nb")).isEqualTo("`a\\nb`");
        assertThat(YamlParser.quote("x".repeat(100))).hasSize(82).endsWith("...`");
    }
}
