package io.agentid.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SpanAttributesTest {
    private static final AttributeKey<String> URL = AttributeKey.stringKey("url.full");
    private static final AttributeKey<Long> PORT = AttributeKey.longKey("server.port");
    private static final AttributeKey<Boolean> STREAM = AttributeKey.booleanKey("gen_ai.request.stream");

    @Test
    void keepsPutOrderAndReplacesARepeatedKey() {
        Attributes a = SpanAttributes.builder().put(URL, "http://a/").put(PORT, 8080).put(STREAM, true)
                .put(AttributeKey.stringKey("url.full"), "http://b/").build();
        List<String> seen = new ArrayList<>();
        a.forEach((k, v) -> seen.add(k.getKey() + "=" + v));
        assertThat(seen).containsExactly("url.full=http://b/", "server.port=8080", "gen_ai.request.stream=true");
        assertThat(a.size()).isEqualTo(3);
        assertThat(a.get(PORT)).isEqualTo(8080L);
        assertThat(a.get(AttributeKey.stringKey("absent"))).isNull();
    }

    @Test
    void ignoresNullValuesAndEmptyKeysAsTheSdkBuilderDoes() {
        Attributes a = SpanAttributes.builder().put(URL, null).put(AttributeKey.stringKey(""), "x").build();
        assertThat(a.isEmpty()).isTrue();
        assertThat(a).isEqualTo(Attributes.empty());
    }

    @Test
    void equalsTheSdkAttributesWithTheSameContentWhateverTheOrder() {
        Attributes ours = SpanAttributes.builder().put(STREAM, false).put(URL, "http://a/").put(PORT, 443L).build();
        Attributes sdk = Attributes.builder().put(URL, "http://a/").put(PORT, 443L).put(STREAM, false).build();
        assertThat(ours).isEqualTo(sdk);
        assertThat(ours.hashCode()).isEqualTo(sdk.asMap().hashCode());
        assertThat(ours.toBuilder().build()).isEqualTo(sdk);
        assertThat(ours).isNotEqualTo(Attributes.builder().put(URL, "http://a/").build());
    }

    @Test
    void growsPastItsFirstCapacity() {
        SpanAttributes.Builder b = SpanAttributes.builder();
        for (int i = 0; i < 100; i++) {
            b.put(AttributeKey.longKey("k" + i), (long) i);
        }
        Attributes a = b.build();
        assertThat(a.size()).isEqualTo(100);
        assertThat(a.get(AttributeKey.longKey("k99"))).isEqualTo(99L);
    }
}
