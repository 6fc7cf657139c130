package dev.braid.test;

import dev.braid.reactor.Reactor;

/**
 * Makes real reactors for {@link BraidExtension}: the seam through which a test gets a running
 * {@link Reactor} parameter instead of the {@link MemoryReactor} fake. Found with {@link
 * java.util.ServiceLoader} (a {@code provides dev.braid.test.ReactorProvider with ...} in a module,
 * or a {@code META-INF/services/dev.braid.test.ReactorProvider} entry on the class path); the first
 * one found is used.
 *
 * <p>The module that implements the reactor (braid-reactor's {@code SelectorReactor}) is expected
 * to ship one. Until one is on the class path, a test that asks for a {@link Reactor} parameter
 * fails with a message saying so.
 */
public interface ReactorProvider {
  /**
   * Makes a new reactor that has not run yet; the extension runs it on a thread of its own for the
   * length of one test and stops it afterwards.
   *
   * @return a fresh reactor
   */
  Reactor newReactor();
}
