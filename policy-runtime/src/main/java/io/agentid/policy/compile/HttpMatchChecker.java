package io.agentid.policy.compile;

import static io.agentid.policy.parse.YamlParser.quote;

import io.agentid.policy.Hosts;
import io.agentid.policy.PolicyException;
import io.agentid.policy.eval.Fold;
import io.agentid.policy.eval.Ip;
import io.agentid.policy.model.CostRange;
import io.agentid.policy.model.HostPattern;
import io.agentid.policy.model.HttpMatch;
import io.agentid.policy.model.Match;
import io.agentid.policy.model.NamePattern;
import io.agentid.policy.parse.YamlEntry;
import io.agentid.policy.parse.YamlMap;
import io.agentid.policy.parse.YamlNode;
import io.agentid.policy.parse.YamlScalar;
import java.util.ArrayList;
import java.util.List;

/** Checks {@code match: { kind: http, ... }}. */
final class HttpMatchChecker implements MatchChecker {
    static final List<String> KEYS = List.of("kind", "host", "host_not", "method", "method_not", "scheme", "scheme_not",
            "port", "port_not", "path", "path_not", "model", "model_not", "cost_usd", "agent", "agent_not");
    static final List<String> COST_KEYS = List.of("gt", "gte", "lt", "lte");

    /** A DNS name is at most 253 characters. */
    static final int MAX_HOST = 253;

    @Override
    public String kind() {
        return HttpMatch.KIND;
    }

    @Override
    public List<String> keys() {
        return KEYS;
    }

    @Override
    public Match check(YamlMap match, Checks checks) throws PolicyException {
        checks.keys(match, KEYS, List.of("kind"), " in an http match");
        List<HostPattern> hosts = List.of();
        List<HostPattern> hostsNot = List.of();
        List<String> methods = List.of();
        List<String> methodsNot = List.of();
        List<String> schemes = List.of();
        List<String> schemesNot = List.of();
        List<Integer> ports = List.of();
        List<Integer> portsNot = List.of();
        List<String> paths = List.of();
        List<String> pathsNot = List.of();
        List<String> models = List.of();
        List<String> modelsNot = List.of();
        CostRange cost = null;
        List<NamePattern> agents = List.of();
        List<NamePattern> agentsNot = List.of();
        for (YamlEntry e : match.entries()) {
            String key = e.key().value();
            switch (key) {
                case "kind" -> { }
                case "host" -> hosts = hosts(checks.scalarOrList(e.value(), key), checks);
                case "host_not" -> hostsNot = hosts(checks.scalarOrList(e.value(), key), checks);
                case "method" -> methods = words(checks.scalarOrList(e.value(), key), checks, "method", HttpMatch.METHODS, true);
                case "method_not" -> methodsNot = words(checks.scalarOrList(e.value(), key), checks, "method", HttpMatch.METHODS, true);
                case "scheme" -> schemes = words(checks.scalarOrList(e.value(), key), checks, "scheme", HttpMatch.SCHEMES, false);
                case "scheme_not" -> schemesNot = words(checks.scalarOrList(e.value(), key), checks, "scheme", HttpMatch.SCHEMES, false);
                case "port" -> ports = ports(checks.scalarOrList(e.value(), key), checks, key);
                case "port_not" -> portsNot = ports(checks.scalarOrList(e.value(), key), checks, key);
                case "path" -> paths = paths(checks.scalarOrList(e.value(), key), checks);
                case "path_not" -> pathsNot = paths(checks.scalarOrList(e.value(), key), checks);
                case "model" -> models = models(checks.scalarOrList(e.value(), key), checks);
                case "model_not" -> modelsNot = models(checks.scalarOrList(e.value(), key), checks);
                case "cost_usd" -> cost = cost(e.value(), checks);
                case "agent" -> agents = agents(checks.scalarOrList(e.value(), key), checks);
                case "agent_not" -> agentsNot = agents(checks.scalarOrList(e.value(), key), checks);
                default -> throw new IllegalStateException(key); // keys() has rejected it
            }
        }
        return new HttpMatch(hosts, hostsNot, methods, methodsNot, schemes, schemesNot, ports, portsNot, paths, pathsNot,
                models, modelsNot, cost, agents, agentsNot);
    }

