package dev.braid.defer;

import static dev.braid.defer.DeferredList.Option.CONSUME_ERRORS;
import static dev.braid.defer.DeferredList.Option.FIRE_ON_ONE_ERRBACK;
import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.DeferredResults.CapturedLog;
import dev.braid.defer.TestErrors.E1;
import dev.braid.defer.TestErrors.E2;
import dev.braid.defer.TestErrors.GenericError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;

/** Conformance section J (scenarios 62 to 70) and spec section 13: {@link DeferredList}. */
class DeferredListTest {
  private final List<Object> log = new ArrayList<>();

  private static <T> Outcome<T> ok(T value) {
    return new Outcome.Success<>(value);
  }

  /** Checks an outcome is a failure of {@code type} and returns its failure. */
  private static Failure failed(Outcome<?> outcome, Class<? extends Throwable> type) {
    assertThat(outcome).isInstanceOf(Outcome.Failed.class);
    Failure failure = ((Outcome.Failed<?>) outcome).failure();
    assertThat(failure.value()).isInstanceOf(type);
    return failure;
  }

  // --- Scenario 62 ------------------------------------------------------------------------------

  @Test
  void firesOnceWithOneOutcomePerInputInInputOrder() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    Deferred<String> d3 = Deferred.create();
    Deferred<List<Outcome<String>>> dl = DeferredList.of(List.of(d1, d2, d3)).deferred();
    List<Object> calls = new ArrayList<>();
    dl.addCallbacks(calls::add, calls::add);

    d1.callback("1");
    d2.addErrback(f -> null);
    GenericError error = new GenericError("2");
    d2.errback(error);
    d3.callback("3");

