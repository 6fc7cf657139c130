package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.TestErrors.GenericError;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Conformance section A and spec sections 2, 3 and 5: the callback/errback chain. */
class DeferredCallbackChainTest {
  private final List<Object> log = new ArrayList<>();

  // --- Scenario 1 ------------------------------------------------------------------------------

  @Test
  void eachCallbackReceivesThePreviousCallbacksReturnValue() {
    Deferred<Integer> g = Deferred.create();
    g.addCallback(
            r -> {
              log.add(List.of("c1", r));
              return 1;
            })
        .addCallback(
            r -> {
              log.add(List.of("c2", r));
              return 2;
            })
        .addCallback(
            r -> {
              log.add(List.of("c3", r));
              return 3;
            })
        .addErrback(
            f -> {
              log.add("errback");
              return -1;
            });

    g.callback(0);

    assertThat(log).containsExactly(List.of("c1", 0), List.of("c2", 1), List.of("c3", 2));
    assertThat(successResultOf(g)).isEqualTo(3);
  }

  @Test
  void extraCallbackArgumentsAreCapturedByTheLambdaInsteadOfPassedByTheDeferred() {
    // Twisted: d.addCallback(cb, "world") and e.addCallback(cb2, world="world").
    List<List<Object>> calls = new ArrayList<>();
    String world = "world";
    Deferred<String> d = Deferred.create();
    d.addCallback(
        result -> {
          calls.add(List.of(result, world));
          return null;
        });

    d.callback("hello");

    assertThat(calls).containsExactly(List.of("hello", "world"));
  }

  // --- Scenario 2 ------------------------------------------------------------------------------

  @Test
  void addCallbacksWithANullErrbackPassesTheSameFailureToTheNextErrback() {
    GenericError err = new GenericError("oopsie");
    List<Object> callbackArgs = new ArrayList<>();
    List<Failure> errbackArgs = new ArrayList<>();
    Deferred<Object> d = Deferred.create();
    d.addCallbacks(
        r -> {
          callbackArgs.add(r);
          return r;
        },
        null);

    d.errback(err);
    d.addErrback(
        f -> {
          errbackArgs.add(f);
          return null;
        });

    assertThat(callbackArgs).isEmpty();
    assertThat(errbackArgs).hasSize(1);
    assertThat(errbackArgs.get(0).value()).isSameAs(err);
  }

  @Test
  void addCallbacksWithANullCallbackPassesTheValueToTheNextCallback() {
    Deferred<String> d = Deferred.create();
    d.addCallbacks(null, f -> "errback ran");
    d.callback("value");
    assertThat(successResultOf(d)).isEqualTo("value");
  }

  // --- Scenario 4 and spec section 2: the pair rule ---------------------------------------------

  @Test
  void errbackNeverSeesItsOwnPairsCallbackException() {
    Deferred<Integer> d = Deferred.create();
    d.addCallbacks(
        r -> {
          throw new ArithmeticException("/ by zero");
        },
        f -> log.add("same-pair"));
    d.addErrback(
        f -> {
          log.add(List.of("next", f.type()));
          return null;
        });

    d.callback(0);

    assertThat(log).containsExactly(List.of("next", ArithmeticException.class));
  }

  @Test
  void addCallbackThenAddErrbackLetsTheErrbackSeeTheCallbacksException() {
    // defer.rst "Case 2", the contrast to errbackNeverSeesItsOwnPairsCallbackException.
    Deferred<Integer> d = Deferred.create();
    d.addCallback(
            r -> {
              throw new ArithmeticException("/ by zero");
            })
        .addErrback(f -> log.add(f.type()));

    d.callback(0);

    assertThat(log).containsExactly(ArithmeticException.class);
  }

  @Test
  void onlyOneSideOfAPairRuns() {
    Deferred<String> ok = Deferred.create();
    ok.addCallbacks(r -> log.add("callback " + r), f -> log.add("errback"));
    ok.callback("v");
    Deferred<String> bad = Deferred.create();
    bad.addCallbacks(r -> log.add("callback"), f -> log.add("errback " + f.getErrorMessage()));
    bad.errback(new GenericError("e"));

    assertThat(log).containsExactly("callback v", "errback e");
  }

  // --- Scenario 5 and spec section 5: what a callback's outcome does -----------------------------

