package io.agentid.collector.store;

import java.util.List;

/** Counts over a window: every call, and those with decision {@code deny}; by agent and by rule (rule "" = none). */
public record Stats(long sinceEpochNanos, long untilEpochNanos, long calls, long denied, List<Group> byAgent,
        List<Group> byRule) {

    public record Group(String key, long calls, long denied) {
    }
}
