package io.agentid.agent;

import java.io.File;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Method;
import java.net.URI;
import java.util.jar.JarFile;

/**
 * The only agentid class the system class loader loads. It puts the bootstrap bridge on the bootstrap class
 * path, creates the agent's isolated class loader over the {@code inst/} entries of this jar, and hands over
 * to the installer inside it. Nothing here may fail the host: a failure to start is reported and the
 * application runs without agentid.
 */
public final class AgentidPremain {
    private AgentidPremain() {}

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static synchronized void start(String args, Instrumentation inst, boolean attached) {
        if (System.getProperty("agentid.started") != null) {
            System.err.println("[agentid] already running in this JVM; ignoring a second -javaagent");
            return;
        }
        try {
            File jar = new File(URI.create(AgentidPremain.class.getProtectionDomain().getCodeSource().getLocation()
                    .toString()));
            JarFile jarFile = new JarFile(jar, false);
            inst.appendToBootstrapClassLoaderSearch(jarFile);
            ClassLoader loader = new AgentClassLoader(jarFile, jar, ClassLoader.getPlatformClassLoader());
            Class<?> installer = Class.forName("io.agentid.agent.internal.AgentInstaller", true, loader);
            Method install = installer.getMethod("install", String.class, Instrumentation.class, File.class,
                    boolean.class);
            install.invoke(null, args, inst, jar, attached);
            System.setProperty("agentid.started", "true");
        } catch (Throwable t) {
            Throwable cause = t instanceof java.lang.reflect.InvocationTargetException ? t.getCause() : t;
            System.err.println("[agentid] error: agentid did not start; this JVM runs WITHOUT its guardrails: " + cause);
            if (Boolean.getBoolean("agentid.debug")) {
                cause.printStackTrace();
            }
        }
    }
}