  @Test
  void errbackThatReturnsAValueResumesTheCallbackPath() {
    Deferred<Object> d = Deferred.create();
    d.addCallback(
        r -> {
          throw new ArithmeticException();
        });
    d.addCallback(r -> log.add("skipped"));
    d.addErrback(
        f -> {
          log.add(List.of("eb", f.type()));
          return "recovered";
        });
    d.addCallback(r -> log.add(List.of("cb", r)));

    d.callback(0);

    assertThat(log)
        .containsExactly(List.of("eb", ArithmeticException.class), List.of("cb", "recovered"));
  }

  @Test
  void errbackThatReturnsNullHandlesTheFailure() {
    Deferred<String> d = Deferred.fail(new GenericError());
    d.addErrback(f -> null);
    assertThat(successResultOf(d)).isNull();
  }

  @Test
  void callbackExceptionBecomesAFailureWrappingThatVeryException() {
    IllegalStateException thrown = new IllegalStateException("boom");
    Deferred<Object> d = Deferred.create();
    d.addCallback(
        r -> {
          throw thrown;
        });
    d.callback(null);
    assertThat(failureResultOf(d, IllegalStateException.class).value()).isSameAs(thrown);
  }

  @Test
  void anErrorThrownByACallbackAlsoBecomesTheChainsFailure() {
    // Twisted catches BaseException; Braid catches Throwable.
    AssertionError thrown = new AssertionError("not an Exception");
    Deferred<Object> d = Deferred.create();
    d.addCallback(
        r -> {
          throw thrown;
        });
    d.callback(null);
    assertThat(failureResultOf(d).value()).isSameAs(thrown);
  }

  @Test
  void callbackReturningAFailureSwitchesToTheErrbackSideWithThatSameFailure() {
    Failure returned = Failure.of(new GenericError("returned"));
    List<Failure> seen = new ArrayList<>();
    Deferred<Object> d = Deferred.create();
    d.addCallback(r -> returned)
        .addCallback(r -> log.add("skipped"))
        .addErrback(
            f -> {
              seen.add(f);
              return null;
            });

    d.callback("x");

    assertThat(log).isEmpty();
    assertThat(seen).singleElement().isSameAs(returned);
  }

  @Test
  void errbackReturningTheFailureKeepsTheChainFailed() {
    Failure original = Failure.of(new GenericError());
    Deferred<Object> d = Deferred.fail(original);
    d.addErrback(f -> f).addCallback(r -> log.add("skipped"));
    assertThat(failureResultOf(d)).isSameAs(original);
    assertThat(log).isEmpty();
  }

  @Test
  void trapThatDoesNotMatchPassesANewFailureWithTheSameExceptionToTheNextErrback() {
    GenericError error = new GenericError("not trapped");
    Deferred<Object> d = Deferred.create();
    Failure[] first = new Failure[1];
    d.addErrback(
        f -> {
          first[0] = f;
          return f.trap(IllegalArgumentException.class);
        });

    d.errback(error);

    Failure next = failureResultOf(d, GenericError.class);
    assertThat(next).isNotSameAs(first[0]);
    assertThat(next.value()).isSameAs(error);
  }

  @Test
  void trapThatMatchesReturnsTheMatchingTypeAndTheErrbackHandlesTheFailure() {
    Deferred<Object> d = Deferred.fail(new GenericError());
    d.addErrback(f -> f.trap(IllegalStateException.class, GenericError.class));
    assertThat(successResultOf(d)).isEqualTo(GenericError.class);
  }

  // --- Scenario 7 ------------------------------------------------------------------------------

  @Test
  void addBothReceivesAFailedOutcomeAndItsReturnValueHandlesTheError() {
    Deferred<Object> d = Deferred.create();
    Deferred<String> both =
        d.addBoth(
            outcome -> {
              log.add(outcome.getClass().getSimpleName());
              return "x";
            });

    d.errback(new RuntimeException());

    assertThat(log).containsExactly("Failed");
    assertThat(successResultOf(both)).isEqualTo("x");
  }

  @Test
  void addBothReceivesASuccessOutcomeAndCanPassItThrough() {
    Deferred<String> d = Deferred.create();
    d.addBoth(
        outcome -> {
          log.add(outcome);
          return outcome.get();
        });
    d.callback("v");
    assertThat(log).containsExactly(new Outcome.Success<>("v"));
    assertThat(successResultOf(d)).isEqualTo("v");
  }

  @Test
  void addBothPassingAFailedOutcomeThroughWithGetKeepsTheExceptionInANewFailure() {
    GenericError error = new GenericError();
    Failure failure = Failure.of(error);
    Deferred<String> d = Deferred.fail(failure);
    d.addBoth(Outcome::get);
    Failure after = failureResultOf(d);
    assertThat(after.value()).isSameAs(error);
    assertThat(after).isNotSameAs(failure); // get() rethrows; addFinally and toDeferred keep it
  }

