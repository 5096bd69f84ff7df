package io.agentid.policy;

import io.agentid.policy.eval.Fold;
import io.agentid.policy.eval.Ip;
import java.net.IDN;

/**
 * The canonical form of a host, as the policy engine compares hosts (and as interceptors should record them),
 * so that no spelling of a host can slip past a rule written with another.
 */
public final class Hosts {
    /** Longer input is not a host name (253 characters at most); it is only lower-cased. */
    static final int MAX_LENGTH = 1024;

    private Hosts() {}

    /**
     * The canonical form of {@code host}:
     * <ul>
     *   <li>a name: lower case, one trailing {@code .} removed, internationalised labels in ASCII (punycode,
     *       {@code bücher.example} → {@code xn--bcher-kva.example}, via {@link IDN#toASCII});</li>
     *   <li>an IPv4 address in any spelling {@code inet_aton(3)} accepts ({@code 127.1}, {@code 0x7f.0.0.1},
     *       {@code 2130706433}, {@code 0177.0.0.1}): the dotted quad {@code 127.0.0.1};</li>
     *   <li>an IPv6 address, with or without brackets and zone ({@code [::1]}, {@code fe80::1%eth0}): its
     *       RFC 5952 text ({@code 2001:db8::1}), except that an IPv4-mapped address ({@code ::ffff:10.0.0.1},
     *       {@code ::ffff:a00:1}) becomes the IPv4 address ({@code 10.0.0.1}).</li>
     * </ul>
     * Never throws and does bounded work: input that is none of these (junk, over-long, a label IDN rejects)
     * is returned lower-cased. {@code null} becomes the empty string. A host already in canonical form is
     * returned as the same instance without allocating.
     */
    public static String normalise(String host) {
        if (host == null) {
            return "";
        }
        if (isCanonicalName(host) || (host.indexOf(':') >= 0 && Ip.isCanonicalV6(host))) {
            return host;
        }
        try {
            return slow(host);
        } catch (RuntimeException e) {
            return Fold.lower(host); // IDN or anything else rejected it: junk, compared as written
        }
    }

    /**
     * The fast path: lower-case letters, digits, {@code -}, {@code .} and {@code _}, no trailing dot, and not
     * ending in a number unless it is a canonical dotted quad. Allocates nothing.
     */
    private static boolean isCanonicalName(String s) {
        int n = s.length();
        if (n == 0) {
            return true;
        }
        if (n > MAX_LENGTH) {
            return false;
        }
        int lastDot = -1;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c == '.') {
                lastDot = i;
            } else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        if (lastDot == n - 1) {
            return false;
        }
        char first = s.charAt(lastDot + 1);
        if (first >= '0' && first <= '9') {
            // The last label starts with a digit: maybe an IPv4 address in some spelling.
            return Ip.v4(s) >= 0 || (Ip.inetAton(s) < 0 && !endsInNumber(s, lastDot + 1));
        }
        return true;
    }

    private static boolean endsInNumber(String s, int from) {
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || c == 'x' || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    private static String slow(String host) {
        if (host.length() > MAX_LENGTH) {
            return Fold.lower(host);
        }
        String s = host;
        boolean bracketed = s.length() >= 2 && s.charAt(0) == '[' && s.charAt(s.length() - 1) == ']';
        if (bracketed || s.indexOf(':') >= 0) {
            int from = bracketed ? 1 : 0;
            int to = bracketed ? s.length() - 1 : s.length();
            int zone = s.indexOf('%', from);
            if (zone >= 0 && zone < to) {
                to = zone;
            }
            if (Ip.v6(s, from, to, Ip.VALID) == 1) {
                long hi = Ip.v6(s, from, to, Ip.HIGH);
                long lo = Ip.v6(s, from, to, Ip.LOW);
                return Ip.isMapped(hi, lo) ? Ip.v4Text(lo & 0xFFFF_FFFFL) : Ip.v6Text(hi, lo);
            }
            return Fold.lower(host);
        }
        boolean ascii = true;
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) >= 128) {
                ascii = false;
                break;
            }
        }
        s = Fold.lower(s);
        if (!ascii) {
            // IDN maps the other full stops (U+3002, U+FF0E, U+FF61) to '.', folds case (nameprep) and
            // punycodes each non-ASCII label; it throws on labels it cannot encode.
            s = Fold.lower(IDN.toASCII(s, IDN.ALLOW_UNASSIGNED));
        }
        if (s.endsWith(".") && s.length() > 1) {
            s = s.substring(0, s.length() - 1);
        }
        long v4 = Ip.inetAton(s);
        if (v4 >= 0) {
            return Ip.v4Text(v4);
        }
        return s;
    }
}
