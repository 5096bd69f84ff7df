package io.agentid.interceptors.http;

import java.lang.reflect.Method;

/** What the guards' {@code java.lang.reflect.Proxy} stand-ins for a client's own objects share. */
final class Proxies {
    private Proxies() {}

    /** A proxy's own {@code hashCode}, {@code equals} and {@code toString}: identity, and naming what it wraps. */
    static Object objectMethod(Object proxy, Method m, Object[] args, Object delegate) {
        switch (m.getName()) {
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                return "agentid(" + delegate + ")";
        }
    }
}
