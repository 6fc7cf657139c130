package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Conformance section L (inlineCallbacks and coroutines) for {@link Async}. Python's {@code yield
 * d} and {@code await d} both become {@code Async.await(d)}; {@code yield 5} of a plain value
 * becomes {@code Async.await(Deferred.succeed(5))}; {@code deferLater(c, 0, f)} is {@link
 * Deferreds#deferLater}.
 */
@ExtendWith(AsyncHygiene.class)
class AsyncConformanceTest {

  static final class TerminalException extends Exception {
    private static final long serialVersionUID = 1L;

    TerminalException(String message) {
      super(message);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // 76. Basics: await values and Deferreds, catch failures, return.
  @Test
  void bodyAwaitsADelayedValueCatchesAFailureAndReturns() {
    VirtualClock c = VirtualClock.create();
    Deferred<String> d =
        Async.run(
            () -> {
              String x = Async.await(Deferreds.deferLater(c, 0, () -> "hi"));
              assertThat(x).isEqualTo("hi");
              try {
                Async.await(Deferred.fail(new ArithmeticException("OMG")));
                throw new AssertionError("await did not throw");
              } catch (ArithmeticException e) {
                assertThat(e).hasMessage("OMG");
              }
              return "WOOSH";
            });
    assertNoResult(d);
    c.advance(0);
    assertThat(successResultOf(d)).isEqualTo("WOOSH");
  }

  @Test
  void awaitOfAPlainValueThenReturningIt() {
    Deferred<Integer> g2 =
        Async.run(
            () -> {
              Async.await(Deferred.succeed(5));
              return 5;
            });
    assertThat(successResultOf(g2)).isEqualTo(5);
  }

  @Test
  void returningNothingAfterAnAwaitGivesNull() {
    Deferred<Void> g3 =
        Async.run(
            () -> {
              Async.await(Deferred.succeed(5));
              return null;
            });
    assertThat(successResultOf(g3)).isNull();
  }

  @Test
  void aBodyThatNeverAwaitsGivesItsReturnValue() {
    Deferred<Void> g4 = Async.run(() -> null);
    assertThat(successResultOf(g4)).isNull();
  }

  @Test
  void anExceptionAfterAnAwaitFailsTheResult() {
    VirtualClock c = VirtualClock.create();
    Deferred<Void> g5 =
        Async.run(
            () -> {
              Async.await(Deferreds.deferLater(c, 0, () -> null));
              throw new ArithmeticException();
            });
    c.advance(0);
    assertThat(failureResultOf(g5).value()).isInstanceOf(ArithmeticException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // 77. Handled terminal failures are not reported as unhandled.
  @Test
  void aFailureCaughtInTheBodyIsHandled() {
    long mark = UnhandledFailures.mark();
    Deferred<Void> g =
        Async.run(
            () -> {
              try {
                Async.await(Deferred.fail(new TerminalException("x")));
              } catch (TerminalException e) {
                // handled
              }
              return null;
            });
    assertThat(successResultOf(g)).isNull();
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void anAsynchronousFailureCaughtInTheBodyIsHandled() {
    long mark = UnhandledFailures.mark();
    Deferred<Void> d = Deferred.create();
    Deferred<Void> r = h(d);
    d.errback(new TerminalException("Handled Terminal Failure"));
    assertThat(successResultOf(r)).isNull();
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  private Deferred<Void> h(Deferred<Void> d) {
    return Async.run(
        () -> {
          try {
            Async.await(d);
          } catch (TerminalException e) {
            // handled
          }
          return null;
        });
  }

  // ---------------------------------------------------------------------------------------------
  // 79. Synchronous start; an await that suspended consumes the awaited result.
  @Test
  void bodyRunsUntilItsFirstSuspensionBeforeRunReturns() {
    List<Object> log = new ArrayList<>();
    Deferred<Integer> dd = Deferred.create();
    Deferred<Integer> r =
        Async.run(
            () -> {
              log.add("start");
              int v = Async.await(dd);
              log.add(List.of("resumed", v));
              return v * 2;
            });
    log.add("returned");
    assertThat(log).containsExactly("start", "returned");
    assertNoResult(r);

    dd.callback(21);

    assertThat(log).containsExactly("start", "returned", List.of("resumed", 21));
    assertThat(successResultOf(r)).isEqualTo(42);
  }

  /**
   * Adapted: Twisted's {@code yield x} of a fired Deferred consumes it, so there {@code x after}
   * sees null; Braid's {@code await} follows Twisted's {@code await x}, which leaves a fired result
   * in place (conformance 88), so it sees 5.
   */
  @Test
  void awaitOfAFiredDeferredLeavesItsResultForLaterCallbacks() {
    List<Object> log = new ArrayList<>();
    Deferred<Integer> x = Deferred.succeed(5);
    Deferred<Void> k =
        Async.run(
            () -> {
              int v = Async.await(x);
              log.add(List.of("got", v));
              return null;
            });
    x.addCallback(
        result -> {
          log.add(List.of("x after", String.valueOf(result)));
          return result;
        });
    assertThat(log).containsExactly(List.of("got", 5), List.of("x after", "5"));
    successResultOf(k);
  }

  @Test
  void awaitThatSuspendedLeavesNullForLaterCallbacks() {
    List<Object> log = new ArrayList<>();
    Deferred<Integer> x = Deferred.create();
    Deferred<Void> k =
        Async.run(
            () -> {
              int v = Async.await(x);
              log.add(List.of("got", v));
              return null;
            });
    x.addCallback(
        result -> {
          log.add(List.of("x after", String.valueOf(result)));
          return result;
        });
    x.callback(5);
    assertThat(log).containsExactly(List.of("got", 5), List.of("x after", "null"));
    successResultOf(k);
  }

  // ---------------------------------------------------------------------------------------------
  // 80. Several coroutines waiting on each other keep Twisted's ordering.
  final List<Object> log = new ArrayList<>();
  final List<Object[]> pending = new ArrayList<>();

  Deferred<Integer> f1(int start) {
    return Async.run(
        () -> {
          log.add("f1 enter " + start);
          Deferred<Integer> d = Deferred.create();
          pending.add(new Object[] {d, start});
          int x = Async.await(d);
          x += 1;
          log.add("f1 exit " + x);
          return x;
        });
  }

  Deferred<Integer> f2(int start) {
    return Async.run(
        () -> {
          log.add("f2 enter " + start);
          int x = Async.await(f1(start));
          x = Async.await(f1(x));
          x = Async.await(f1(x));
          x += 2;
          log.add("f2 exit " + x);
          return x;
        });
  }

  Deferred<Integer> f3(int start) {
    return Async.run(
        () -> {
          log.add("f3 enter " + start);
          int x = Async.await(f2(start));
          x = Async.await(f2(x));
          x = Async.await(f2(x));
          x += 4;
          log.add("f3 exit " + x);
          return x;
        });
  }

  @SuppressWarnings("unchecked")
  void firePending() {
    for (int i = 0; i < pending.size(); i++) { // the list grows while we go
      Object[] entry = pending.get(i);
      Deferred<Object> d = (Deferred<Object>) entry[0];
      if (entry[1] instanceof Throwable t) {
        d.errback(t);
      } else {
        d.callback(entry[1]);
      }
    }
  }

  @Test
  void nestedCoroutinesWithSeveralAwaitsEachResumeInTwistedsOrder() {
    Deferred<Integer> res = f3(1);
    firePending();
    assertThat(successResultOf(res)).isEqualTo(20);
    assertThat(log)
        .containsExactly(
            "f3 enter 1",
            "f2 enter 1",
            "f1 enter 1",
            "f1 exit 2",
            "f1 enter 2",
            "f1 exit 3",
            "f1 enter 3",
            "f1 exit 4",
            "f2 exit 6",
            "f2 enter 6",
            "f1 enter 6",
            "f1 exit 7",
            "f1 enter 7",
            "f1 exit 8",
            "f1 enter 8",
            "f1 exit 9",
            "f2 exit 11",
            "f2 enter 11",
            "f1 enter 11",
            "f1 exit 12",
            "f1 enter 12",
            "f1 exit 13",
            "f1 enter 13",
            "f1 exit 14",
            "f2 exit 16",
            "f3 exit 20");
  }

  @Test
  void nestedCoroutinesWithOneAwaitEachResumeInTwistedsOrder() {
    Deferred<Integer> res =
        Async.run(
            () -> {
              log.add("f3 enter 1");
              int x =
                  Async.await(
                      Async.run(
                          () -> {
                            log.add("f2 enter 1");
                            int y = Async.await(f1(1)) + 2;
                            log.add("f2 exit " + y);
                            return y;
                          }));
              x += 4;
              log.add("f3 exit " + x);
              return x;
            });
    firePending();
    assertThat(successResultOf(res)).isEqualTo(8);
    assertThat(log)
        .containsExactly(
            "f3 enter 1", "f2 enter 1", "f1 enter 1", "f1 exit 2", "f2 exit 4", "f3 exit 8");
  }

  // -------------------------------------------------------------------------------------------
  // 82. A failure from a nested coroutine caught by the caller.

  static final class MyException extends Exception {
    private static final long serialVersionUID = 1L;
  }

  Deferred<Integer> failingF2(int start) {
    return Async.run(
        () -> {
          log.add("f2 enter " + start);
          Deferred<Integer> d = Deferred.create();
          pending.add(new Object[] {d, new MyException()});
          int x = Async.await(d);
          log.add("f2 exit " + x);
          return x;
        });
  }

  @Test
  void aFailureFromANestedCoroutineAfterAnotherOneIsCaughtByTheCaller() {
    Deferred<Integer> res =
        Async.run(
            () -> {
              log.add("f3 enter 1");
              int x = Async.await(f1(1));
              try {
                x = Async.await(failingF2(x));
              } catch (MyException e) {
                // caught
              }
              x += 4;
              log.add("f3 exit " + x);
              return x;
            });
    firePending();
    assertThat(successResultOf(res)).isEqualTo(6);
    assertThat(log)
        .containsExactly("f3 enter 1", "f1 enter 1", "f1 exit 2", "f2 enter 2", "f3 exit 6");
  }

  @Test
  void aFailureFromTheFirstNestedCoroutineIsCaughtByTheCaller() {
    Deferred<Integer> res =
        Async.run(
            () -> {
              log.add("f3 enter 1");
              int x = 1;
              try {
                x = Async.await(failingF2(x));
              } catch (MyException e) {
                // caught
              }
              x += 4;
              log.add("f3 exit " + x);
              return x;
            });
    firePending();
    assertThat(successResultOf(res)).isEqualTo(5);
    assertThat(log).containsExactly("f3 enter 1", "f2 enter 1", "f3 exit 5");
  }

  // ---------------------------------------------------------------------------------------------
  // 83, 85, 86. Cancellation.
  static final class Untranslated extends Exception {
    private static final long serialVersionUID = 1L;
  }

  static final class Translated extends Exception {
    private static final long serialVersionUID = 1L;
  }

  static final class DontFail extends Exception {
    private static final long serialVersionUID = 1L;
    final int actualValue;

    DontFail(int actualValue) {
      this.actualValue = actualValue;
    }
  }

  /** Twisted's test generator: awaits {@code first} if any, then the child, translating. */
  Deferred<Integer> g(Callable<Deferred<Integer>> getChild, Deferred<?> first) {
    return Async.run(
        () -> {
          if (first != null) {
            Async.await(first);
          }
          int x;
          try {
            x = Async.await(getChild.call());
          } catch (Untranslated e) {
            throw new Translated();
          } catch (DontFail df) {
            x = df.actualValue - 2;
          }
          return x + 1;
        });
  }

  /** The child awaited directly, through an intermediate coroutine, or through two. */
  Callable<Deferred<Integer>> through(int intermediates, Callable<Deferred<Integer>> getChild) {
    Callable<Deferred<Integer>> result = getChild;
    for (int i = 0; i < intermediates; i++) {
      Callable<Deferred<Integer>> inner = result;
      result = () -> Async.run(() -> Async.await(inner.call()));
    }
    return result;
  }

  @Test
  void cancellingCascadesToTheAwaitedDeferredAndTheBodySeesCancelledException() {
    for (int intermediates = 0; intermediates <= 2; intermediates++) {
      for (boolean firstAwait : new boolean[] {false, true}) {
        Class<?>[] seenType = new Class<?>[1];
        Deferred<Integer> child = Deferred.create();
        child.addErrback(
            f -> {
              seenType[0] = f.check(CancelledException.class);
              return f.raiseException();
            });
        Deferred<Void> first = firstAwait ? Deferred.create() : null;
        Deferred<Integer> d = g(through(intermediates, () -> child), first);
        if (first != null) {
          first.callback(null);
        }
        d.addErrback(f -> null);
        d.cancel();
        assertThat(seenType[0])
            .as("intermediates %d, first await %s", intermediates, firstAwait)
            .isEqualTo(CancelledException.class);
        assertThat(successResultOf(d)).isNull();
      }
    }
  }

  @Test
  void anUncaughtCancelledExceptionFailsTheCoroutine() {
    for (int intermediates = 0; intermediates <= 2; intermediates++) {
      Deferred<Integer> e = g(through(intermediates, Deferred::create), null);
      e.cancel();
      assertThat(failureResultOf(e).value()).isInstanceOf(CancelledException.class);
    }
  }

  @Test
  void anErrorFromTheAwaitedCancellerReachesTheBodyWhichMayTranslateIt() {
    for (int intermediates = 0; intermediates <= 1; intermediates++) {
      Deferred<Integer> d =
          g(
              through(intermediates, () -> Deferred.create(c -> c.errback(new Untranslated()))),
              null);
      d.cancel();
      assertThat(failureResultOf(d).value()).isInstanceOf(Translated.class);
    }
  }

  @Test
  void anErrorFromTheAwaitedCancellerMayBecomeASuccess() {
    for (int intermediates = 0; intermediates <= 1; intermediates++) {
      Deferred<Integer> d =
          g(through(intermediates, () -> Deferred.create(c -> c.errback(new DontFail(1)))), null);
      d.cancel();
      assertThat(successResultOf(d)).isEqualTo(0);
    }
  }

  @Test
  void aValueFromTheAwaitedCancellerIsWhatTheBodyGets() {
    Deferred<Integer> d = g(() -> Deferred.create(c -> c.callback(41)), null);
    d.cancel();
    assertThat(successResultOf(d)).isEqualTo(42);
  }

  /** 85. Asynchronous cancellation: the coroutine's Deferred waits for the body. */
  @Test
  void theCoroutinesDeferredWaitsForTheBodyAfterACancellation() {
    for (int intermediates = 0; intermediates <= 2; intermediates++) {
      Deferred<Integer> more = Deferred.create();
      Callable<Deferred<Integer>> child =
          () ->
              Deferred.<Integer>create()
                  .addErrbackDeferred(
                      f -> {
                        f.trap(CancelledException.class);
                        return more;
                      });
      Deferred<Integer> d = g(through(intermediates, child), null);
      d.cancel();
      assertNoResult(d);
      more.callback(6543);
      assertThat(successResultOf(d)).as("intermediates %d", intermediates).isEqualTo(6544);
    }
  }

  /** 86. A body that catches the cancellation; cancel twice. */
  @Test
  void aBodyThatCatchesTheCancellationIsCancelledAgainAtItsNextAwait() {
    List<Deferred<Void>> c1 = new ArrayList<>();
    List<Deferred<Void>> c2 = new ArrayList<>();
    Deferred<Void> d1 = Deferred.create(c1::add);
    Deferred<Void> d2 = Deferred.create(c2::add);
    Deferred<Void> d =
        Async.run(
            () -> {
              try {
                Async.await(d1);
              } catch (Exception e) {
                // swallowed
              }
              Async.await(d2);
              return null;
            });
    assertNoResult(d);
    assertThat(c1).isEmpty();
    assertThat(c2).isEmpty();

    d.cancel();
    assertThat(c1).containsExactly(d1);
    assertThat(c2).isEmpty();
    assertNoResult(d);

    d.cancel();
    assertThat(failureResultOf(d).value()).isInstanceOf(CancelledException.class);
    assertThat(c2).containsExactly(d2);
  }

  // ---------------------------------------------------------------------------------------------
  // 88. A fired Deferred keeps its result; a suspended await consumes it.
  @Test
  void awaitOfAFiredDeferredKeepsItsResult() {
    Deferred<Integer> x = Deferred.succeed(5);
    Deferred<Integer> r = Async.run(() -> Async.await(x));
    assertThat(successResultOf(r)).isEqualTo(5);
    assertThat(successResultOf(x)).isEqualTo(5);
  }

  @Test
  void awaitThatSuspendedLeavesNull() {
    Deferred<Integer> y = Deferred.create();
    Deferred<Integer> r2 = Async.run(() -> Async.await(y));
    y.callback(6);
    assertThat(successResultOf(r2)).isEqualTo(6);
    assertThat(successResultOf(y)).isNull();
  }

  @Test
  void aCaughtFailureOfAFiredDeferredIsNotReportedAsUnhandled() {
    long mark = UnhandledFailures.mark();
    Deferred<Integer> z = Deferred.fail(new IllegalArgumentException("Boom"));
    Deferred<String> r3 =
        Async.run(
            () -> {
              try {
                Async.await(z);
                return "no exception";
              } catch (IllegalArgumentException e) {
                return e.getMessage();
              }
            });
    assertThat(successResultOf(r3)).isEqualTo("Boom");
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void awaitOfADeferredChainedToALaterOneGetsTheLaterResult() {
    VirtualClock c = VirtualClock.create();
    Deferred<String> r4 =
        Async.run(
            () -> {
              Deferred<String> d = Deferred.create();
              Deferred<String> d2 = Deferred.create();
              Deferred<String> chained = d.addCallbackDeferred(ignored -> d2);
              d.callback(null);
              c.callLater(0, () -> d2.callback("bye"));
              return Async.await(chained);
            });
    c.advance(0.1);
    assertThat(successResultOf(r4)).isEqualTo("bye");
  }
}
