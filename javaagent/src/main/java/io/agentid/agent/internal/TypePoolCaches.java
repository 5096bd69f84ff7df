package io.agentid.agent.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Byte Buddy's type descriptions cached per class loader for as long as the loader lives: matching each
 * loading class against its super types then parses a driver's base classes (and {@code java.lang.Object})
 * once, not once per class (~0.2-0.3 s of start-up in the JDBC benchmark). Loaders are held weakly, so an
 * undeployed application's loader is not kept alive, and descriptions softly, so memory pressure can clear them.
 */
final class TypePoolCaches extends AgentBuilder.PoolStrategy.WithTypePoolCache {
    private static final ClassLoader BOOTSTRAP = new ClassLoader(null) {};

    private final Cache<ClassLoader, TypePool.CacheProvider> caches =
            Caffeine.newBuilder().weakKeys().executor(Runnable::run).build();

    TypePoolCaches() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader loader) {
        return caches.get(loader == null ? BOOTSTRAP : loader, k -> new TypePool.CacheProvider.Simple.UsingSoftReference());
    }
}
