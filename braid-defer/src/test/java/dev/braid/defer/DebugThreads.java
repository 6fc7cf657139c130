package dev.braid.defer;

import java.lang.ref.WeakReference;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Runs a test body on a thread of its own with debug mode on, so that the body's Deferreds are
 * alone in their {@link PendingDeferreds} registry; and waits for garbage collection.
 */
final class DebugThreads {
  private DebugThreads() {}

  /** A test body that may throw. */
  @FunctionalInterface
  interface Body {
    void run() throws Exception;
  }

  /** Runs {@code body} with debug mode on, on a new thread, and rethrows what it threw. */
  static void inDebugMode(Body body) throws Exception {
    run(body, true);
  }

  /** Runs {@code body} with debug mode off, on a new thread, and rethrows what it threw. */
  static void outsideDebugMode(Body body) throws Exception {
    run(body, false);
  }

  private static void run(Body body, boolean debug) throws Exception {
    Throwable[] thrown = {null};
    boolean before = Deferred.isDebugging();
    Thread thread =
        new Thread(
            () -> {
              try {
                body.run();
              } catch (Throwable t) {
                thrown[0] = t;
              }
            },
            "debug-test-" + System.nanoTime());
    Deferred.setDebugging(debug);
    try {
      thread.start();
      thread.join();
    } finally {
      Deferred.setDebugging(before);
    }
    if (thrown[0] instanceof Exception e) {
      throw e;
    }
    if (thrown[0] instanceof Error e) {
      throw e;
    }
  }

  /** Asks for collections until {@code ref} is cleared, or 10 seconds have passed. */
  static boolean collected(WeakReference<?> ref) {
    return gcUntil(() -> ref.get() == null);
  }

  /** Asks for collections until {@code done} is true, or 10 seconds have passed. */
  static boolean gcUntil(BooleanSupplier done) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        return false;
      }
      System.gc();
      Thread.onSpinWait();
    }
    return true;
  }
}
