package io.agentid.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.it.support.Forked;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The layout of agentid.jar: what the JVM and the application can see of it, and its size. */
class AgentJarIT {
    @Test
    void onlyThePremainAndTheBridgeAreOrdinaryClassesEverythingElseIsRelocatedAndHidden() throws Exception {
        List<String> visible = new ArrayList<>();
        List<String> unrelocated = new ArrayList<>();
        int hidden = 0;
        try (JarFile jar = new JarFile(Forked.agentJar().toFile())) {
            Attributes main = jar.getManifest().getMainAttributes();
            assertThat(main.getValue("Premain-Class")).isEqualTo("io.agentid.agent.AgentidPremain");
            assertThat(main.getValue("Agent-Class")).isEqualTo("io.agentid.agent.AgentidPremain");
            assertThat(main.getValue("Can-Retransform-Classes")).isEqualTo("true");
            for (Enumeration<JarEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String name = e.nextElement().getName();
                if (name.endsWith(".class")) {
                    visible.add(name);
                } else if (name.endsWith(".classdata")) {
                    hidden++;
                    assertThat(name).startsWith("inst/");
                    if (!name.startsWith("inst/io/agentid/")) {
                        unrelocated.add(name);
                    }
                }
            }
        }
        assertThat(visible).allSatisfy(n -> assertThat(n).matches("io/agentid/(agent|bootstrap)/[A-Za-z$-]+\\.class"));
        assertThat(visible).hasSizeLessThan(15);
        assertThat(unrelocated).isEmpty();
        assertThat(hidden).isGreaterThan(1000); // Byte Buddy, OpenTelemetry, ... are all in there, hidden
    }

    @Test
    void staysUnderTwelveMegabytes() throws Exception {
        assertThat(Files.size(Forked.agentJar())).isLessThan(12L * 1024 * 1024);
    }
}
