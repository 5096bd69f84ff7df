package io.agentid.policy.eval;

import io.agentid.policy.Decision;
import io.agentid.policy.model.CostRange;

/**
 * A {@code kind: http} rule as compiled into one {@link HttpSegment}. Host conditions are bits in the
 * segment's host index ({@code hostBit} for {@code host}, {@code hostNotBit} for {@code host_not}; 0 when
 * absent); methods and schemes are masks over the bits of {@link HttpIndex#methodBit} and
 * {@link HttpIndex#schemeBit} (0 when absent); every other condition is null when absent.
 */
public record HttpRule(String id, Decision decision, long hostBit, long hostNotBit, int methods, int methodsNot, int schemes,
        int schemesNot, int[] ports, int[] portsNot, TextGlob[] paths, TextGlob[] pathsNot, TextGlob[] models,
        TextGlob[] modelsNot, CostRange cost, AgentCondition agent, AgentCondition agentNot) {

    /** Whether every condition but the host ones holds; {@code methodBit}/{@code schemeBit} are 0 when absent. */
    public boolean matchesRequest(int methodBit, int schemeBit, int port, String path, String model, double costUsd) {
        if (methods != 0 && (methodBit & methods) == 0) {
            return false;
        }
        if (methodsNot != 0 && (methodBit == 0 || (methodBit & methodsNot) != 0)) {
            return false;
        }
        if (schemes != 0 && (schemeBit & schemes) == 0) {
            return false;
        }
        if (schemesNot != 0 && (schemeBit == 0 || (schemeBit & schemesNot) != 0)) {
            return false;
        }
        if (ports != null && !contains(ports, port)) {
            return false;
        }
        if (portsNot != null && contains(portsNot, port)) {
            return false;
        }
        if (paths != null && (path == null || !any(paths, path))) {
            return false;
        }
        if (pathsNot != null && (path == null || any(pathsNot, path))) {
            return false;
        }
        if (models != null && (model == null || !any(models, model))) {
            return false;
        }
        if (modelsNot != null && (model == null || any(modelsNot, model))) {
            return false;
        }
        return cost == null || cost.holds(costUsd);
    }

    private static boolean contains(int[] xs, int x) {
        for (int i = 0; i < xs.length; i++) {
            if (xs[i] == x) {
                return true;
            }
        }
        return false;
    }

    private static boolean any(TextGlob[] globs, String s) {
        for (int i = 0; i < globs.length; i++) {
            if (globs[i].matches(s)) {
                return true;
            }
        }
        return false;
    }
}