    assertThat(calls).hasSize(1);
    @SuppressWarnings("unchecked")
    List<Outcome<String>> outcomes = (List<Outcome<String>>) calls.get(0);
    assertThat(outcomes).hasSize(3);
    assertThat(outcomes.get(0)).isEqualTo(ok("1"));
    assertThat(failed(outcomes.get(1), GenericError.class).value()).isSameAs(error);
    assertThat(outcomes.get(2)).isEqualTo(ok("3"));
  }

  @Test
  void resultsFollowInputOrderNotFiringOrderAndTheListWaitsForTheLastInput() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    Deferred<String> c = Deferred.create();
    Deferred<List<Outcome<String>>> dl = DeferredList.of(List.of(a, b, c)).deferred();

    c.callback("C");
    assertNoResult(dl);
    a.callback("A");
    assertNoResult(dl);
    b.errback(new GenericError("B"));

    List<Outcome<String>> outcomes = successResultOf(dl);
    assertThat(outcomes.get(0)).isEqualTo(ok("A"));
    failed(outcomes.get(1), GenericError.class);
    assertThat(outcomes.get(2)).isEqualTo(ok("C"));
    failureResultOf(b); // not consumed by the list: handle it here
  }

  // --- Scenario 64 ------------------------------------------------------------------------------

  @Test
  void fireOnOneErrbackFailsWithAFirstErrorNamingTheInputAndItsFailure() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    Deferred<String> d3 = Deferred.create();
    Deferred<List<Outcome<String>>> dl =
        DeferredList.of(List.of(d1, d2, d3), FIRE_ON_ONE_ERRBACK).deferred();
    List<Failure> errors = new ArrayList<>();
    dl.addErrback(
        f -> {
          errors.add(f);
          return null;
        });
    d2.addErrback(f -> null);

    d1.callback("1");
    assertThat(errors).isEmpty();
    d2.errback(new GenericError("from def2"));

    assertThat(errors).hasSize(1);
    FirstError first = (FirstError) errors.get(0).value();
    assertThat(first.subFailure().type()).isEqualTo(GenericError.class);
    assertThat(first.subFailure().getErrorMessage()).isEqualTo("from def2");
    assertThat(first.index()).isEqualTo(1);
  }

  // --- Scenario 65 ------------------------------------------------------------------------------

  @Test
  void withoutConsumeErrorsTheInputsFailureGoesOnDownItsOwnChain() {
    Deferred<String> d1 = Deferred.create();
    List<Failure> trapped = new ArrayList<>();
    List<List<Outcome<String>>> results = new ArrayList<>();
    DeferredList.of(List.of(d1)).deferred().addCallback(results::add);
    d1.addErrback(
        f -> {
          trapped.add(f);
          return null;
        });

    d1.errback(new GenericError("Bang"));

    assertThat(trapped)
        .singleElement()
        .satisfies(f -> assertThat(f.getErrorMessage()).isEqualTo("Bang"));
    assertThat(failed(results.get(0).get(0), GenericError.class).getErrorMessage())
        .isEqualTo("Bang");
  }

  @Test
  void withConsumeErrorsTheInputsChainGoesOnWithNull() {
    Deferred<String> d1 = Deferred.create();
    List<Failure> trapped = new ArrayList<>();
    List<List<Outcome<String>>> results = new ArrayList<>();
    DeferredList.of(List.of(d1), CONSUME_ERRORS).deferred().addCallback(results::add);
    d1.addErrback(
        f -> {
          trapped.add(f);
          return null;
        });

    d1.errback(new GenericError("Bang"));

    assertThat(trapped).isEmpty();
    assertThat(failed(results.get(0).get(0), GenericError.class).getErrorMessage())
        .isEqualTo("Bang");
    assertThat(successResultOf(d1)).isNull();
  }

  // --- Scenario 67 ------------------------------------------------------------------------------

  @Test
  void fireOnOneCallbackFiresWithTheFirstValueAndItsIndexAndLateResultsStillUpdateTheList() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    DeferredList<String, FirstSuccess<String>> list = DeferredList.fireOnOneCallback(List.of(a, b));
    List<FirstSuccess<String>> fired = new ArrayList<>();
    list.deferred().addCallback(fired::add);

    b.callback("B");
    a.callback("A");

    assertThat(fired).containsExactly(new FirstSuccess.Succeeded<>("B", 1));
    assertThat(list.results()).containsExactly(ok("A"), ok("B"));
  }

  @Test
  void fireOnOneCallbackWithEveryInputFailedFiresAllTheOutcomesAsASuccess() {
    Deferred<String> c1 = Deferred.create();
    Deferred<String> c2 = Deferred.create();
    Deferred<FirstSuccess<String>> cl =
        DeferredList.fireOnOneCallback(List.of(c1, c2), CONSUME_ERRORS).deferred();

    c1.errback(new E1());
    c2.errback(new E2());

    FirstSuccess<String> result = successResultOf(cl);
    assertThat(result).isInstanceOf(FirstSuccess.AllFailed.class);
    List<Outcome<String>> outcomes = ((FirstSuccess.AllFailed<String>) result).outcomes();
    failed(outcomes.get(0), E1.class);
    failed(outcomes.get(1), E2.class);
  }

  @Test
  void fireOnOneCallbackAndFireOnOneErrbackTogetherFireOnTheFirstOutcome() {
    Deferred<Integer> x = Deferred.create();
    Deferred<Integer> y = Deferred.create();
    Deferred<FirstSuccess<Integer>> xl =
        DeferredList.fireOnOneCallback(List.of(x, y), FIRE_ON_ONE_ERRBACK).deferred();

    x.callback(1);
    y.errback(new E1());

    assertThat(successResultOf(xl)).isEqualTo(new FirstSuccess.Succeeded<>(1, 0));
    failureResultOf(y, E1.class);
  }

  @Test
  void fireOnOneCallbackReadsWellAsASwitch() {
    Deferred<String> primary = Deferred.create();
    Deferred<String> mirror = Deferred.create();
    Deferred<String> poem =
        DeferredList.fireOnOneCallback(List.of(primary, mirror))
            .deferred()
            .addCallback(
                first ->
                    switch (first) {
                      case FirstSuccess.Succeeded<String>(String value, int index) ->
                          value + " from " + index;
                      case FirstSuccess.AllFailed<String>(List<Outcome<String>> outcomes) ->
                          "none of " + outcomes.size();
                    });
    mirror.callback("poem");
    assertThat(successResultOf(poem)).isEqualTo("poem from 1");
  }

  // --- Scenario 68 ------------------------------------------------------------------------------

  @Test
  void cancellingCancelsEveryInputAndTheListSucceedsWithTheirCancellations() {
    Deferred<String> one = Deferred.create();
    Deferred<String> two = Deferred.create();
    Deferred<List<Outcome<String>>> dl = DeferredList.of(List.of(one, two)).deferred();

    dl.cancel();

    failureResultOf(one, CancelledException.class);
    failureResultOf(two, CancelledException.class);
    List<Outcome<String>> outcomes = successResultOf(dl);
    failed(outcomes.get(0), CancelledException.class);
    failed(outcomes.get(1), CancelledException.class);
  }

  @Test
  void cancellingUsesEachInputsCanceller() {
    Deferred<String> p = Deferred.create(x -> x.callback("Callback Result"));
    Deferred<String> q = Deferred.create();
    Deferred<List<Outcome<String>>> pl = DeferredList.of(List.of(p, q)).deferred();

    pl.cancel();

    List<Outcome<String>> outcomes = successResultOf(pl);
    assertThat(outcomes.get(0)).isEqualTo(ok("Callback Result"));
    failed(outcomes.get(1), CancelledException.class);
    failureResultOf(q);
  }

  @Test
  void theInputCollectionIsCopiedSoLaterAdditionsAreNotCancelled() {
    Deferred<String> r1 = Deferred.create();
    Deferred<String> r2 = Deferred.create();
    List<Deferred<String>> args = new ArrayList<>(List.of(r1, r2));
    Deferred<List<Outcome<String>>> rl = DeferredList.of(args).deferred();
    Deferred<String> r3 = Deferred.create();
    args.add(r3);

    rl.cancel();

    failureResultOf(r1, CancelledException.class);
    failureResultOf(r2, CancelledException.class);
    assertNoResult(r3);
    assertThat(successResultOf(rl)).hasSize(2);
  }

  // --- Scenario 70 ------------------------------------------------------------------------------

  @Test
  void aCancellerThatThrowsIsLoggedAndTheOtherInputsAreStillCancelled() {
    Deferred<String> one =
        Deferred.create(
            x -> {
              throw new RuntimeException("test");
            });
    Deferred<String> two = Deferred.create();
    DeferredList<String, List<Outcome<String>>> list = DeferredList.of(List.of(one, two));

    try (CapturedLog captured = CapturedLog.of(DeferredList.class)) {
      list.deferred().cancel();

      assertThat(captured.records())
          .singleElement()
          .satisfies(
              r -> {
                assertThat(r.getLevel()).isEqualTo(Level.SEVERE);
                assertThat(r.getMessage())
                    .isEqualTo("Exception raised from user supplied canceller");
                assertThat(r.getThrown()).isInstanceOf(RuntimeException.class).hasMessage("test");
              });
    }
    failureResultOf(two, CancelledException.class);
    assertNoResult(one);
    assertNoResult(list.deferred());
  }

  @Test
  void cancelAfterFireOnOneCallbackFiredDoesNothing() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    Deferred<FirstSuccess<String>> al = DeferredList.fireOnOneCallback(List.of(a, b)).deferred();
    a.callback(null);

    al.cancel();

    assertNoResult(b);
    assertThat(successResultOf(al)).isEqualTo(new FirstSuccess.Succeeded<String>(null, 0));
  }

  @Test
  void cancelAfterFireOnOneErrbackFiredDoesNothing() {
    Deferred<String> c = Deferred.create();
    Deferred<String> e = Deferred.create();
    Deferred<List<Outcome<String>>> cl =
        DeferredList.of(List.of(c, e), FIRE_ON_ONE_ERRBACK).deferred();
    c.errback(new GenericError("test"));

    cl.cancel();

    assertNoResult(e);
    failureResultOf(c, GenericError.class);
    failureResultOf(cl, FirstError.class);
  }

  @Test
  void cancelAfterTheListFiredDoesNotReachAnInnerItsCallbacksWaitOn() {
    // Twisted's DeferredList.cancel does nothing once the list has fired.
    Deferred<String> input = Deferred.succeed("in");
    Deferred<String> inner = Deferred.create(x -> log.add("inner cancelled"));
    Deferred<String> dl =
        DeferredList.of(List.of(input)).deferred().addCallbackDeferred(r -> inner);

    dl.cancel();

    assertThat(log).isEmpty();
    assertNoResult(dl);
  }

  // --- Spec section 13: the rest -----------------------------------------------------------------

  @Test
  void anEmptyListFiresAtOnceWithAnEmptyList() {
    assertThat(successResultOf(DeferredList.<String>of(List.of()).deferred())).isEmpty();
  }

  @Test
  void anEmptyFireOnOneCallbackListNeverFires() {
    DeferredList<String, FirstSuccess<String>> list = DeferredList.fireOnOneCallback(List.of());
    assertNoResult(list.deferred());
    assertThat(list.deferred().isCalled()).isFalse();
  }

  @Test
  void inputsThatAlreadyFiredAreProcessedWhileTheListIsCreated() {
    DeferredList<String, List<Outcome<String>>> list =
        DeferredList.of(List.of(Deferred.succeed("a"), Deferred.succeed("b")));
    assertThat(list.deferred().isCalled()).isTrue();
    assertThat(successResultOf(list.deferred())).containsExactly(ok("a"), ok("b"));
  }

  @Test
  void theSameDeferredListedTwiceGetsTwoEntriesWithTheSameValue() {
    Deferred<String> d = Deferred.create();
    Deferred<List<Outcome<String>>> dl = DeferredList.of(List.of(d, d)).deferred();
    d.callback("twice");
    assertThat(successResultOf(dl)).containsExactly(ok("twice"), ok("twice"));
  }

  @Test
  void callbacksAddedToAnInputBeforeTheListSeeTheRawResultAndAfterItWhatTheListReturns() {
    Deferred<String> d = Deferred.create();
    d.addBoth(
        o -> {
          log.add("before: " + o.isSuccess());
          return o.get();
        });
    DeferredList.of(List.of(d), CONSUME_ERRORS);
    d.addBoth(
        o -> {
          log.add("after: " + o);
          return null;
        });

    d.errback(new GenericError());

    assertThat(log).containsExactly("before: false", "after: " + ok(null));
  }

  @Test
  void resultsIsALiveUnmodifiableViewWithNullForInputsNotFiredYet() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    DeferredList<String, List<Outcome<String>>> list =
        DeferredList.of(List.of(a, b), FIRE_ON_ONE_ERRBACK);
    List<Outcome<String>> results = list.results();
    assertThat(results).containsExactly(null, null);

    a.errback(new GenericError());
    failureResultOf(list.deferred(), FirstError.class);
    failureResultOf(a);
    b.callback("late");

    assertThat(results.get(1)).isEqualTo(ok("late"));
    failed(results.get(0), GenericError.class);
    assertThatThrownBy(() -> results.set(0, ok("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void theListFiresWithTheOutcomesItReportsInResults() {
    Deferred<String> a = Deferred.create();
    DeferredList<String, List<Outcome<String>>> list = DeferredList.of(List.of(a));
    a.callback("v");
    assertThat(successResultOf(list.deferred())).isEqualTo(list.results());
  }

  @Test
  void theListsOwnDeferredIsTheSameObjectOnEveryCall() {
    DeferredList<String, List<Outcome<String>>> list = DeferredList.of(List.of(Deferred.create()));
    assertThat(list.deferred()).isSameAs(list.deferred());
  }

  @Test
  void aNullInputIsRejected() {
    assertThatThrownBy(() -> DeferredList.of(Arrays.asList(Deferred.create(), null)))
        .isInstanceOf(NullPointerException.class);
  }
}
