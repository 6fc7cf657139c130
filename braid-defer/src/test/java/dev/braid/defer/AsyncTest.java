package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ConnectException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(AsyncHygiene.class)
class AsyncTest {

  // ---------------------------------------------------------------------------------------------
  // Running and resuming

  @Test
  void bodyRunsSynchronouslyUpToItsFirstAwaitOfAnUnfiredDeferred() {
    List<String> log = new ArrayList<>();
    Deferred<Integer> d = Deferred.create();
    Deferred<Integer> r =
        Async.run(
            () -> {
              log.add("start");
              int v = Async.await(d);
              log.add("resumed " + v);
              return v * 2;
            });
    log.add("returned");
    assertThat(log).containsExactly("start", "returned");
    assertNoResult(r);

    d.callback(21);

    assertThat(log).containsExactly("start", "returned", "resumed 21");
    assertThat(successResultOf(r)).isEqualTo(42);
  }

  @Test
  void bodyThatNeverSuspendsHasFiredItsDeferredWhenRunReturns() {
    Deferred<String> r = Async.run(() -> "done");
    assertThat(successResultOf(r)).isEqualTo("done");
  }

  @Test
  void bodyResumesInsideTheCallbackCallThatFiresTheAwaitedDeferred() {
    List<String> log = new ArrayList<>();
    Deferred<String> d = Deferred.create();
    d.addCallback(
        v -> {
          log.add("callback added before the await got " + v);
          return v;
        });
    Deferred<Void> r =
        Async.run(
            () -> {
              log.add("body got " + Async.await(d));
              return null;
            });
    d.addCallback(
        v -> {
          log.add("callback added after the await got " + v);
          return v;
        });

    d.callback("x");
    log.add("callback() returned");

    assertThat(log)
        .containsExactly(
            "callback added before the await got x",
            "body got x",
            "callback added after the await got null",
            "callback() returned");
    assertThat(successResultOf(r)).isNull();
  }

  @Test
  void writesOnEitherSideOfTheHandOffAreVisibleToTheOtherSide() {
    // Plain (non-volatile) fields, written alternately by the body and the firing thread: the
    // hand-off must publish them both ways.
    int rounds = 10_000;
    int[] counter = {0};
    Queue<Deferred<Void>> next = new ArrayDeque<>();
    Deferred<Integer> r =
        Async.run(
            () -> {
              for (int i = 0; i < rounds; i++) {
                counter[0]++;
                Deferred<Void> d = Deferred.create();
                next.add(d);
                Async.await(d);
              }
              return counter[0];
            });
    for (int i = 0; i < rounds; i++) {
      assertThat(counter[0]).isEqualTo(2 * i + 1);
      counter[0]++;
      next.remove().callback(null);
    }
    assertThat(successResultOf(r)).isEqualTo(2 * rounds);
  }

  // ---------------------------------------------------------------------------------------------
  // await

  @Test
  void awaitOfAFiredDeferredReturnsItsValueWithoutConsumingIt() {
    Deferred<Integer> x = Deferred.succeed(5);
    Deferred<Integer> r = Async.run(() -> Async.await(x));
    assertThat(successResultOf(r)).isEqualTo(5);
    assertThat(successResultOf(x)).isEqualTo(5);
  }

  @Test
  void awaitThatSuspendedConsumesTheResult() {
    Deferred<Integer> y = Deferred.create();
    Deferred<Integer> r = Async.run(() -> Async.await(y));
    y.callback(6);
    assertThat(successResultOf(r)).isEqualTo(6);
    assertThat(successResultOf(y)).isNull();
  }

  @Test
  void awaitOfAFailedDeferredThrowsTheSameExceptionAndMarksTheFailureHandled() {
    IllegalArgumentException boom = new IllegalArgumentException("Boom");
    Deferred<Integer> z = Deferred.fail(boom);
    long mark = UnhandledFailures.mark() - 1;
    assertThat(UnhandledFailures.pendingSince(mark))
        .anySatisfy(u -> assertThat(u.failure().value()).isSameAs(boom));

    Deferred<Object> r =
        Async.run(
            () -> {
              try {
                return Async.await(z);
              } catch (IllegalArgumentException e) {
                return e;
              }
            });

    assertThat(successResultOf(r)).isSameAs(boom);
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
    assertThat(failureResultOf(z).value()).as("z keeps its failure").isSameAs(boom);
  }

