package io.agentid.collector.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ParamsTest {

    private static final Instant NOW = Instant.parse("2026-12-01T10:00:00Z");
    private static final Set<String> KNOWN = Set.of("since", "limit", "decision");

    @Test
    void timesAreRfc3339EpochMillisOrDurationsBeforeNow() throws Exception {
        assertThat(Params.parseTime("since", "2026-12-01T09:00:00Z", NOW))
                .isEqualTo(Params.nanos(Instant.parse("2026-12-01T09:00:00Z")));
        assertThat(Params.parseTime("since", "2026-12-01T10:00:00+01:00", NOW))
                .isEqualTo(Params.nanos(Instant.parse("2026-12-01T09:00:00Z")));
        assertThat(Params.parseTime("since", "1764579600000", NOW)).isEqualTo(1764579600000L * 1_000_000L);
        assertThat(Params.parseTime("since", "15m", NOW)).isEqualTo(Params.nanos(NOW.minusSeconds(900)));
        assertThat(Params.parseTime("since", "2d", NOW)).isEqualTo(Params.nanos(NOW.minusSeconds(2 * 86400)));
        assertThatThrownBy(() -> Params.parseTime("since", "yesterday", NOW))
                .isInstanceOf(Params.BadParam.class).hasMessageContaining("since must be an RFC 3339 time")
                .hasMessageContaining("'yesterday'");
    }

    @Test
    void unknownRepeatedAndOutOfRangeParametersAreNamed() throws Exception {
        assertThatThrownBy(() -> Params.parse("sinse=1h", KNOWN)).hasMessageContaining("unknown parameter 'sinse'");
        assertThatThrownBy(() -> Params.parse("limit=1&limit=2", KNOWN)).hasMessageContaining("more than once");
        assertThatThrownBy(() -> Params.parse("limit=0", KNOWN).intIn("limit", 1, 1000, 100))
                .hasMessageContaining("limit must be a whole number from 1 to 1000; got '0'");
        assertThatThrownBy(() -> Params.parse("decision=maybe", KNOWN).oneOf("decision", Set.of("allow", "deny")))
                .hasMessageContaining("decision must be one of");
        Params p = Params.parse("decision=deny&limit=5&since=", KNOWN);
        assertThat(p.get("decision")).isEqualTo("deny");
        assertThat(p.intIn("limit", 1, 1000, 100)).isEqualTo(5);
        assertThat(p.get("since")).isNull();
    }
}