    private static List<HostPattern> hosts(List<YamlScalar> values, Checks checks) throws PolicyException {
        List<HostPattern> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (YamlScalar s : values) {
            HostPattern p = host(s, checks);
            if (!seen.contains(p.text())) {
                seen.add(p.text());
                out.add(p);
            }
        }
        return out;
    }

    /** One host pattern: a name, {@code *.suffix}, an IP literal or a CIDR range; normalised like a host. */
    static HostPattern host(YamlScalar s, Checks checks) throws PolicyException {
        String raw = s.value();
        if (raw.isEmpty()) {
            throw checks.error(s, "empty host pattern");
        }
        if (raw.contains("://")) {
            throw checks.error(s, "host pattern " + quote(raw) + " must be a host, not a url (e.g. `api.openai.com`; "
                    + "use `scheme`, `port` and `path` for the rest)");
        }
        int slash = raw.indexOf('/');
        if (slash >= 0) {
            return cidr(s, raw, slash, checks);
        }
        if (raw.startsWith("*.")) {
            String suffix = Hosts.normalise(raw.substring(2));
            if (suffix.indexOf('*') >= 0) {
                throw checks.error(s, "host pattern " + quote(raw) + ": `*` may only stand for the leading labels, as in `*.example.com`");
            }
            if (isIp(suffix) || !isName(suffix)) {
                throw checks.error(s, "invalid host pattern " + quote(raw) + " (`*.` must be followed by a host name, as in `*.example.com`)");
            }
            return new HostPattern("*." + suffix, HostPattern.Type.SUFFIX, suffix, false, 0, 0, 0, s.position());
        }
        if (raw.equals("*")) {
            throw checks.error(s, "host pattern `*` matches every host; remove the condition instead");
        }
        if (raw.indexOf('*') >= 0) {
            throw checks.error(s, "host pattern " + quote(raw) + ": `*` may only stand for the leading labels, as in `*.example.com`");
        }
        String host = Hosts.normalise(raw);
        if (!isIp(host) && !isName(host)) {
            throw checks.error(s, "invalid host pattern " + quote(raw) + " (expected a host name, `*.suffix`, an ip address "
                    + "or a cidr range; a port goes in `port`)");
        }
        return new HostPattern(host, HostPattern.Type.EXACT, host, false, 0, 0, 0, s.position());
    }

