package io.agentid.agent.internal;

import static net.bytebuddy.matcher.ElementMatchers.is;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.agentid.bootstrap.Faults;
import io.agentid.policy.PolicyEngine;
import io.agentid.policy.PolicyException;
import io.agentid.runtime.AgentLog;
import io.agentid.runtime.AgentRuntime;
import io.agentid.runtime.AgentThread;
import io.agentid.runtime.ClassCandidates;
import io.agentid.runtime.Interceptor;
import io.agentid.runtime.SpanPipeline;
import io.agentid.runtime.UrlConnectionSender;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporterBuilder;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.export.SpanExporter;
import java.io.File;
import java.lang.instrument.Instrumentation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.ServiceLoader;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/** Runs inside the agent's class loader: reads the configuration, loads the policy, starts export and the interceptors. */
public final class AgentInstaller {
    static final String VERSION = "0.1.0";

    private AgentInstaller() {}

    public static void install(String args, Instrumentation inst, File jar, boolean attached) {
        long t0 = System.nanoTime();
        tuneByteBuddy();
        AgentConfig config;
        String configError = null;
        try {
            config = new AgentConfig(args, System.getProperties(), System.getenv());
        } catch (IllegalArgumentException e) {
            configError = e.getMessage();
            config = new AgentConfig(null, System.getProperties(), System.getenv());
        }
        try {
            AgentLog.setLevel(AgentLog.Level.valueOf(
                    config.choice(AgentConfig.LOG_LEVEL, "info", "debug", "info", "warn", "error", "off")
                            .toUpperCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            configError = configError == null ? e.getMessage() : configError;
        }
        for (String unknown : config.unknownArgs()) {
            AgentLog.warn("unknown -javaagent argument `" + unknown + "` ignored");
        }
        String agentId = config.get(AgentConfig.AGENT_ID, null);
        if (agentId == null) {
            agentId = "unknown-agent";
            AgentLog.warn("no agent id configured (agent.id=..., -Dagentid.agent.id or AGENTID_AGENT_ID); using `"
                    + agentId + "`");
        }

        // The policy is parsed on a second thread while Byte Buddy starts on this one; premain waits for
        // it before any class is instrumented, so no call is ever decided without it.
        CompletableFuture<PolicyEngine> policy = new CompletableFuture<>();
        boolean blockOnInternalError = false;
        try {
            if (configError != null) {
                throw new IllegalArgumentException(configError);
            }
            blockOnInternalError = config.choice(AgentConfig.ON_INTERNAL_ERROR, "proceed", "proceed", "block")
                    .equals("block");
            AgentConfig settings = config;
            Thread loader = new Thread(() -> {
                try {
                    long p0 = System.nanoTime();
                    PolicyEngine e = loadPolicy(settings);
                    AgentLog.debug("start-up: policy loaded in " + (System.nanoTime() - p0) / 1_000_000 + " ms");
                    policy.complete(e);
                    warmUp(e);
                } catch (Throwable t) {
                    policy.completeExceptionally(t);
                }
            }, "agentid-start");
            loader.setDaemon(true);
            loader.start();
        } catch (IllegalArgumentException e) {
            AgentLog.error("configuration error: " + e.getMessage() + "; every guarded call will be denied", null);
            policy.complete(PolicyEngine.failClosed("configuration",
                    "agentid is misconfigured (" + e.getMessage() + "); failing closed"));
        }

        long t1 = System.nanoTime();
        SpanPipeline pipeline = pipeline(config, agentId);
        long t2 = System.nanoTime();
        AgentConfig configured = config;
        AgentRuntime runtime = new AgentRuntime(agentId, null, pipeline, blockOnInternalError, configured::get);
        Map<String, Boolean> reportedSites = new ConcurrentHashMap<>();
        Faults.setReporter((site, t, count) -> {
            if (reportedSites.putIfAbsent(site, Boolean.TRUE) == null) {
                AgentLog.error("internal fault at " + site + " (the call proceeded" + (runtime.blockOnInternalError()
                        ? " or was blocked per on_internal_error" : "") + "; " + count + " faults so far): " + t, t);
            }
        });

        long t3 = System.nanoTime();
        ClassLoader own = AgentInstaller.class.getClassLoader();
        List<Interceptor> enabled = new ArrayList<>();
        Set<String> jdkTypes = new HashSet<>();
        ClassCandidates candidates = null;
        for (Interceptor interceptor : ServiceLoader.load(Interceptor.class, own)) {
            String key = "interceptor." + interceptor.name() + ".enabled";
            if (!Boolean.parseBoolean(config.get(key, "true"))) {
                AgentLog.info("interceptor `" + interceptor.name() + "` disabled by " + config.origin(key));
                continue;
            }
            enabled.add(interceptor);
            jdkTypes.addAll(interceptor.jdkTypes());
            candidates = candidates == null ? interceptor.candidates() : candidates.or(interceptor.candidates());
        }
        AgentBuilder agent = new AgentBuilder.Default(new ByteBuddy().with(TypeValidation.DISABLED)
                        // advice applies to the methods a class declares: no graph of the whole hierarchy's methods
                        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
                .disableClassFormatChanges()
                // every interceptor only visits methods with advice: decorating the class file as it is read skips
                // the rebased type model and the method graph of the class hierarchy a redefinition computes
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(attached ? AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass.INSTANCE
                        : new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(loaded(inst, jdkTypes)))
                .with(new TypePoolCaches())
                .with(new ErrorListener())
                .with(CandidateFilter.decorator(candidates == null
                        || !Boolean.parseBoolean(config.get(AgentConfig.CLASS_PREFILTER, "true"))
                        ? ClassCandidates.ANY : candidates))
                // advice inlined into JDK classes of named modules (java.net.http, java.base) calls the bridge,
                // which is in the bootstrap loader's unnamed module: those modules must read it
                .assureReadEdgeTo(inst, Faults.class)
                .ignore(nameStartsWith("java.")
                        .or(nameStartsWith("jdk."))
                        .or(nameStartsWith("sun."))
                        .or(nameStartsWith("com.sun."))
                        .or(nameStartsWith("io.agentid."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(isSynthetic())
                        .and(not(namedOneOf(jdkTypes.toArray(new String[0])))),
                        isBootstrapClassLoader().or(isExtensionClassLoader()).or(is(own)));
        StringBuilder names = new StringBuilder();
        for (Interceptor interceptor : enabled) {
            long i0 = System.nanoTime();
            agent = interceptor.install(agent, runtime);
            AgentLog.debug("start-up: interceptor " + interceptor.name() + " prepared in "
                    + (System.nanoTime() - i0) / 1_000_000 + " ms");
            names.append(names.length() == 0 ? "" : ", ").append(interceptor.name());
        }
        PolicyEngine engine;
        long j0 = System.nanoTime();
        try {
            engine = policy.join();
            AgentLog.debug("start-up: waited " + (System.nanoTime() - j0) / 1_000_000 + " ms for the policy");
        } catch (RuntimeException e) {
            AgentLog.error("could not load the policy: " + e.getCause() + "; every guarded call will be denied", e);
            engine = PolicyEngine.failClosed("unloadable", "agentid could not load its policy (" + e.getCause()
                    + "); failing closed");
        }
        runtime.setEngine(engine);
        long t4 = System.nanoTime();
        agent.installOn(inst);
        long t5 = System.nanoTime();
        AgentLog.debug("start-up: config " + (t1 - t0) / 1_000_000 + " ms, pipeline " + (t2 - t1) / 1_000_000
                + " ms, runtime " + (t3 - t2) / 1_000_000 + " ms, interceptors " + (t4 - t3) / 1_000_000
                + " ms, install " + (t5 - t4) / 1_000_000 + " ms");
        if (pipeline != null) {
            pipeline.start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                int missing = runtime.awaitRecords(SHUTDOWN_RECORD_WAIT_MS);
                if (missing > 0) {
                    AgentLog.info("shutdown: " + missing + " answered request(s) had not ended after "
                            + SHUTDOWN_RECORD_WAIT_MS + " ms (the application's callback still running): not exported");
                }
                pipeline.shutdown(2_000);
            }, "agentid-shutdown"));
        }
        AgentLog.info("agentid " + VERSION + " guarding `" + agentId + "`: policy " + engine.source() + " ("
                + engine.version() + ", " + engine.mode().label() + "), interceptors [" + names + "], export "
                + (pipeline == null ? "off" : endpoint(config)) + " (started in "
                + (System.nanoTime() - t0) / 1_000_000 + " ms" + (attached ? ", attached to a running JVM" : "") + ")");
    }

    /**
     * Byte Buddy's start-up switches, under their relocated names so the application's own Byte Buddy is
     * untouched: no Nexus (we never change class formats, and it needs Unsafe), no generic-signature parsing,
     * and generated dispatchers instead of reflective proxies. Together they take ~60% off agent start-up.
     */
    /**
     * How long the shutdown waits for the records of requests already answered, whose client records them after the
     * application's future completed (HttpClient 5 async, HttpAsyncClient 4).
     */
    private static final long SHUTDOWN_RECORD_WAIT_MS = 200;

    private static void tuneByteBuddy() {
        String prefix = net.bytebuddy.ByteBuddy.class.getPackageName();
        System.setProperty(prefix + ".nexus.disabled", "true");
        System.setProperty(prefix + ".raw", "true");
        System.setProperty(prefix + ".generate", "true");
    }

    /**
     * The JDK classes interceptors instrument that are already loaded at premain (an agent attached later
     * retransforms everything that matches): only these are retransformed, so start-up does not walk every
     * loaded class through the matchers.
     */
    private static Set<Class<?>> loaded(Instrumentation inst, Set<String> names) {
        Set<Class<?>> out = new HashSet<>();
        if (names.isEmpty()) {
            return out;
        }
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (names.contains(c.getName())) {
                out.add(c);
            }
        }
        return out;
    }

    /** Loads the classes the first decision needs, off the application's start-up path. */
    private static void warmUp(PolicyEngine engine) {
        io.agentid.sql.SqlAnalyzer.analyze("SELECT name FROM items i JOIN orders o ON o.id = i.id WHERE i.id = 1");
        engine.decideSql("agentid-warm-up", "SELECT", new String[] {"public.items"});
    }

    private static PolicyEngine loadPolicy(AgentConfig config) {
        String onError = config.choice(AgentConfig.POLICY_ON_ERROR, "deny", "deny", "allow");
        String path = config.get(AgentConfig.POLICY, null);
        if (path == null) {
            AgentLog.warn("no policy configured (policy=/path/policy.yaml, -Dagentid.policy or AGENTID_POLICY):"
                    + " every call is allowed and recorded");
            return PolicyEngine.allowAll("none", "no policy configured");
        }
        try {
            return PolicyEngine.load(Path.of(path));
        } catch (PolicyException e) {
            if (onError.equals("allow")) {
                AgentLog.error("invalid policy: " + e.getMessage() + "; policy.on_error is allow, so every call is"
                        + " allowed", null);
                return PolicyEngine.allowAll(path, "the policy is invalid and policy.on_error is allow");
            }
            AgentLog.error("invalid policy: " + e.getMessage() + "; failing closed: every guarded call is denied"
                    + " (set policy.on_error=allow to fail open)", null);
            return PolicyEngine.failClosed(path, "the policy " + e.getMessage() + "; failing closed");
        }
    }

    static String endpoint(AgentConfig config) {
        String traces = config.get(AgentConfig.OTEL_TRACES_ENDPOINT, null);
        if (traces != null) {
            return traces;
        }
        String base = config.get(AgentConfig.OTEL_ENDPOINT, "http://localhost:4318");
        return (base.endsWith("/") ? base : base + "/") + "v1/traces";
    }

    private static SpanPipeline pipeline(AgentConfig config, String agentId) {
        String exporter = config.get(AgentConfig.OTEL_TRACES_EXPORTER, "otlp");
        if (exporter.equals("none")) {
            return null;
        }
        if (!exporter.equals("otlp")) {
            AgentLog.error("otel.traces.exporter `" + exporter + "` is not supported (otlp or none); span export is off",
                    null);
            return null;
        }
        String protocol = config.get(AgentConfig.OTEL_PROTOCOL, "http/protobuf");
        if (!protocol.equals("http/protobuf")) {
            AgentLog.error("otel.exporter.otlp.protocol `" + protocol + "` is not supported by agentid yet (use"
                    + " http/protobuf, port 4318); span export is off", null);
            return null;
        }
        String endpoint = endpoint(config);
        Map<String, String> headers = pairs(config.get(AgentConfig.OTEL_HEADERS, ""));
        Resource resource = resource(config, agentId);
        Supplier<SpanExporter> factory = () -> {
            OtlpHttpSpanExporterBuilder b = OtlpHttpSpanExporter.builder()
                    .setEndpoint(endpoint)
                    .setTimeout(Duration.ofSeconds(10))
                    // one quick retry: spans wait in our own bounded queues, not in the exporter
                    .setRetryPolicy(io.opentelemetry.sdk.common.export.RetryPolicy.builder()
                            .setMaxAttempts(2)
                            .setInitialBackoff(Duration.ofMillis(100))
                            .build())
                    // the sender's requests run on agentid's own threads, which the HTTP interceptor never
                    // decides or traces: agentid does not guard or record its own export
                    .setExecutorService(Executors.newCachedThreadPool(AgentThread.factory("agentid-export-http")))
                    .setComponentLoader(UrlConnectionSender.componentLoader(AgentInstaller.class.getClassLoader()));
            headers.forEach(b::addHeader);
            return b.build();
        };
        int allowed = config.getInt(AgentConfig.QUEUE_ALLOWED, 4096);
        int denied = config.getInt(AgentConfig.QUEUE_EVIDENCE, 16384);
        return new SpanPipeline(factory, agentId, resource, VERSION, denied, allowed);
    }

    private static Resource resource(AgentConfig config, String agentId) {
        AttributesBuilder a = Attributes.builder();
        pairs(config.get(AgentConfig.OTEL_RESOURCE_ATTRIBUTES, "")).forEach(a::put);
        a.put(AttributeKey.stringKey("service.name"), config.get(AgentConfig.OTEL_SERVICE_NAME, agentId));
        a.put(AttributeKey.stringKey("agentid.agent.id"), agentId);
        a.put(AttributeKey.stringKey("agentid.version"), VERSION);
        return Resource.getDefault().merge(Resource.create(a.build()));
    }

    private static Map<String, String> pairs(String text) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq > 0) {
                out.put(part.substring(0, eq).trim(), part.substring(eq + 1).trim());
            }
        }
        return out;
    }

    /** Reports classes that could not be instrumented; the class still loads, unmodified. */
    private static final class ErrorListener extends AgentBuilder.Listener.Adapter {
        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded,
                Throwable throwable) {
            AgentLog.warn("could not instrument " + typeName + ": " + throwable);
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
                DynamicType dynamicType) {
            if (AgentLog.debugEnabled()) {
                AgentLog.debug("instrumented " + type.getName());
            }
        }
    }
}