  @Test
  void awaitOfADeferredThatFailsLaterThrowsTheSameExceptionAndHandlesTheFailure() {
    long mark = UnhandledFailures.mark();
    IllegalStateException late = new IllegalStateException("later");
    Deferred<Integer> d = Deferred.create();
    Deferred<Object> r =
        Async.run(
            () -> {
              try {
                return Async.await(d);
              } catch (IllegalStateException e) {
                return e;
              }
            });
    d.errback(late);
    assertThat(successResultOf(r)).isSameAs(late);
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void awaitOfAPausedDeferredWithAResultSuspendsUntilItIsUnpaused() {
    Deferred<String> d = Deferred.create();
    d.pause();
    d.callback("held");
    Deferred<String> r = Async.run(() -> Async.await(d));
    assertNoResult(r);
    d.unpause();
    assertThat(successResultOf(r)).isEqualTo("held");
  }

  @Test
  void awaitOfADeferredWaitingOnAnInnerOneSuspendsUntilTheInnerFires() {
    VirtualClock clock = VirtualClock.create();
    Deferred<String> r4 =
        Async.run(
            () -> {
              Deferred<String> d = Deferred.create();
              Deferred<String> d2 = Deferred.create();
              Deferred<String> waiting = d.addCallbackDeferred(ignored -> d2);
              d.callback(null);
              clock.callLater(0, () -> d2.callback("bye"));
              return Async.await(waiting);
            });
    assertNoResult(r4);
    clock.advance(0.1);
    assertThat(successResultOf(r4)).isEqualTo("bye");
  }

  @Test
  void aHundredThousandAwaitsOfFiredDeferredsNeitherSuspendNorGrowTheStack() {
    int[] depths = new int[2];
    Deferred<Long> r =
        Async.run(
            () -> {
              depths[0] = Thread.currentThread().getStackTrace().length;
              long sum = 0;
              for (int i = 0; i < 100_000; i++) {
                sum += Async.await(Deferred.succeed(1));
              }
              depths[1] = Thread.currentThread().getStackTrace().length;
              return sum;
            });
    // It fired before run() returned, so no await suspended: nothing else could have resumed it.
    assertThat(successResultOf(r)).isEqualTo(100_000L);
    assertThat(depths[1]).isEqualTo(depths[0]);
  }

  @Test
  void aHundredThousandSuspensionsInARowKeepTheBodysStackFlat() {
    int n = 100_000;
    Queue<Deferred<Integer>> next = new ArrayDeque<>();
    int[] bodyDepths = new int[2];
    Deferred<Long> r =
        Async.run(
            () -> {
              long sum = 0;
              for (int i = 0; i < n; i++) {
                if (i == 1) {
                  bodyDepths[0] = Thread.currentThread().getStackTrace().length;
                }
                Deferred<Integer> d = Deferred.create();
                next.add(d);
                sum += Async.await(d);
              }
              bodyDepths[1] = Thread.currentThread().getStackTrace().length;
              return sum;
            });
    for (int i = 0; i < n; i++) {
      next.remove().callback(2);
    }
    assertThat(successResultOf(r)).isEqualTo(2L * n);
    assertThat(bodyDepths[1]).isEqualTo(bodyDepths[0]);
  }

  @Test
  void aBodyFeedingAnotherBodyResumesItWithoutGrowingEitherStack() {
    int n = 10_000;
    Queue<Deferred<Integer>> inbox = new ArrayDeque<>();
    int[] depths = new int[2];
    Deferred<Long> consumer =
        Async.run(
            () -> {
              long sum = 0;
              for (int i = 0; i < n; i++) {
                Deferred<Integer> d = Deferred.create();
                inbox.add(d);
                sum += Async.await(d);
              }
              return sum;
            });
    Deferred<Void> go = Deferred.create();
    Deferred<Void> producer =
        Async.run(
            () -> {
              Async.await(go);
              for (int i = 0; i < n; i++) {
                depths[i == 0 ? 0 : 1] = Thread.currentThread().getStackTrace().length;
                inbox.remove().callback(1); // resumes the consumer on this body's thread
              }
              return null;
            });
    go.callback(null);
    successResultOf(producer);
    assertThat(successResultOf(consumer)).isEqualTo(n);
    assertThat(depths[1]).isEqualTo(depths[0]);
  }

  @Test
  void twoBodiesSuspendedOnOneDeferredGetTheValueAndThenNull() {
    Deferred<String> shared = Deferred.create();
    Deferred<String> first = Async.run(() -> Async.await(shared));
    Deferred<String> second = Async.run(() -> Async.await(shared));
    shared.callback("v");
    assertThat(successResultOf(first)).isEqualTo("v");
    assertThat(successResultOf(second)).isNull();
  }

  @Test
  void awaitOutsideACoroutineThrowsIllegalStateException() {
    assertThatThrownBy(() -> Async.await(Deferred.succeed(1)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("outside a coroutine body");
  }

  @Test
  void awaitOnAThreadThatABodyStartedIsOutsideACoroutine() throws Exception {
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Deferred<Void> r =
        Async.run(
            () -> {
              Thread helper =
                  Thread.ofPlatform()
                      .start(
                          () -> {
                            try {
                              Async.await(Deferred.succeed(1));
                            } catch (Throwable t) {
                              thrown.set(t);
                            }
                          });
              assertThat(helper.join(Duration.ofSeconds(10))).isTrue();
              return null;
            });
    successResultOf(r);
    assertThat(thrown.get()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void awaitOfTheBodysOwnResultThrowsIllegalStateException() {
    List<Deferred<String>> own = new ArrayList<>();
    Deferred<Void> gate = Deferred.create();
    Deferred<String> r =
        Async.run(
            () -> {
              Async.await(gate);
              try {
                return Async.await(own.get(0));
              } catch (IllegalStateException e) {
                return e.getMessage();
              }
            });
    own.add(r);
    gate.callback(null);
    assertThat(successResultOf(r)).contains("awaited its own result");
  }

  @Test
  void awaitOfNullThrowsNullPointerException() {
    Deferred<String> r =
        Async.run(
            () -> {
              try {
                Async.await(null);
                return "no exception";
              } catch (NullPointerException e) {
                return "NPE";
              }
            });
    assertThat(successResultOf(r)).isEqualTo("NPE");
    assertThatThrownBy(() -> Async.run(null)).isInstanceOf(NullPointerException.class);
  }

  // ---------------------------------------------------------------------------------------------
  // How the body ends; exceptions

  @Test
  void anExceptionEscapingTheBodyFailsItsDeferredWithTheSameObject() {
    IllegalStateException oops = new IllegalStateException("oops");
    Deferred<Integer> d = Deferred.create();
    Deferred<Integer> r =
        Async.run(
            () -> {
              Async.await(d);
              throw oops;
            });
    d.callback(1);
    assertThat(failureResultOf(r).value()).isSameAs(oops);
  }

  @Test
  void aCheckedExceptionIsThrownByAwaitWithItsOwnType() {
    ConnectException refused = new ConnectException("refused");
    Deferred<String> request = Deferred.create();
    Deferred<String> r =
        Async.run(
            () -> {
              try {
                return Async.await(request);
              } catch (ConnectException e) {
                return "caught " + e.getMessage() + (e == refused ? " (same object)" : "");
              }
            });
    request.errback(refused);
    assertThat(successResultOf(r)).isEqualTo("caught refused (same object)");
  }

  @Test
  void aCheckedExceptionEscapingTheBodyFailsItsDeferredUnwrapped() {
    IOException io = new IOException("disk");
    Deferred<Object> r =
        Async.run(
            () -> {
              throw io;
            });
    assertThat(failureResultOf(r).value()).isSameAs(io);
  }

  @Test
  void anErrorAndABareThrowableAreThrownByAwaitAsTheyAre() {
    Error error = new StackOverflowError("pretend");
    Throwable bare = new Throwable("bare");
    Deferred<List<Object>> r =
        Async.run(
            () -> {
              List<Object> caught = new ArrayList<>();
              try {
                Async.await(Deferred.fail(error));
              } catch (StackOverflowError e) {
                caught.add(e);
              }
              try {
                Async.await(Deferred.fail(bare));
              } catch (Throwable t) {
                caught.add(t);
              }
              return caught;
            });
    assertThat(successResultOf(r)).containsExactly(error, bare);
  }

  @Test
  void anExceptionKeepsItsStackTraceWhenItCrossesCoroutines() {
    StackTraceElement[][] original = new StackTraceElement[1][];
    Deferred<Void> go = Deferred.create();
    Deferred<Void> thrower =
        Async.run(
            () -> {
              Async.await(go);
              IllegalStateException e = createdInTheThrowingBody();
              original[0] = e.getStackTrace().clone();
              throw e;
            });
    Deferred<Throwable> catcher =
        Async.run(
            () -> {
              try {
                Async.await(thrower);
                return null;
              } catch (IllegalStateException e) {
                return e;
              }
            });
    go.callback(null);

    Throwable caught = successResultOf(catcher);
    assertThat(caught).isInstanceOf(IllegalStateException.class).hasMessage("from the thrower");
    assertThat(caught.getStackTrace()).isEqualTo(original[0]);
    assertThat(Arrays.stream(caught.getStackTrace()).map(StackTraceElement::getMethodName))
        .contains("createdInTheThrowingBody");
    assertThat(caught.getSuppressed()).isEmpty();
    assertThat(caught.getCause()).isNull();
  }

  private static IllegalStateException createdInTheThrowingBody() {
    return new IllegalStateException("from the thrower");
  }

  @Test
  void aBodyThatReturnsADeferredFailsWithIllegalStateException() {
    Deferred<Deferred<String>> r = Async.run(() -> Deferred.succeed("inner"));
    Failure f = failureResultOf(r);
    assertThat(f.value())
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("returned a Deferred");
  }

  @Test
  void aBodyFailureThatNobodyHandlesIsTrackedAsUnhandled() {
    long mark = UnhandledFailures.mark();
    IllegalStateException lost = new IllegalStateException("nobody handles me");
    Deferred<Void> d = Deferred.create();
    Deferred<Void> r =
        Async.run(
            () -> {
              Async.await(d);
              throw lost;
            });
    d.callback(null);
    assertThat(UnhandledFailures.pendingSince(mark))
        .singleElement()
        .satisfies(u -> assertThat(u.failure().value()).isSameAs(lost));

    r.addErrback(f -> null);
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  // ---------------------------------------------------------------------------------------------
  // Threads

  @Test
  void isInCoroutineTellsABodyFromOtherCode() {
    assertThat(Async.isInCoroutine()).isFalse();
    Deferred<Boolean> r = Async.run(Async::isInCoroutine);
    assertThat(successResultOf(r)).isTrue();
  }

  @Test
  void ownerThreadOfABodyIsTheThreadThatResumedItEvenThroughNestedBodies() {
    Thread me = Thread.currentThread();
    assertThat(Async.ownerThread()).isSameAs(me);
    List<Thread> seen = new ArrayList<>();
    Deferred<Void> d = Deferred.create();
    Deferred<Void> outer =
        Async.run(
            () -> {
              seen.add(Thread.currentThread());
              seen.add(Async.ownerThread());
              Deferred<Void> inner =
                  Async.run(
                      () -> {
                        seen.add(Async.ownerThread());
                        Async.await(d);
                        seen.add(Async.ownerThread());
                        return null;
                      });
              return Async.await(inner);
            });
    d.callback(null);
    successResultOf(outer);
    assertThat(seen.get(0)).isNotSameAs(me);
    assertThat(seen.get(0).isVirtual()).isTrue();
    assertThat(seen.subList(1, 4)).containsOnly(me);
  }

  @Test
  void ownerThreadFollowsTheThreadThatFiresTheAwaitedDeferred() throws Exception {
    List<Thread> seen = new ArrayList<>();
    Deferred<Void> d = Deferred.create();
    List<Deferred<Void>> started = new ArrayList<>();
    Thread starter =
        Thread.ofPlatform()
            .start(
                () ->
                    started.add(
                        Async.run(
                            () -> {
                              seen.add(Async.ownerThread());
                              Async.await(d);
                              seen.add(Async.ownerThread());
                              return null;
                            })));
    assertThat(starter.join(Duration.ofSeconds(10))).isTrue();
    d.callback(null); // join() made the starter's work visible here; now this thread drives
    successResultOf(started.get(0));
    assertThat(seen).containsExactly(starter, Thread.currentThread());
  }

  @Test
  void aBodyDoesNotSeeTheFiringThreadsThreadLocalsButKeepsItsOwnAcrossAwaits() {
    ThreadLocal<String> local = new ThreadLocal<>();
    InheritableThreadLocal<String> inherited = new InheritableThreadLocal<>();
    local.set("test thread");
    inherited.set("copied at start");
    try {
      Deferred<Void> d = Deferred.create();
      Deferred<List<String>> r =
          Async.run(
              () -> {
                List<String> seen = new ArrayList<>();
                seen.add(String.valueOf(local.get()));
                seen.add(inherited.get());
                local.set("body's own");
                Async.await(d);
                seen.add(local.get());
                return seen;
              });
      d.callback(null);
      assertThat(successResultOf(r)).containsExactly("null", "copied at start", "body's own");
      assertThat(local.get()).isEqualTo("test thread");
    } finally {
      local.remove();
      inherited.remove();
    }
  }

  @Test
  void interruptStatusOnEitherSideSurvivesTheHandOff() {
    Deferred<Void> d = Deferred.create();
    boolean[] bodyInterrupted = new boolean[1];
    Deferred<String> r =
        Async.run(
            () -> {
              Thread.currentThread().interrupt();
              Async.await(d);
              bodyInterrupted[0] = Thread.interrupted();
              return "finished";
            });
    Thread.currentThread().interrupt();
    d.callback(null);
    boolean firingThreadInterrupted = Thread.interrupted();

    assertThat(successResultOf(r)).isEqualTo("finished");
    assertThat(bodyInterrupted[0]).isTrue();
    assertThat(firingThreadInterrupted).isTrue();
  }

  @Test
  void coroutinesNestedThousandsDeepFinishTogetherWithoutOverflowingTheStack() {
    Deferred<Integer> leaf = Deferred.create();
    Deferred<Integer> top = nest(3_000, leaf);
    assertNoResult(top);
    List<Thread> seen = new ArrayList<>();
    top.addCallback(
        v -> {
          seen.add(Thread.currentThread());
          seen.add(Async.ownerThread());
          return v;
        });

    leaf.callback(0);

    assertThat(successResultOf(top)).isEqualTo(3_000);
    // The cascade of endings went on on fresh stacks; the callback ran there, in lock-step, on
    // behalf of this thread.
    assertThat(seen.get(0)).isNotSameAs(Thread.currentThread());
    assertThat(seen.get(1)).isSameAs(Thread.currentThread());
  }

  private static Deferred<Integer> nest(int depth, Deferred<Integer> leaf) {
    return Async.run(() -> depth == 0 ? Async.await(leaf) : Async.await(nest(depth - 1, leaf)) + 1);
  }

  // ---------------------------------------------------------------------------------------------
  // Debug mode

  @Test
  void debugModeWarnsAboutABodyThatRunsLongWithoutAwaiting() throws Exception {
    CountDownLatch warned = new CountDownLatch(1);
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
            warned.countDown();
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(Async.class.getName()); // System.Logger's default backend
    boolean wasDebugging = Deferred.isDebugging();
    Duration threshold = Async.slowBodyThreshold();
    logger.addHandler(handler);
    boolean usedParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false); // captured, not printed
    try {
      Deferred.setDebugging(true);
      Async.setSlowBodyThreshold(Duration.ofMillis(20));
      // The body blocks on something that is not a Braid await until the warning has arrived.
      Deferred<Boolean> r = Async.run(() -> warned.await(30, TimeUnit.SECONDS));
      assertThat(successResultOf(r)).as("the warning arrived while the body blocked").isTrue();
    } finally {
      logger.setUseParentHandlers(usedParentHandlers);
      logger.removeHandler(handler);
      Deferred.setDebugging(wasDebugging);
      Async.setSlowBodyThreshold(threshold);
    }
    assertThat(records)
        .singleElement()
        .satisfies(
            record -> {
              assertThat(record.getLevel()).isEqualTo(Level.WARNING);
              assertThat(record.getMessage())
                  .contains("without awaiting")
                  .contains(Thread.currentThread().getName())
                  .contains("CountDownLatch.await")
                  .contains("It was started by Async.run at:")
                  .contains("debugModeWarnsAboutABodyThatRunsLongWithoutAwaiting");
            });
  }

  @Test
  void withoutDebugModeASlowBodyIsNotReported() {
    List<LogRecord> records = new CopyOnWriteArrayList<>();
    Handler handler =
        new Handler() {
          @Override
          public void publish(LogRecord record) {
            records.add(record);
          }

          @Override
          public void flush() {}

          @Override
          public void close() {}
        };
    Logger logger = Logger.getLogger(Async.class.getName());
    boolean wasDebugging = Deferred.isDebugging();
    Duration threshold = Async.slowBodyThreshold();
    logger.addHandler(handler);
    boolean usedParentHandlers = logger.getUseParentHandlers();
    logger.setUseParentHandlers(false); // captured, not printed
    try {
      Deferred.setDebugging(false);
      Async.setSlowBodyThreshold(Duration.ofNanos(1));
      Deferred<Integer> d = Deferred.create();
      Deferred<Integer> r =
          Async.run(
              () -> {
                Thread.sleep(5); // blocks the driver far longer than the threshold; no await
                return Async.await(d);
              });
      d.callback(1);
      successResultOf(r);
    } finally {
      logger.setUseParentHandlers(usedParentHandlers);
      logger.removeHandler(handler);
      Deferred.setDebugging(wasDebugging);
      Async.setSlowBodyThreshold(threshold);
    }
    assertThat(records).isEmpty();
  }

  @Test
  void slowBodyThresholdMustBePositive() {
    assertThatThrownBy(() -> Async.setSlowBodyThreshold(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("positive");
  }
}
