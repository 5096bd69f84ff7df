package io.agentid.interceptors.http;

import java.lang.reflect.AccessibleObject;
import java.lang.reflect.Field;
import java.lang.reflect.Method;

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

    /**
     * Apache HttpClient's (and HttpCore's) class {@code name}, in the loader that defines the client's classes; a
     * client without it is not one this agent knows ({@link IllegalStateException}, which the hooks report as a fault
     * of ours, and the call proceeds).
     */
    static Class<?> apacheType(ClassLoader loader, String name) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw unknownApache(name, e);
        }
    }

    /** The public method {@code type.name(params)} of Apache HttpClient, unchecked ({@link #apacheType}). */
    static Method apacheMethod(ClassLoader loader, String type, String name, Class<?>... params) {
        try {
            return unchecked(apacheType(loader, type).getMethod(name, params));
        } catch (NoSuchMethodException e) {
            throw unknownApache(type + "." + name, e);
        }
    }

    /** The public field {@code type.name} of Apache HttpClient, unchecked ({@link #apacheType}). */
    static Field apacheField(ClassLoader loader, String type, String name) {
        try {
            return unchecked(apacheType(loader, type).getField(name));
        } catch (NoSuchFieldException e) {
            throw unknownApache(type + "." + name, e);
        }
    }

    /** For what only some versions have: the public method, unchecked, or null when this version lacks it. */
    static Method optionalMethod(ClassLoader loader, String type, String name, Class<?>... params) {
        try {
            return unchecked(Class.forName(type, false, loader).getMethod(name, params));
        } catch (ReflectiveOperationException | LinkageError e) {
            return null;
        }
    }

    private static IllegalStateException unknownApache(String what, Throwable cause) {
        return new IllegalStateException("not an Apache HttpClient this agent knows: no " + what, cause);
    }
}
