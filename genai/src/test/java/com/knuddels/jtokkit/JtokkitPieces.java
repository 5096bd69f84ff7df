package com.knuddels.jtokkit;

import java.util.ArrayList;
import java.util.List;

/**
 * Test access to jtokkit 1.1.0's package-private cl100k_base pre-tokeniser, {@code Cl100kParser}: the pieces
 * (as the UTF-8 bytes jtokkit hands its encoder) that {@code Cl100kSplitter} must reproduce.
 */
public final class JtokkitPieces {
    static {
        // Cl100kParser asserts that its input is valid UTF-16 (no lone surrogates); with assertions off, as in
        // production, it encodes a lone surrogate as three bytes. Test it as it runs in production. Effective
        // only if no jtokkit class was initialised before, which JtokkitPieces.init() is called to ensure.
        JtokkitPieces.class.getClassLoader().setPackageAssertionStatus("com.knuddels.jtokkit", false);
    }

    private JtokkitPieces() {
    }

    /** Call before the first use of any jtokkit encoding in the test JVM. */
    public static void init() {
    }

    /** The UTF-8 bytes of each piece jtokkit's cl100k_base parser cuts {@code s} into. */
    public static List<byte[]> cl100k(String s) {
        List<byte[]> pieces = new ArrayList<>();
        Cl100kParser.split(s, bytes -> {
            pieces.add(bytes.toArray());
            return false;
        });
        return pieces;
    }
}