  // --- Passing an outcome on unchanged ---------------------------------------------------------

  @Test
  void addFinallyPassesTheSameFailureOnAndSeesIt() {
    Failure failure = Failure.of(new GenericError("passed on"));
    List<Outcome<String>> seen = new ArrayList<>();
    Deferred<String> d = Deferred.create();
    Deferred<String> same = d.addFinally(seen::add);

    d.errback(failure);

    assertThat(same).isSameAs(d);
    assertThat(seen).containsExactly(new Outcome.Failed<>(failure));
    assertThat(((Outcome.Failed<String>) seen.get(0)).failure()).isSameAs(failure);
    assertThat(failureResultOf(d)).isSameAs(failure);
  }

  @Test
  void addFinallyPassesTheValueOnAndKeepsTheResultType() {
    Deferred<String> d = Deferred.create();
    Deferred<Integer> length =
        d.addFinally(outcome -> log.add("saw " + outcome)).addCallback(String::length);

    d.callback("four");

    assertThat(log).containsExactly("saw Success[value=four]");
    assertThat(successResultOf(length)).isEqualTo(4);
  }

  @Test
  void aFailurePassedOnByAddFinallyStillCountsAsUnhandled() {
    long mark = UnhandledFailures.mark();
    Failure failure = Failure.of(new GenericError("still unhandled"));
    Deferred<String> d = Deferred.fail(failure);

    d.addFinally(outcome -> log.add("logged"));

    assertThat(UnhandledFailures.pendingSince(mark))
        .extracting(UnhandledFailures.UnhandledFailure::failure)
        .containsExactly(failure);
    d.addErrback(f -> "handled");
    assertThat(UnhandledFailures.pendingSince(mark)).isEmpty();
  }

  @Test
  void anAddFinallyActionThatThrowsReplacesTheOutcome() {
    Deferred<String> d = Deferred.succeed("fine");
    d.addFinally(
        outcome -> {
          throw new KeyAlreadyUsedException("clean-up failed");
        });
    assertThat(failureResultOf(d, KeyAlreadyUsedException.class).getErrorMessage())
        .isEqualTo("clean-up failed");
  }

  @Test
  void returningToDeferredFromAddBothDeferredPassesTheSameFailureOn() {
    long mark = UnhandledFailures.mark();
    Failure failure = Failure.of(new GenericError("after clean-up"));
    Deferred<Void> cleanUp = Deferred.create();
    Deferred<String> d = Deferred.create();
    Deferred<String> same =
        d.addBothDeferred(outcome -> cleanUp.addCallbackDeferred(v -> outcome.toDeferred()));

    d.errback(failure);
    assertNoResult(d);
    cleanUp.callback(null);

    assertThat(same).isSameAs(d);
    // Only d holds the failure: the Deferred that carried it over was emptied by the chaining.
    assertThat(UnhandledFailures.pendingSince(mark))
        .extracting(UnhandledFailures.UnhandledFailure::failure)
        .containsExactly(failure);
    assertThat(failureResultOf(d)).isSameAs(failure);
  }

  @Test
  void toDeferredOfASuccessFiresWithTheValue() {
    Deferred<String> d = Deferred.succeed("v");
    Deferred<String> same = d.addBothDeferred(Outcome::toDeferred);
    assertThat(same).isSameAs(d);
    assertThat(successResultOf(d)).isEqualTo("v");
  }

  // --- Scenario 8 ------------------------------------------------------------------------------

  @Test
  void callbackAddedAfterFiringRunsInsideTheAddCall() {
    Deferred<String> d = Deferred.succeed("success");
    d.addCallback(log::add);
    assertThat(log).containsExactly("success");
  }

  @Test
  void errbackAddedAfterFailingRunsInsideTheAddCall() {
    Deferred<String> e = Deferred.fail(new GenericError("fail"));
    List<Failure> seen = new ArrayList<>();
    e.addErrback(
        f -> {
          seen.add(f);
          return null;
        });
    assertThat(seen)
        .singleElement()
        .satisfies(f -> assertThat(f.getErrorMessage()).isEqualTo("fail"));
    assertThat(seen.get(0).value()).isInstanceOf(GenericError.class);
  }

