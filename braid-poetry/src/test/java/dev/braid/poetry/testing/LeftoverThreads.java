package dev.braid.poetry.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The thread part of the janitor (reliability item 10 in docs/reliability.md), beside {@code
 * BraidExtension}'s check of delayed calls, ports, connections and unhandled failures: a test fails
 * if a thread it started is still alive 10 seconds after it ended (a reactor's pool finishes its
 * last task and exits; a server command's thread has returned). Threads the JVM or the build keep
 * around are ignored. Register it before {@code BraidExtension}, whose janitor (which stops the
 * real reactor) must run first: {@code @ExtendWith({LeftoverThreads.class, BraidExtension.class})}.
 */
@SuppressWarnings("exports") // a test class; JUnit is on the test path
public final class LeftoverThreads implements BeforeEachCallback, AfterEachCallback {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LeftoverThreads.class);

  /** Threads of the JVM and the tools, started on demand and kept: not the test's. */
  private static final List<String> JVM_THREADS =
      List.of(
          "ForkJoinPool",
          "process reaper",
          "Attach Listener",
          "Common-Cleaner",
          "VirtualThread-unblocker",
          "braid-unhandled-failures",
          "surefire");

  /** For JUnit, through {@code @ExtendWith(LeftoverThreads.class)}. */
  public LeftoverThreads() {}

  @Override
  public void beforeEach(ExtensionContext context) {
    context.getStore(NAMESPACE).put(Set.class, Set.copyOf(Thread.getAllStackTraces().keySet()));
  }

  @Override
  public void afterEach(ExtensionContext context) throws InterruptedException {
    @SuppressWarnings("unchecked")
    Set<Thread> before = context.getStore(NAMESPACE).get(Set.class, Set.class);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<Thread> left = new ArrayList<>();
    for (Thread t : Thread.getAllStackTraces().keySet()) {
      if (!before.contains(t) && t != Thread.currentThread() && !isJvms(t)) {
        left.add(t);
      }
    }
    List<String> alive = new ArrayList<>();
    for (Thread t : left) {
      t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
      if (t.getState() != Thread.State.TERMINATED) {
        alive.add(t.getName() + " (" + t.getState() + ")");
      }
    }
    if (!alive.isEmpty()) {
      throw new AssertionError("the test left threads running: " + alive);
    }
  }

  private static boolean isJvms(Thread t) {
    for (String prefix : JVM_THREADS) {
      if (t.getName().startsWith(prefix)) {
        return true;
      }
    }
    return false;
  }
}
