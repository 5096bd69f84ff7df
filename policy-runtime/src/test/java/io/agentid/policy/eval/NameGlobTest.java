package io.agentid.policy.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NameGlobTest {

    @ParameterizedTest(name = "{0} vs {1}: {2}")
    @CsvSource({
        "abc,    abc,     true",
        "abc,    ABC,     true",
        "abc,    abcd,    false",
        "abc,    ab,      false",
        "*,      '',      true",
        "*,      x,       true",
        "a*,     a,       true",
        "a*,     ba,      false",
        "*a,     ba,      true",
        "*a,     ab,      false",
        "a*c,    abbc,    true",
        "a*c,    ac,      true",
        "a*c,    acb,     false",
        "*b*,    abc,     true",
        "*b*,    ac,      false",
        "a*b*c,  aXbYc,   true",
        "a*b*c,  abc,     true",
        "a*b*c,  acb,     false",
        "*bc*bc, bcbc,    true",
        "*bc*bc, bcbcx,   false",
        "ab*ba,  aba,     false",
        "ab*ba,  abba,    true"
    })
    void matchesARegion(String pattern, String name, boolean expected) {
        NameGlob g = NameGlob.compile(pattern);
        assertThat(g.matches(name, 0, name.length())).isEqualTo(expected);
        // the same name inside a larger string, as a region
        String padded = "xx." + name + ".yy";
        assertThat(g.matches(padded, 3, 3 + name.length())).isEqualTo(expected);
        assertThat(ReferencePolicyEngine.glob(pattern, Fold.lower(name))).as("reference glob").isEqualTo(expected);
    }

    @Test
    void onlyTheSingleStarIsAny() {
        assertThat(NameGlob.compile("*").isAny()).isTrue();
        assertThat(NameGlob.compile("a*").isAny()).isFalse();
        assertThat(NameGlob.compile("a").isAny()).isFalse();
    }

    @Test
    void aPartCannotContainADot() {
        assertThatThrownBy(() -> NameGlob.compile("a.b")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void nameSetLooksUpRegionsCaseInsensitively() {
        NameSet set = NameSet.of(List.of("payroll", "HR.People", "payroll"));
        assertThat(set.size()).isEqualTo(2);
        assertThat(set.contains("PAYROLL")).isTrue();
        assertThat(set.contains("hr.people")).isTrue();
        assertThat(set.contains("pay")).isFalse();
        String s = "db.hr.people";
        assertThat(set.contains(s, 3, s.length())).isTrue();
        assertThat(NameSet.of(List.of())).isNull();
    }

    @Test
    void foldingIsConsistentBeyondAscii() {
        assertThat(Fold.lower("ÄÖÜ-Straße")).isEqualTo("äöü-straße");
        NameGlob g = NameGlob.compile(Fold.lower("GRÜN*"));
        assertThat(g.matches("grünfläche", 0, 10)).isTrue();
        assertThat(g.matches("GRÜNFLÄCHE", 0, 10)).isTrue();
    }
}
