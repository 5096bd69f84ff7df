package io.agentid.policy.model;

import io.agentid.policy.parse.Position;
import java.util.Objects;

/**
 * A checked host pattern, in canonical form ({@code io.agentid.policy.Hosts#normalise}).
 *
 * @param text the pattern as normalised: {@code api.openai.com}, {@code *.example.com}, {@code 10.0.0.1},
 *     {@code 2001:db8::1}, {@code 10.0.0.0/8}, {@code fd00::/8}
 * @param type what kind of pattern it is
 * @param name for {@link Type#EXACT}, the canonical host (a name or an IP literal); for {@link Type#SUFFIX},
 *     the part after {@code *.}; for {@link Type#CIDR}, the network address's canonical text
 * @param v6 for {@link Type#CIDR}, whether the range is IPv6
 * @param high for an IPv6 range, the upper 64 bits of the network address
 * @param low for an IPv6 range, the lower 64 bits; for an IPv4 range, the address ({@code [0, 2^32)})
 * @param prefix for {@link Type#CIDR}, the prefix length (0–32 or 0–128)
 * @param position where it was written
 */
public record HostPattern(String text, Type type, String name, boolean v6, long high, long low, int prefix,
        Position position) {

    /** The three kinds of host pattern. */
    public enum Type {
        /** One host: a name or an IP address, compared after normalising. */
        EXACT,
        /** {@code *.suffix}: every host with at least one more label in front of the suffix (not the suffix itself). */
        SUFFIX,
        /** An IP range {@code address/prefix}. */
        CIDR
    }

    public HostPattern {
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(position, "position");
    }
}
