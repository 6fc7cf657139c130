package dev.braid.defer;

import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * Conformance section C and decision 7: chaining, long chains and {@code chainDeferred} run in
 * bounded stack depth. The big cases run on a fresh thread with the JVM's default stack size, so
 * the result does not depend on the test runner's thread.
 */
class DeferredStackSafetyTest {
  private static final int NESTED = 1_000_000;
  private static final int CALLBACKS = 10_000_000;
  private static final int CHAIN_LINKS = 1_000_000;

  // --- Scenario 28 ------------------------------------------------------------------------------

  private static long stackDepth() {
    return StackWalker.getInstance().walk(frames -> frames.count());
  }

  /** Twisted's test_boundedStackDepth: the stack depth at which the last callback runs. */
  private static long depthOfLastCallback(int n) {
    Deferred<Object> top = Deferred.create();
    List<Deferred<Object>> inners = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      inners.add(Deferred.create());
    }
    Deferred<Object> last = Deferred.create();
    long[] depth = {-1};
    top.addCallbackDeferred(x -> inners.get(n - 1));
    top.addCallback(
        x -> {
          depth[0] = stackDepth();
          return null;
        });
    for (int i = n - 1; i >= 1; i--) {
      Deferred<Object> next = inners.get(i - 1);
      inners.get(i).addCallbackDeferred(x -> next);
    }
    inners.get(0).addCallbackDeferred(x -> last);
    top.callback(null);
    for (Deferred<Object> inner : inners) {
      inner.callback(null);
    }
    assertThat(depth[0]).as("the last callback ran too early").isEqualTo(-1);
    last.callback(null);
    return depth[0];
  }

  @Test
  void theLastCallbackRunsAtTheSameStackDepthHoweverManyDeferredsAreChained() {
    long one = depthOfLastCallback(1);
    assertThat(one).isPositive();
    assertThat(depthOfLastCallback(2)).isEqualTo(one);
    assertThat(depthOfLastCallback(100)).isEqualTo(one);
  }

  // --- Scenario 29, with a million Deferreds ----------------------------------------------------

  /** N Deferreds where ds[i]'s callback returns ds[i+1], and ds[0] logs what it finally gets. */
  private static List<Deferred<Object>> nested(List<Object> log) {
    List<Deferred<Object>> ds = new ArrayList<>(NESTED);
    for (int i = 0; i < NESTED; i++) {
      ds.add(Deferred.create());
    }
    for (int i = 0; i < NESTED - 1; i++) {
      Deferred<Object> next = ds.get(i + 1);
      ds.get(i).addCallbackDeferred(x -> next);
    }
    ds.get(0).addCallback(log::add);
    return ds;
  }

  private static void assertEveryInnerEndsWithNull(List<Deferred<Object>> ds) {
    assertAllHoldNull(ds.subList(1, ds.size()));
  }

  private static void assertAllHoldNull(List<Deferred<Object>> ds) {
    int[] notNull = {0};
    Callback<Outcome<Object>, Object> check =
        outcome -> {
          if (!(outcome instanceof Outcome.Success<Object>(Object value) && value == null)) {
            notNull[0]++;
          }
          return null;
        };
    for (Deferred<Object> d : ds) {
      if (!d.hasResult()) {
        throw new AssertionError("no result: " + d);
      }
      d.addBoth(check);
    }
    assertThat(notNull[0]).as("Deferreds not holding null").isZero();
  }

  @Test
  void aMillionNestedDeferredsFiredTopDownThenTheBottomResolveWithoutOverflow() {
    onFreshThread(
        () -> {
          List<Object> log = new ArrayList<>();
          List<Deferred<Object>> ds = nested(log);
          for (int i = 0; i < NESTED - 1; i++) {
            ds.get(i).callback(null);
          }
          assertThat(log).isEmpty();
          ds.get(NESTED - 1).callback("bottom");
          assertThat(log).containsExactly("bottom");
          assertEveryInnerEndsWithNull(ds);
        });
  }

  @Test
  void aMillionNestedDeferredsFiredBottomFirstThenUpwardsResolveWithoutOverflow() {
    onFreshThread(
        () -> {
          List<Object> log = new ArrayList<>();
          List<Deferred<Object>> ds = nested(log);
          ds.get(NESTED - 1).callback("bottom");
          for (int i = NESTED - 2; i >= 0; i--) {
            ds.get(i).callback(null);
          }
          assertThat(log).containsExactly("bottom");
          assertEveryInnerEndsWithNull(ds);
        });
  }

  @Test
  void aMillionNestedDeferredsFiredInReverseThenTheBottomResolveWithoutOverflow() {
    onFreshThread(
        () -> {
          List<Object> log = new ArrayList<>();
          List<Deferred<Object>> ds = nested(log);
          for (int i = NESTED - 2; i >= 0; i--) {
            ds.get(i).callback(null);
          }
          assertThat(log).isEmpty();
          ds.get(NESTED - 1).callback("bottom");
          assertThat(log).containsExactly("bottom");
          assertEveryInnerEndsWithNull(ds);
        });
  }

  // --- Ten million callbacks, a million chainDeferred links --------------------------------------

  @Test
  void tenMillionCallbacksOnOneDeferredRunWithoutOverflow() {
    onFreshThread(
        () -> {
          int[] calls = {0};
          Callback<Object, Object> step =
              r -> {
                calls[0]++;
                return r;
              };
          Deferred<Object> d = Deferred.create();
          for (int i = 0; i < CALLBACKS; i++) {
            d.addCallback(step);
          }
          d.callback("through");
          assertThat(calls[0]).isEqualTo(CALLBACKS);
          assertThat(successResultOf(d)).isEqualTo("through");
        });
  }

  @Test
  void aMillionChainDeferredLinksHandTheResultDownWithoutOverflow_decision7() {
    onFreshThread(
        () -> {
          List<Deferred<Object>> ds = new ArrayList<>(CHAIN_LINKS);
          for (int i = 0; i < CHAIN_LINKS; i++) {
            ds.add(Deferred.create());
          }
          // Linked bottom-up, so each link is added before its source fires.
          for (int i = CHAIN_LINKS - 2; i >= 0; i--) {
            ds.get(i).chainDeferred(ds.get(i + 1));
          }
          List<Object> log = new ArrayList<>();
          ds.get(CHAIN_LINKS - 1).addCallback(log::add);

          ds.get(0).callback("handed down");

          assertThat(log).containsExactly("handed down");
          assertAllHoldNull(ds.subList(0, CHAIN_LINKS - 1));
        });
  }

  /** Runs {@code body} on a new thread with the default stack size and rethrows what it threw. */
  private static void onFreshThread(Runnable body) {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread thread = new Thread(body, "stack-safety");
    thread.setUncaughtExceptionHandler((t, e) -> thrown.set(e));
    thread.start();
    try {
      thread.join();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
    if (thrown.get() instanceof Error e) {
      throw e;
    }
    if (thrown.get() != null) {
      throw new AssertionError(thrown.get());
    }
  }
}
