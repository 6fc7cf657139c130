package dev.braid.reactor;

import dev.braid.defer.Async;
import dev.braid.net.ReactorThreads;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The hook through which code running <em>in lock-step</em> with a reactor thread is accepted as
 * running on it.
 *
 * <p>Braid's coroutines run a body on a virtual thread while the reactor thread waits for it, so
 * that exactly one of the two runs at any moment and the body sees reactor-thread semantics. A
 * reactor asks this hook, only when the caller is a virtual thread that is not the reactor thread
 * itself, which thread the caller is standing in for; if the answer is the reactor's thread, the
 * caller is accepted as if it were the reactor thread ({@link ReactorThreads#isReactorThread()} and
 * every reactor-only method). The default lookup is {@link Async#ownerThread()}, so the bodies of
 * {@link Async} coroutines (and the helper threads that carry their deep cascades) are accepted
 * while they run on the reactor's behalf; {@link #setOwnerLookup} replaces it for another lock-step
 * runner or a test.
 *
 * <p>Cost: nothing on the reactor thread itself (the identity check comes first), nothing for
 * platform threads.
 *
 * <p>Threading: thread-safe. The lookup runs on the calling thread and must be cheap and never
 * block; it is JVM-wide, since a virtual thread stands in for at most one thread at a time.
 */
public final class LockStep {
  private static final Supplier<Thread> ASYNC = Async::ownerThread;
  private static volatile Supplier<Thread> ownerLookup = ASYNC;

  private LockStep() {}

  /**
   * Installs the lookup that tells, on the calling thread, which thread it is running in lock-step
   * with (and currently holds the turn of), or null if none.
   *
   * @param lookup called on the calling thread; returns the owner thread or null
   */
  public static void setOwnerLookup(Supplier<Thread> lookup) {
    ownerLookup = Objects.requireNonNull(lookup, "lookup");
  }

  /**
   * Restores the default lookup, {@link Async#ownerThread()}: only the reactor thread itself and
   * coroutine bodies running in lock-step with it are accepted.
   */
  public static void clearOwnerLookup() {
    ownerLookup = ASYNC;
  }

  /**
   * Tells whether the calling thread is {@code owner} or runs in lock-step with it.
   *
   * @param owner a reactor thread, or null
   * @return true if the caller may act as {@code owner}
   */
  public static boolean actsAs(Thread owner) {
    Thread current = Thread.currentThread();
    if (current == owner) {
      return true;
    }
    return owner != null && current.isVirtual() && ownerLookup.get() == owner;
  }
}