    private static HostPattern cidr(YamlScalar s, String raw, int slash, Checks checks) throws PolicyException {
        String addr = raw.substring(0, slash);
        String bits = raw.substring(slash + 1);
        if (bits.isEmpty() || bits.length() > 3 || !bits.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw checks.error(s, "invalid cidr " + quote(raw) + ": the prefix length " + quote(bits) + " is not a number");
        }
        int prefix = Integer.parseInt(bits);
        int from = addr.startsWith("[") && addr.endsWith("]") ? 1 : 0;
        int to = addr.length() - from;
        long v4 = addr.indexOf(':') >= 0 ? -1 : Ip.v4(addr);
        if (v4 >= 0) {
            if (prefix > 32) {
                throw checks.error(s, "invalid cidr " + quote(raw) + ": an ipv4 prefix length is 0 to 32");
            }
            long mask = prefix == 0 ? 0 : (0xFFFF_FFFFL << (32 - prefix)) & 0xFFFF_FFFFL;
            if ((v4 & ~mask) != 0) {
                throw checks.error(s, "invalid cidr " + quote(raw) + ": host bits are set (the range is `"
                        + Ip.v4Text(v4 & mask) + "/" + prefix + "`)");
            }
            return v4Range(v4, prefix, s);
        }
        if (to > from && Ip.v6(addr, from, to, Ip.VALID) == 1) {
            if (prefix > 128) {
                throw checks.error(s, "invalid cidr " + quote(raw) + ": an ipv6 prefix length is 0 to 128");
            }
            long hi = Ip.v6(addr, from, to, Ip.HIGH);
            long lo = Ip.v6(addr, from, to, Ip.LOW);
            long hiMask = prefix == 0 ? 0 : prefix >= 64 ? -1L : -1L << (64 - prefix);
            long loMask = prefix <= 64 ? 0 : prefix == 128 ? -1L : -1L << (128 - prefix);
            if ((hi & ~hiMask) != 0 || (lo & ~loMask) != 0) {
                throw checks.error(s, "invalid cidr " + quote(raw) + ": host bits are set (the range is `"
                        + Ip.v6Text(hi & hiMask, lo & loMask) + "/" + prefix + "`)");
            }
            if (prefix >= 96 && Ip.isMapped(hi, lo)) {
                // IPv4-mapped hosts are normalised to IPv4, so a mapped range is the IPv4 range.
                return v4Range(lo & 0xFFFF_FFFFL, prefix - 96, s);
            }
            String text = Ip.v6Text(hi, lo);
            return new HostPattern(text + "/" + prefix, HostPattern.Type.CIDR, text, true, hi, lo, prefix, s.position());
        }
        throw checks.error(s, "invalid cidr " + quote(raw) + ": " + quote(addr) + " is not an ip address (write ipv4 ranges "
                + "as dotted quads, e.g. `10.0.0.0/8`)");
    }

    private static HostPattern v4Range(long v4, int prefix, YamlScalar s) {
        String text = Ip.v4Text(v4);
        return new HostPattern(text + "/" + prefix, HostPattern.Type.CIDR, text, false, 0, v4, prefix, s.position());
    }

    /** A canonical IP literal. */
    static boolean isIp(String host) {
        return Ip.v4(host) >= 0 || (host.indexOf(':') >= 0 && Ip.v6(host, 0, host.length(), Ip.VALID) == 1);
    }

