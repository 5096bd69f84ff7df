package io.agentid.interceptors.http;

import java.lang.reflect.AccessibleObject;

/**
 * The client classes' members that guards reach reflectively (looked up once per class), made to skip the JDK's
 * access check on every call. Without it {@code Method.invoke} checks the caller against a one-entry cache keyed on
 * the receiver's class, which misses whenever one method is called on objects of several classes (a request's and
 * a response's headers): {@code AccessibleObject.slowVerifyAccess} was 5% of the application thread's samples for
 * Apache HttpClient 5 classic (docs/PERFORMANCE.md).
 */
final class Accessors {
    private Accessors() {}

    /**
     * {@code member}, with access checks off where the JDK allows it (public members of the clients' public types, in
     * unnamed modules); left checked where it does not (a named module that does not open the package). Null stays
     * null.
     */
    static <T extends AccessibleObject> T unchecked(T member) {
        if (member != null) {
            try {
                member.trySetAccessible();
            } catch (SecurityException e) {
                // left checked
            }
        }
        return member;
    }

    /** {@link #unchecked} for each of {@code members}. */
    static void unchecked(AccessibleObject... members) {
        for (AccessibleObject m : members) {
            unchecked(m);
        }
    }
}
