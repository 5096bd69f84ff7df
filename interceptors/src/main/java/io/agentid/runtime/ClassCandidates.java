package io.agentid.runtime;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Which loading classes an interceptor could transform, judged from the class file's bytes alone, before Byte
 * Buddy parses it: a class is a candidate if its name is one of {@link #named named}, or if its bytes contain one
 * of the {@link #containing markers} (ASCII text: class, method and descriptor names are stored verbatim in the
 * constant pool). Classes that are no interceptor's candidate are handed back to the JVM untouched, so start-up
 * does not pay for parsing and matching the hundreds of classes of a driver or framework that no interceptor
 * cares about (H2: 59 of the 546 classes a first query loads are candidates of the JDBC interceptor).
 *
 * <p>A marker answer must never miss a class the interceptor's matchers would transform; a false candidate only
 * costs the parse it would have cost anyway. {@link #ANY} (the default) is always correct.
 */
public final class ClassCandidates {
    /** Every class. */
    public static final ClassCandidates ANY = new ClassCandidates(true, Set.of(), List.of());

    private final boolean any;
    private final Set<String> internalNames;
    private final List<String> markers;

    private ClassCandidates(boolean any, Set<String> internalNames, List<String> markers) {
        this.any = any;
        this.internalNames = Set.copyOf(internalNames);
        this.markers = List.copyOf(markers);
    }

    /** The classes of these binary names ({@code okhttp3.internal.http.RealInterceptorChain}). */
    public static ClassCandidates named(Collection<String> binaryNames) {
        Set<String> internal = new HashSet<>();
        for (String n : binaryNames) {
            internal.add(n.replace('.', '/'));
        }
        return new ClassCandidates(false, internal, List.of());
    }

    /** @see #named(Collection) */
    public static ClassCandidates named(String... binaryNames) {
        return named(List.of(binaryNames));
    }

    /** The classes whose bytes contain one of these non-empty ASCII texts ({@code java/sql/}). */
    public static ClassCandidates containing(String... markers) {
        for (String m : markers) {
            if (m.isEmpty() || !StandardCharsets.US_ASCII.newEncoder().canEncode(m)) {
                throw new IllegalArgumentException("a marker must be non-empty ASCII: `" + m + "`");
            }
        }
        return new ClassCandidates(false, Set.of(), List.of(markers));
    }

    /** The candidates of this or of {@code other}. */
    public ClassCandidates or(ClassCandidates other) {
        if (any || other.any) {
            return ANY;
        }
        Set<String> names = new HashSet<>(internalNames);
        names.addAll(other.internalNames);
        List<String> ms = new ArrayList<>(markers);
        for (String m : other.markers) {
            if (!ms.contains(m)) {
                ms.add(m);
            }
        }
        return new ClassCandidates(false, names, ms);
    }

    public boolean any() {
        return any;
    }

    /** Whether the class {@code internalName} ({@code org/h2/Driver}) with this class file is a candidate. */
    public boolean test(String internalName, byte[] classFile) {
        if (any || internalName == null || classFile == null) {
            return true; // nothing to judge by: let Byte Buddy's matchers decide
        }
        if (internalNames.contains(internalName)) {
            return true;
        }
        // one Latin-1 copy, then the JDK's String.indexOf, which is compiled (and vectorised) long before this
        // code would be: judging a class runs mostly in the interpreter, at start-up
        String text = new String(classFile, StandardCharsets.ISO_8859_1);
        for (String m : markers) {
            if (text.indexOf(m) >= 0) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return any ? "any class" : "named " + internalNames + " or containing " + markers;
    }
}
