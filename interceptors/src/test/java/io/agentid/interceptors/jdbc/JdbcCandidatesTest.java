package io.agentid.interceptors.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.agentid.runtime.ClassCandidates;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The class pre-filter ({@link JdbcInterceptor#candidates()}) must let through every class of a real driver or
 * pool that the interceptor's matchers select and that declares a method whose advice sees SQL: checked on every
 * class of H2, sqlite-jdbc, pgjdbc and HikariCP.
 */
class JdbcCandidatesTest {
    private static File jarOf(String resource) {
        String url = JdbcCandidatesTest.class.getClassLoader().getResource(resource).toString();
        return new File(url.substring("jar:file:".length(), url.indexOf("!/")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"org/h2/Driver.class", "org/sqlite/JDBC.class", "org/postgresql/Driver.class",
            "com/zaxxer/hikari/HikariDataSource.class"})
    void everyClassTheMatchersSelectIsACandidate(String marker) throws IOException {
        ClassCandidates candidates = new JdbcInterceptor().candidates();
        File jar = jarOf(marker);
        List<String> selected = new ArrayList<>();
        List<String> missed = new ArrayList<>();
        List<String> rejectedSelected = new ArrayList<>();
        int classes = 0;
        int rejected = 0;
        try (JarFile jf = new JarFile(jar);
             ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.ForJarFile.of(jar),
                     ClassFileLocator.ForClassLoader.ofSystemLoader())) {
            TypePool pool = TypePool.Default.of(locator);
            for (Enumeration<JarEntry> e = jf.entries(); e.hasMoreElements(); ) {
                JarEntry entry = e.nextElement();
                String name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                classes++;
                String internal = name.substring(0, name.length() - ".class".length());
                byte[] bytes;
                try (InputStream in = jf.getInputStream(entry)) {
                    bytes = in.readAllBytes();
                }
                boolean candidate = candidates.test(internal, bytes);
                rejected += candidate ? 0 : 1;
                TypeDescription type = pool.describe(internal.replace('/', '.')).resolve();
                boolean matched;
                try {
                    matched = JdbcInterceptor.STATEMENTS.matches(type) || JdbcInterceptor.CONNECTIONS.matches(type)
                            || JdbcInterceptor.DRIVERS.matches(type) || JdbcInterceptor.METADATA.matches(type);
                } catch (RuntimeException unresolvable) {
                    continue; // a super type from an optional dependency that is not here: never loadable either
                }
                if (matched) {
                    selected.add(internal);
                    if (!candidate) {
                        rejectedSelected.add(internal);
                    }
                    // a selected class the filter rejects keeps the methods it inherits woven in its super class;
                    // it is a miss only if it declares a method whose advice sees SQL or the schema
                    if (!candidate && !type.getDeclaredMethods().filter(JdbcInterceptor.GUARDED).isEmpty()) {
                        missed.add(internal + " " + type.getDeclaredMethods().filter(JdbcInterceptor.GUARDED));
                    }
                }
            }
        }
        assertThat(missed).as("classes of %s the JDBC matchers select but the pre-filter rejects", jar.getName())
                .isEmpty();
        assertThat(selected).as("the matchers select real JDBC classes of %s", jar.getName()).hasSizeGreaterThan(2);
        // ...and the filter lets most of those through: they are rejected only when they declare nothing to weave
        assertThat(rejectedSelected.size()).as("selected classes rejected: %s", rejectedSelected)
                .isLessThan(selected.size() / 2 + 1);
        // the point of the filter: most of a driver's classes are never parsed for the matchers
        assertThat(rejected).as("classes rejected of %d", classes).isGreaterThan(classes / 2);
    }

    @Test
    void theCommonJdbcClassesOfH2AreCandidatesAndItsEngineIsNot() throws IOException {
        ClassCandidates candidates = new JdbcInterceptor().candidates();
        try (JarFile jf = new JarFile(jarOf("org/h2/Driver.class"))) {
            for (String c : List.of("org/h2/Driver", "org/h2/jdbc/JdbcConnection", "org/h2/jdbc/JdbcStatement",
                    "org/h2/jdbc/JdbcPreparedStatement", "org/h2/jdbc/JdbcDatabaseMetaData")) {
                assertThat(candidates.test(c, jf.getInputStream(jf.getEntry(c + ".class")).readAllBytes())).as(c).isTrue();
            }
            String btree = "org/h2/mvstore/Page";
            assertThat(candidates.test(btree, jf.getInputStream(jf.getEntry(btree + ".class")).readAllBytes()))
                    .as(btree).isFalse();
        }
    }
}
