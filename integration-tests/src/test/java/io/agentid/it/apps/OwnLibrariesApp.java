package io.agentid.it.apps;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.GlobalOpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.implementation.FixedValue;
import net.bytebuddy.matcher.ElementMatchers;

/**
 * An application with its own Jackson, OpenTelemetry SDK and Byte Buddy, at versions agentid does not use.
 * It prints what it sees of each library and of agentid, so the test can check that nothing of agentid's
 * leaked into it and that its own libraries behave as they would without the agent.
 */
public final class OwnLibrariesApp {
    public static void main(String[] args) throws Exception {
        // Jackson
        String json = new ObjectMapper().writeValueAsString(Map.of("agent", "billing"));
        System.out.println("jackson.json=" + json);
        System.out.println("jackson.version=" + com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION);

        // OpenTelemetry: the application's own SDK, registered globally, exporting to memory
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
                .buildAndRegisterGlobal();
        Span span = GlobalOpenTelemetry.getTracer("app").spanBuilder("app-work").startSpan();
        span.end();
        System.out.println("otel.spans=" + exporter.getFinishedSpanItems().size());
        System.out.println("otel.span.name=" + exporter.getFinishedSpanItems().get(0).getName());
        System.out.println("otel.sdk.version=" + exporter.getFinishedSpanItems().get(0).getResource()
                .getAttribute(io.opentelemetry.api.common.AttributeKey.stringKey("telemetry.sdk.version")));
        sdk.close();

        // Byte Buddy: the application's own, generating a class
        Class<?> generated = new ByteBuddy().subclass(Object.class)
                .method(ElementMatchers.named("toString")).intercept(FixedValue.value("made by the app's byte buddy"))
                .make().load(OwnLibrariesApp.class.getClassLoader()).getLoaded();
        System.out.println("bytebuddy.generated=" + generated.getDeclaredConstructor().newInstance());
        System.out.println("bytebuddy.location=" + ByteBuddy.class.getProtectionDomain().getCodeSource().getLocation());

        // what of agentid can the application see?
        for (String name : new String[] {"io.agentid.runtime.AgentRuntime", "io.agentid.policy.PolicyEngine",
                "io.agentid.shaded.net.bytebuddy.ByteBuddy", "io.agentid.shaded.io.opentelemetry.api.OpenTelemetry",
                "io.agentid.bootstrap.JdbcHooks"}) {
            System.out.println("visible." + name + "=" + visible(name));
        }

        // and JDBC is still guarded
        try (Connection c = DriverManager.getConnection("jdbc:h2:mem:own"); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE customers (id INT)");
            try {
                s.execute("DROP TABLE customers");
                System.out.println("jdbc.drop=ok");
            } catch (SQLException e) {
                System.out.println("jdbc.drop=" + e.getMessage());
            }
            try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM customers")) {
                rs.next();
                System.out.println("jdbc.customers=" + rs.getInt(1));
            } catch (SQLException e) {
                System.out.println("jdbc.customers=gone");
            }
        }
    }

    private static boolean visible(String name) {
        try {
            Class.forName(name, false, OwnLibrariesApp.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
