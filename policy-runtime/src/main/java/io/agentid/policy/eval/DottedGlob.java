package io.agentid.policy.eval;

import io.agentid.policy.model.NamePattern;
import java.util.List;

/** A whole name pattern ({@code hr.*}, {@code *.payroll}, {@code reporting-*}): one {@link NameGlob} per part. */
public final class DottedGlob {
    private final String text;
    private final NameGlob[] parts;

    public DottedGlob(NamePattern pattern) {
        this.text = pattern.text();
        List<String> ps = pattern.parts();
        this.parts = new NameGlob[ps.size()];
        for (int i = 0; i < parts.length; i++) {
            parts[i] = NameGlob.compile(ps.get(i));
        }
    }

    /** The number of name parts, 1 or more. */
    public int partCount() {
        return parts.length;
    }

    /** The pattern's part {@code k} counted from the right, from 1 (1 is the table name). */
    NameGlob partFromRight(int k) {
        return parts[parts.length - k];
    }

    /** True when every part is {@code *}: the pattern matches every table. */
    boolean matchesEveryTable() {
        for (NameGlob p : parts) {
            if (!p.isAny()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Table semantics, given where the table's last parts are (see {@link TableMatcher#matchBits}): the
     * pattern's parts match the table's last parts, right to left. Where the table has fewer parts than the
     * pattern (an unqualified {@code payroll} against {@code hr.payroll}), each missing part matches only a
     * pattern part that is exactly {@code *}.
     *
     * @param t the table
     * @param n how many parts it has, at most 3
     * @param s1 where part 1 (the last) starts; it ends at {@code t.length()}
     * @param s2 where part 2 starts (if {@code n >= 2}); it ends at {@code s1 - 1}
     * @param s3 where part 3 starts (if {@code n >= 3}); it ends at {@code s2 - 1}
     */
    boolean matchesTableParts(String t, int n, int s1, int s2, int s3) {
        NameGlob[] ps = parts;
        int count = ps.length;
        for (int k = 1; k <= count; k++) {
            NameGlob g = ps[count - k];
            if (k > n) {
                if (!g.isAny()) {
                    return false;
                }
            } else if (k == 1) {
                if (!g.matches(t, s1, t.length())) {
                    return false;
                }
            } else if (k == 2) {
                if (!g.matches(t, s2, s1 - 1)) {
                    return false;
                }
            } else if (!g.matches(t, s3, s2 - 1)) {
                return false;
            }
        }
        return true;
    }

    /** Agent semantics: the id has exactly as many {@code .}-separated parts as the pattern and each matches. */
    public boolean matchesWhole(String id) {
        int start = 0;
        int last = parts.length - 1;
        for (int i = 0; i <= last; i++) {
            int dot = id.indexOf('.', start);
            int end;
            if (i == last) {
                if (dot >= 0) {
                    return false;
                }
                end = id.length();
            } else {
                if (dot < 0) {
                    return false;
                }
                end = dot;
            }
            if (!parts[i].matches(id, start, end)) {
                return false;
            }
            start = end + 1;
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
