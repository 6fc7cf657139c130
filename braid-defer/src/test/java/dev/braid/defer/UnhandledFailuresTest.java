package dev.braid.defer;

import static dev.braid.defer.DeferredResults.failureResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.TestErrors.GenericError;
import dev.braid.defer.UnhandledFailures.UnhandledFailure;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Conformance section H (scenarios 58 and 59) and spec section 10: which failures count as
 * unhandled. Checked deterministically with {@link UnhandledFailures#pendingSince} (decision 6),
 * plus one test that the garbage-collection path really reports.
 */
class UnhandledFailuresTest {
  private long mark;

  /** Deferreds a test leaves failed on purpose; handled afterwards, so nothing is logged later. */
  private final List<Deferred<?>> leftFailed = new ArrayList<>();

  @BeforeEach
  void markStart() {
    mark = UnhandledFailures.mark();
  }

  @AfterEach
  void handleWhatTheTestLeftFailed() {
    for (Deferred<?> d : leftFailed) {
      d.addErrback(f -> null);
    }
    assertThat(pendingSinceMark()).isEmpty();
  }

  private <T> Deferred<T> leftFailed(Deferred<T> d) {
    leftFailed.add(d);
    return d;
  }

  private List<Class<?>> pendingTypes() {
    return pendingSinceMark().stream().<Class<?>>map(u -> u.failure().type()).toList();
  }

  private List<UnhandledFailure> pendingSinceMark() {
    return UnhandledFailures.pendingSince(mark);
  }

  // --- Scenario 58 ------------------------------------------------------------------------------

  @Test
  void chainingClearsTheInnersPendingFailure() {
    List<Object> results = new ArrayList<>();
    List<Failure> errors = new ArrayList<>();
    Deferred<Object> d = Deferred.create();
    d.addCallbackDeferred(x -> Deferred.fail(new RuntimeException("zoop")));
    d.callback(null);
    d.addCallbacks(
        r -> results.add(r),
        f -> {
          errors.add(f);
          return null;
        });

    Deferred<Object> bad = Deferred.fail(new Exception("oh no"));
    Deferred<Object> good = Deferred.create();
    bad.addErrbackDeferred(f -> good);

    assertThat(results).isEmpty();
    assertThat(errors).hasSize(1);
    assertThat(pendingSinceMark()).isEmpty();
  }

  // --- Scenario 59 ------------------------------------------------------------------------------

  @Test
  void aCallbackThatThrowsWithNoErrbackAfterItIsUnhandled() {
    Deferred<Object> d = leftFailed(Deferred.create());
    d.addCallback(
        x -> {
          throw new IllegalStateException();
        });
    d.callback(1);
    assertThat(pendingTypes()).containsExactly(IllegalStateException.class);
  }

  @Test
  void anErrbackThatReturnsNullHandlesTheFailure() {
    Deferred<Object> d = Deferred.create();
    d.addCallback(
        x -> {
          throw new IllegalStateException();
        });
    d.callback(1);
    d.addErrback(f -> null);
    assertThat(pendingSinceMark()).isEmpty();
  }

  @Test
  void anErrbackThatReturnsTheFailureLeavesItUnhandled() {
    Deferred<Object> d = leftFailed(Deferred.create());
    d.addCallback(
        x -> {
          throw new IllegalStateException();
        });
    d.callback(1);
    d.addErrback(f -> f);
    assertThat(pendingTypes()).containsExactly(IllegalStateException.class);
  }

  @Test
  void aTrapThatDoesNotMatchLeavesTheFailureUnhandled() {
    Deferred<Object> d = leftFailed(Deferred.create());
    d.errback(new IllegalArgumentException());
    d.addErrback(f -> f.trap(KeyNotFound.class));
    assertThat(pendingTypes()).containsExactly(IllegalArgumentException.class);
  }

  @Test
  void failNeverConsumedIsUnhandled() {
    leftFailed(Deferred.fail(new IllegalArgumentException()));
    assertThat(pendingTypes()).containsExactly(IllegalArgumentException.class);
  }

  @Test
  void aCancelledDeferredNobodyHandlesIsUnhandled() {
    leftFailed(Deferred.create()).cancel();
    assertThat(pendingTypes()).containsExactly(CancelledException.class);
  }

  @Test
  void aDeferredListWithConsumeErrorsLeavesNothingUnhandled() {
    Deferred<Object> d1 = Deferred.create();
    Deferred<Object> d2 = Deferred.create();
    DeferredList.of(List.of(d1, d2), DeferredList.Option.CONSUME_ERRORS);
    d1.errback(new GenericError());
    d2.callback(1);
    assertThat(pendingSinceMark()).isEmpty();
  }

  @Test
  void aDeferredListWithoutConsumeErrorsLeavesEachFailedInputUnhandledOnce() {
    Deferred<Object> d1 = leftFailed(Deferred.create());
    Deferred<Object> d2 = Deferred.create();
    DeferredList.of(List.of(d1, d2));
    d1.errback(new GenericError());
    d2.callback(1);
    assertThat(pendingTypes()).containsExactly(GenericError.class);
  }

  @Test
  void gatherResultsWithNothingHandledLeavesTheInputsErrorAndTheFirstError() {
    Deferred<Object> d1 = leftFailed(Deferred.create());
    leftFailed(Deferreds.gatherResults(List.of(d1)));
    d1.errback(new IllegalArgumentException());
    assertThat(pendingTypes())
        .containsExactlyInAnyOrder(IllegalArgumentException.class, FirstError.class);
  }

  // --- Spec section 10: the rest of the table ---------------------------------------------------

  @Test
  void aFailingInnerReturnedFromACallbackCountsOnlyForTheOuter() {
    Deferred<Object> inner = Deferred.create();
    Deferred<Object> outer = Deferred.succeed(null);
    outer.addCallbackDeferred(x -> inner);
    inner.errback(new GenericError());

    List<UnhandledFailure> pending = pendingSinceMark();
    assertThat(pending)
        .singleElement()
        .satisfies(u -> assertThat(u.failure().type()).isEqualTo(GenericError.class));

    outer.addErrback(f -> null);
    assertThat(pendingSinceMark()).isEmpty();
  }

  @Test
  void aDeferredPausedAfterFailingStillCountsAsUnhandled() {
    Deferred<Object> d = leftFailed(Deferred.fail(new GenericError()));
    d.pause();
    assertThat(pendingTypes()).containsExactly(GenericError.class);
    d.unpause();
  }

  @Test
  void aDeferredFailedWhilePausedCountsAsUnhandledUntilAnErrbackRunsOnUnpause() {
    // Twisted loses this one (its loop returns before recording the failure); Braid never loses
    // a failure.
    Deferred<Object> d = Deferred.create();
    d.pause();
    d.errback(new GenericError());
    assertThat(pendingTypes()).containsExactly(GenericError.class);

    d.addErrback(f -> null);
    assertThat(pendingSinceMark()).isNotEmpty();
    d.unpause();
    assertThat(pendingSinceMark()).isEmpty();
  }

  @Test
  void aSucceededDeferredIsNeverTracked() {
    Deferred<String> d = Deferred.succeed("fine");
    d.addCallback(String::length);
    assertThat(pendingSinceMark()).isEmpty();
  }

  @Test
  void readingAFailureWithFailureResultOfHandlesIt() {
    Deferred<Object> d = Deferred.fail(new GenericError());
    failureResultOf(d);
    assertThat(pendingSinceMark()).isEmpty();
  }

  @Test
  void chainDeferredMovesTheFailureToTheTarget() {
    Deferred<Object> source = Deferred.create();
    Deferred<Object> target = Deferred.create();
    source.chainDeferred(target);
    source.errback(new GenericError());
    assertThat(pendingTypes()).containsExactly(GenericError.class);

    target.addErrback(f -> null);
    assertThat(pendingSinceMark()).isEmpty();
  }

  @Test
  void pendingFailuresAreListedOldestFirstWithTheirThreadAndADescription() {
    GenericError first = new GenericError("first");
    GenericError second = new GenericError("second");
    leftFailed(Deferred.fail(first));
    leftFailed(Deferred.fail(second));

    List<UnhandledFailure> pending = pendingSinceMark();

    assertThat(pending).extracting(u -> u.failure().value()).containsExactly(first, second);
    assertThat(pending.get(0).sequence()).isLessThan(pending.get(1).sequence());
    assertThat(pending.get(0).threadName()).isEqualTo(Thread.currentThread().getName());
    assertThat(pending.get(0).describe())
        .startsWith("Unhandled error in Deferred")
        .contains("GenericError: first");
    assertThat(UnhandledFailures.pending())
        .extracting(UnhandledFailure::failure)
        .contains(pending.get(0).failure());
  }

  @Test
  void aFailureLeftInsideACoroutineBodyNamesTheThreadTheBodyActsFor() {
    GenericError error = new GenericError("left in a body");
    List<String> bodyThread = new ArrayList<>();
    Deferred<Void> body =
        Async.run(
            () -> {
              bodyThread.add(Thread.currentThread().toString());
              leftFailed(Deferred.fail(error));
              return null;
            });
    assertThat(body.hasResult()).isTrue();
    assertThat(bodyThread.get(0)).startsWith("VirtualThread");

    assertThat(pendingSinceMark())
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.failure().value()).isSameAs(error);
              assertThat(u.threadName()).isEqualTo(Thread.currentThread().getName());
            });
  }

  // --- The garbage-collection path --------------------------------------------------------------
  //
  // Twisted's test_errorLog, test_errorLogWithInnerFrameRef and test_errorLogWithInnerFrameCycle:
  // a Deferred left failed is reported once when it is collected, also when its failure refers
  // back to it. Each test waits, with a deadline, for the report while asking for collections.

  @Test
  void aFailedDeferredThatBecomesUnreachableIsReportedOnce() throws InterruptedException {
    // test_errorLog: a callback raises and the Deferred goes out of scope.
    GenericError error = new GenericError("collected while failed");
    List<UnhandledFailure> reports =
        reportsAfterCollection(
            "collected while failed",
            () -> {
              Deferred<Object> d = Deferred.create();
              d.addCallback(
                  x -> {
                    throw error;
                  });
              d.callback(1);
            });
    assertThat(reports)
        .singleElement()
        .satisfies(u -> assertThat(u.failure().value()).isSameAs(error)); // the test still has it
  }

  @Test
  void aDeferredWhoseExceptionRefersToItIsReportedOnceWhenUnreachable()
      throws InterruptedException {
    // test_errorLogWithInnerFrameRef: the failure's traceback refers to the frame that holds d;
    // here the exception refers to d itself.
    List<UnhandledFailure> reports =
        reportsAfterCollection(
            "refers to its Deferred",
            () -> {
              Deferred<Object> d = Deferred.create();
              d.addCallback(
                  x -> {
                    throw new RefersTo("refers to its Deferred", d);
                  });
              d.callback(1);
            });
    assertThat(reports)
        .singleElement()
        .satisfies(
            u -> {
              assertThat(u.describe())
                  .startsWith("Unhandled error in Deferred")
                  .contains(RefersTo.class.getName() + ": refers to its Deferred")
                  .contains("lambda$aDeferredWhoseExceptionRefersToItIsReportedOnce");
              assertThat(u.threadName()).isEqualTo(Thread.currentThread().getName());
              assertThat(u.isFrom(Thread.currentThread())).isTrue();
            });
  }

  @Test
  void aDeferredWhoseExceptionRefersToItThroughARequestIsReportedOnceWhenUnreachable()
      throws InterruptedException {
    List<UnhandledFailure> reports =
        reportsAfterCollection(
            "request failed",
            () -> {
              Request request = new Request("/poem", Deferred.create());
              request.response().errback(new RequestFailed("request failed", request));
            });
    assertThat(reports).hasSize(1);
  }

  @Test
  void aDeferredThatRefersToItselfIsReportedOnceWhenUnreachable() throws InterruptedException {
    // test_errorLogWithInnerFrameCycle: the callback holds d (a default argument) and d._d = d.
    // Here the exception holds d, and d holds itself through a callback of its own that waits
    // while d is paused.
    List<UnhandledFailure> reports =
        reportsAfterCollection(
            "in a cycle",
            () -> {
              Deferred<Object> d = Deferred.create();
              d.addCallback(
                  x -> {
                    throw new RefersTo("in a cycle", d);
                  });
              d.callback(1);
              d.pause();
              d.addCallback(x -> d);
            });
    assertThat(reports).hasSize(1);
  }

  @Test
  void aFailureThatRefersToItsDeferredIsStillPendingWithItsIdentityAfterACollection() {
    Deferred<Object> d = leftFailed(Deferred.create());
    Failure failure = Failure.of(new RefersTo("still here", d));
    d.errback(failure);

    UnhandledFailures.afterCollection(); // the tracker now holds the failure weakly

    assertThat(pendingSinceMark())
        .singleElement()
        .satisfies(u -> assertThat(u.failure()).isSameAs(failure));
  }

  @Test
  void aCollectedExceptionReadsLikeTheOriginal() {
    IllegalStateException cause = new IllegalStateException("the cause");
    RefersTo original = new RefersTo("the error", Deferred.create());
    original.initCause(cause);
    original.addSuppressed(new IllegalArgumentException("suppressed"));
    cause.initCause(original); // a cycle of causes, which printStackTrace also stops at

    UnhandledFailures.CollectedException copy = UnhandledFailures.CollectedException.of(original);

    assertThat(Failure.of(copy).getTraceback()).isEqualTo(Failure.of(original).getTraceback());
    assertThat(copy.getMessage()).isEqualTo("the error");
    assertThat(copy.originalClassName()).isEqualTo(RefersTo.class.getName());
    assertThat(copy.getCause()).isInstanceOf(UnhandledFailures.CollectedException.class);
  }

  /**
   * Runs {@code leaveFailed}, which leaves a failed Deferred that nothing refers to once it
   * returns, then asks for collections until the reporter has seen a failure with {@code message}
   * and it has left {@link UnhandledFailures#pending()}, or 10 seconds have passed.
   */
  private List<UnhandledFailure> reportsAfterCollection(String message, Runnable leaveFailed)
      throws InterruptedException {
    List<UnhandledFailure> reports = new ArrayList<>();
    CountDownLatch reported = new CountDownLatch(1);
    UnhandledFailures.setReporter(
        u -> {
          if (message.equals(u.failure().getErrorMessage())) {
            synchronized (reports) {
              reports.add(u);
            }
            reported.countDown();
          }
        });
    try {
      leaveFailed.run();
      assertThat(pendingMessages()).contains(message);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (reported.getCount() > 0 && System.nanoTime() < deadline) {
        System.gc();
        reported.await(20, TimeUnit.MILLISECONDS);
      }
      assertThat(reported.getCount()).as("reported after collection").isZero();
      assertThat(pendingMessages()).doesNotContain(message);
      synchronized (reports) {
        return List.copyOf(reports);
      }
    } finally {
      UnhandledFailures.resetReporter();
    }
  }

  private List<String> pendingMessages() {
    return pendingSinceMark().stream().map(u -> u.failure().getErrorMessage()).toList();
  }

  /** An exception that refers to a Deferred, as an exception that carries its request does. */
  private static final class RefersTo extends RuntimeException {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialised
    private final Deferred<?> deferred;

    RefersTo(String message, Deferred<?> deferred) {
      super(message);
      this.deferred = deferred;
    }

    Deferred<?> deferred() {
      return deferred;
    }
  }

  /** A request that holds the Deferred of its response. */
  private record Request(String path, Deferred<Object> response) {}

  /** A failure that names the request it happened to. */
  private static final class RequestFailed extends Exception {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("serial") // never serialised
    private final Request request;

    RequestFailed(String message, Request request) {
      super(message);
      this.request = request;
    }

    Request request() {
      return request;
    }
  }

  /** An exception type no test throws, for a trap that does not match. */
  private static final class KeyNotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
