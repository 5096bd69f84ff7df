/**
 * The bridge between advice inlined into application classes and the agent's isolated class loader.
 *
 * <p>These classes are appended to the bootstrap class path, so every class loader sees them: they must
 * depend on nothing but {@code java.base} (not even {@code java.sql}, which lives in the platform loader),
 * stay tiny, and never throw into the host except to carry the agent's deliberate block.
 *
 * <p>Concurrency: the delegate is published once through a volatile field; until then every hook is a no-op.
 */
package io.agentid.bootstrap;