    /** A normalised host name: LDH labels (and {@code _}), none empty, at most 253 characters. */
    static boolean isName(String host) {
        if (host.isEmpty() || host.length() > MAX_HOST || host.startsWith(".") || host.endsWith(".") || host.contains("..")) {
            return false;
        }
        for (int i = 0; i < host.length(); i++) {
            char c = host.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.')) {
                return false;
            }
        }
        return true;
    }

    private static List<String> words(List<YamlScalar> values, Checks checks, String what, List<String> known, boolean upper)
            throws PolicyException {
        List<String> out = new ArrayList<>();
        for (YamlScalar s : values) {
            String w = upper ? Fold.upper(s.value()) : Fold.lower(s.value());
            if (!known.contains(w)) {
                throw checks.error(s, "unknown " + what + " " + quote(s.value()) + " (known: " + String.join(", ", known) + ")");
            }
            if (!out.contains(w)) {
                out.add(w);
            }
        }
        return out;
    }

    private static List<Integer> ports(List<YamlScalar> values, Checks checks, String key) throws PolicyException {
        List<Integer> out = new ArrayList<>();
        for (YamlScalar s : values) {
            int port = -1;
            if (s.type() == YamlScalar.Type.INTEGER && s.value().matches("[0-9]{1,5}")) {
                port = Integer.parseInt(s.value());
            }
            if (port < 1 || port > 65535) {
                throw checks.error(s, "`" + key + "` must be a port number from 1 to 65535, got " + s.describe() + " "
                        + quote(s.value()));
            }
            if (!out.contains(port)) {
                out.add(port);
            }
        }
        return out;
    }

    private static List<String> paths(List<YamlScalar> values, Checks checks) throws PolicyException {
        List<String> out = new ArrayList<>();
        for (YamlScalar s : values) {
            String p = collapseStars(s.value());
            if (!(p.startsWith("/") || p.startsWith("*"))) {
                throw checks.error(s, "path pattern " + quote(s.value()) + " must start with `/` (or `*`)");
            }
            int q = Math.max(p.indexOf('?'), p.indexOf('#'));
            if (q >= 0) {
                throw checks.error(s, "path pattern " + quote(s.value()) + " must not contain `" + p.charAt(q)
                        + "`: the path is matched without the query");
            }
            if (!out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    private static List<String> models(List<YamlScalar> values, Checks checks) throws PolicyException {
        List<String> out = new ArrayList<>();
        for (YamlScalar s : values) {
            if (s.value().isBlank()) {
                throw checks.error(s, "empty model pattern");
            }
            String m = collapseStars(Fold.lower(s.value()));
            if (!out.contains(m)) {
                out.add(m);
            }
        }
        return out;
    }

    private static List<NamePattern> agents(List<YamlScalar> values, Checks checks) throws PolicyException {
        List<NamePattern> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (YamlScalar s : values) {
            NamePattern p = checks.pattern(s, "agent", Integer.MAX_VALUE);
            if (!seen.contains(p.text())) {
                seen.add(p.text());
                out.add(p);
            }
        }
        return out;
    }

    private static CostRange cost(YamlNode node, Checks checks) throws PolicyException {
        if (!(node instanceof YamlMap map)) {
            throw checks.error(node, "`cost_usd` must be a mapping such as `{ gt: 0.50 }`, got " + node.describe());
        }
        checks.keys(map, COST_KEYS, List.of(), " in `cost_usd`");
        if (map.entries().isEmpty()) {
            throw checks.error(map, "`cost_usd` needs at least one of: " + String.join(", ", COST_KEYS));
        }
        if (map.entry("gt") != null && map.entry("gte") != null) {
            throw checks.error(map.entry("gte").key(), "`cost_usd` may have only one of `gt` and `gte`");
        }
        if (map.entry("lt") != null && map.entry("lte") != null) {
            throw checks.error(map.entry("lte").key(), "`cost_usd` may have only one of `lt` and `lte`");
        }
        double lower = Double.NaN;
        double upper = Double.NaN;
        boolean lowerInclusive = false;
        boolean upperInclusive = false;
        for (YamlEntry e : map.entries()) {
            String key = e.key().value();
            double v = amount(e.value(), key, checks);
            switch (key) {
                case "gt", "gte" -> {
                    lower = v;
                    lowerInclusive = key.equals("gte");
                }
                default -> {
                    upper = v;
                    upperInclusive = key.equals("lte");
                }
            }
        }
        if (!Double.isNaN(lower) && !Double.isNaN(upper)
                && (lower > upper || (lower == upper && !(lowerInclusive && upperInclusive)))) {
            throw checks.error(map, "`cost_usd` can never hold (no cost is " + (lowerInclusive ? "at least " : "more than ")
                    + format(lower) + " and " + (upperInclusive ? "at most " : "less than ") + format(upper) + ")");
        }
        return new CostRange(lower, lowerInclusive, upper, upperInclusive);
    }

    private static double amount(YamlNode node, String key, Checks checks) throws PolicyException {
        if (node instanceof YamlScalar s && (s.type() == YamlScalar.Type.INTEGER || s.type() == YamlScalar.Type.FLOAT)) {
            double v;
            try {
                v = Double.parseDouble(s.value());
            } catch (NumberFormatException e) {
                v = Double.NaN;
            }
            if (!Double.isFinite(v) || v < 0) {
                throw checks.error(s, "`" + key + "` must be a finite amount of us dollars, at least 0, got " + quote(s.value()));
            }
            return v;
        }
        String got = node instanceof YamlScalar s && !s.isNull() ? node.describe() + " " + quote(s.value()) : node.describe();
        throw checks.error(node, "`" + key + "` must be a number (us dollars), got " + got);
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String collapseStars(String s) {
        String t = s;
        while (t.contains("**")) {
            t = t.replace("**", "*");
        }
        return t;
    }
}
