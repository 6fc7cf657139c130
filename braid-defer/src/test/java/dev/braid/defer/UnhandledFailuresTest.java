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

  @Test
  void aFailedDeferredThatBecomesUnreachableIsReportedOnce() throws InterruptedException {
    GenericError error = new GenericError("collected while failed");
    CountDownLatch reported = new CountDownLatch(1);
    List<UnhandledFailure> reports = new ArrayList<>();
    UnhandledFailures.setReporter(
        u -> {
          if (u.failure().value() == error) {
            synchronized (reports) {
              reports.add(u);
            }
            reported.countDown();
          }
        });
    try {
      failAndForget(error);
      for (int attempt = 0; attempt < 200 && reported.getCount() > 0; attempt++) {
        System.gc();
        reported.await(50, TimeUnit.MILLISECONDS);
      }
      assertThat(reported.getCount()).as("reported after collection").isZero();
      synchronized (reports) {
        assertThat(reports)
            .singleElement()
            .satisfies(u -> assertThat(u.failure().value()).isSameAs(error));
      }
      assertThat(pendingSinceMark()).extracting(u -> u.failure().value()).doesNotContain(error);
    } finally {
      UnhandledFailures.resetReporter();
    }
  }

  /** Fails a Deferred that nothing refers to once this method returns. */
  private static void failAndForget(Throwable error) {
    Deferred<Object> d = Deferred.create();
    d.addCallback(x -> x);
    d.errback(error);
  }

  /** An exception type no test throws, for a trap that does not match. */
  private static final class KeyNotFound extends RuntimeException {
    private static final long serialVersionUID = 1L;
  }
}
