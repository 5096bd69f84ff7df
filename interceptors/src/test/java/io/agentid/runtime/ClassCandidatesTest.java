package io.agentid.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ClassCandidatesTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void namedMatchesInternalNamesOnly() {
        ClassCandidates c = ClassCandidates.named("okhttp3.internal.http.RealInterceptorChain");
        assertThat(c.test("okhttp3/internal/http/RealInterceptorChain", bytes("nothing"))).isTrue();
        assertThat(c.test("okhttp3/internal/http/RealInterceptorChain$1", bytes("nothing"))).isFalse();
        assertThat(c.test("okhttp3.internal.http.RealInterceptorChain", bytes("nothing"))).isFalse();
    }

    @Test
    void markersAreFoundAnywhereIncludingTheEdges() {
        ClassCandidates c = ClassCandidates.containing("java/sql/", "execute");
        assertThat(c.test("a/B", bytes("java/sql/ at the start"))).isTrue();
        assertThat(c.test("a/B", bytes("\u00ca\u00fe\u00ba\u00be...Ljava/sql/ResultSet;"))).isTrue();
        assertThat(c.test("a/B", bytes("ends with execute"))).isTrue();
        assertThat(c.test("a/B", bytes("ends with execut"))).isFalse();
        assertThat(c.test("a/B", bytes("java/sqlx/ javax/sq jav"))).isFalse();
        // bytes above 0x7f (modified UTF-8, the magic number) are skipped, not mistaken for markers
        assertThat(c.test("a/B", new byte[] {(byte) 0xca, (byte) 0xfe, (byte) 0xba, (byte) 0xbe, 'j', 'a'})).isFalse();
        assertThat(c.test("a/B", new byte[0])).isFalse();
    }

    @Test
    void markersSharingAFirstByteAreEachTried() {
        ClassCandidates c = ClassCandidates.containing("setSchema", "setCatalog");
        assertThat(c.test("a/B", bytes("..setCatalog.."))).isTrue();
        assertThat(c.test("a/B", bytes("..setSchema.."))).isTrue();
        assertThat(c.test("a/B", bytes("..setSchem setCatalo.."))).isFalse();
    }

    @Test
    void orUnitesNamesAndMarkers() {
        ClassCandidates c = ClassCandidates.named("a.Named").or(ClassCandidates.containing("java/sql/"));
        assertThat(c.test("a/Named", bytes(""))).isTrue();
        assertThat(c.test("a/Other", bytes("Ljava/sql/Connection;"))).isTrue();
        assertThat(c.test("a/Other", bytes("Ljava/util/List;"))).isFalse();
        assertThat(c.any()).isFalse();
        assertThat(c.or(ClassCandidates.ANY).any()).isTrue();
    }

    @Test
    void anyAndUnnamedClassesAreAlwaysCandidates() {
        assertThat(ClassCandidates.ANY.test("a/B", bytes(""))).isTrue();
        ClassCandidates c = ClassCandidates.containing("java/sql/");
        assertThat(c.test(null, bytes(""))).isTrue(); // a hidden or anonymous class: Byte Buddy's matchers judge it
        assertThat(c.test("a/B", null)).isTrue();
    }

    @Test
    void markersMustBeNonEmptyAscii() {
        assertThatThrownBy(() -> ClassCandidates.containing("")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClassCandidates.containing("caf\u00e9")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("caf\u00e9");
    }
}