  @Test
  void succeedIsIndistinguishableFromCreateFollowedByCallback() {
    Deferred<String> made = Deferred.succeed("success");
    Deferred<String> manual = Deferred.create();
    manual.callback("success");

    assertThat(made.isCalled()).isEqualTo(manual.isCalled()).isTrue();
    assertThat(made.hasResult()).isEqualTo(manual.hasResult()).isTrue();
    assertThat(made.isPaused()).isEqualTo(manual.isPaused()).isFalse();
    assertThat(made.toString()).endsWith("{current result: success}");
    assertThat(manual.toString()).endsWith("{current result: success}");
    assertThat(successResultOf(made)).isEqualTo(successResultOf(manual));
  }

  @Test
  void failIsIndistinguishableFromCreateFollowedByErrback() {
    Failure failure = Failure.of(new GenericError());
    Deferred<String> made = Deferred.fail(failure);
    Deferred<String> manual = Deferred.create();
    manual.errback(failure);
    assertThat(failureResultOf(made)).isSameAs(failureResultOf(manual)).isSameAs(failure);
  }

  // --- Scenario 10 and spec section 3 ------------------------------------------------------------

  @Test
  void callbackWithAFailureBehavesExactlyLikeErrback() {
    Failure failure = Failure.of(new IllegalArgumentException());
    Deferred<Object> d = Deferred.create();
    d.addCallbacks(r -> log.add("callback"), f -> log.add(f));

    d.callback(failure);

    assertThat(log).containsExactly(failure);
  }

  @Test
  void errbackWithAThrowableWrapsThatVeryException() {
    KeyAlreadyUsedException x = new KeyAlreadyUsedException("k");
    Deferred<Object> e = Deferred.create();
    e.errback(x);
    assertThat(failureResultOf(e).value()).isSameAs(x);
  }

  @Test
  void errbackHasNoCurrentExceptionFormAndAlwaysTakesAThrowableOrAFailure_decision8() {
    List<Method> errbacks =
        Arrays.stream(Deferred.class.getMethods())
            .filter(m -> m.getName().equals("errback"))
            .toList();
    assertThat(errbacks)
        .extracting(m -> List.of(m.getParameterTypes()))
        .containsExactlyInAnyOrder(List.of(Throwable.class), List.of(Failure.class));
  }

  @Test
  void callbackWithADeferredIsRejectedAndTheDeferredStaysUnfired_decision1() {
    Deferred<Object> d = Deferred.create();
    d.addCallback(log::add);

    assertThatThrownBy(() -> d.callback(Deferred.create()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("return it from a callback");

    assertThat(d.isCalled()).isFalse();
    assertThat(log).isEmpty();
    d.callback("later");
    assertThat(log).containsExactly("later");
  }

  @ParameterizedTest(name = "{0} then {1}")
  @CsvSource({"callback,callback", "callback,errback", "errback,callback", "errback,errback"})
  void firingTwiceThrowsAlreadyCalledToTheSecondCaller(String first, String second) {
    Deferred<Object> d = Deferred.create();
    fire(first).accept(d);

    assertThatThrownBy(() -> fire(second).accept(d)).isInstanceOf(AlreadyCalledException.class);

    // The first outcome stands.
    if (first.equals("callback")) {
      assertThat(successResultOf(d)).isEqualTo("first");
    } else {
      assertThat(failureResultOf(d, GenericError.class).getErrorMessage()).isEqualTo("first");
    }
  }

  private static Consumer<Deferred<Object>> fire(String how) {
    return how.equals("callback")
        ? d -> d.callback(d.isCalled() ? "second" : "first")
        : d -> d.errback(new GenericError(d.isCalled() ? "second" : "first"));
  }

  // --- Fluent typing --------------------------------------------------------------------------

  @Test
  void everyAddMethodReturnsTheSameDeferredRetyped() {
    Deferred<String> d = Deferred.create();
    Deferred<Integer> lengths = d.addCallback(String::length);
    Deferred<Integer> handled = lengths.addErrback(f -> -1);
    Deferred<String> described = handled.addBoth(o -> "length " + o.get());
    Deferred<Void> chained = described.chainDeferred(Deferred.create());

    assertThat(List.<Object>of(lengths, handled, described, chained)).allMatch(x -> x == d);
  }

  @Test
  void theResultAfterTheChainIsWhatTheLastCallbackReturned() {
    Deferred<String> d = Deferred.create();
    Deferred<Integer> length = d.addCallback(String::length);
    assertNoResult(length);
    d.callback("four");
    assertThat(successResultOf(length)).isEqualTo(4);
  }

  /** A checked exception type of the test's own, standing in for Python's KeyError. */
  private static final class KeyAlreadyUsedException extends Exception {
    private static final long serialVersionUID = 1L;

    KeyAlreadyUsedException(String message) {
      super(message);
    }
  }
}
