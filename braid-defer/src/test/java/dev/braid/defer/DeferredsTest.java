package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.DeferredResults.CapturedLog;
import dev.braid.defer.Deferreds.Winner;
import dev.braid.defer.TestErrors.E1;
import dev.braid.defer.TestErrors.E2;
import dev.braid.defer.TestErrors.GenericError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conformance scenario 71 and spec section 13: {@code gatherResults} and {@code race}. */
class DeferredsTest {
  private final List<Object> log = new ArrayList<>();

  // --- gatherResults (scenario 71) --------------------------------------------------------------

  @Test
  void gatherResultsFiresWithTheValuesInInputOrder() {
    Deferred<List<Integer>> all =
        Deferreds.gatherResults(List.of(Deferred.succeed(1), Deferred.succeed(2)));
    assertThat(successResultOf(all)).containsExactly(1, 2);
  }

  @Test
  void gatherResultsKeepsInputOrderWhenInputsFireOutOfOrder() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    Deferred<List<String>> all = Deferreds.gatherResults(List.of(a, b));
    b.callback("b");
    assertNoResult(all);
    a.callback(null);
    assertThat(successResultOf(all)).containsExactly(null, "b");
  }

  @Test
  void gatherResultsFailsWithAFirstErrorAndTheInputKeepsItsOwnFailure() {
    List<Deferred<Integer>> dl =
        List.of(Deferred.succeed(1), Deferred.fail(new IllegalArgumentException()));
    List<Failure> errors = new ArrayList<>();
    Deferreds.gatherResults(dl)
        .addErrback(
            f -> {
              errors.add(f);
              return null;
            });
    List<Object> handledOnInput = new ArrayList<>();
    dl.get(1).addErrback(f -> 1).addCallback(handledOnInput::add);

    assertThat(errors)
        .singleElement()
        .satisfies(f -> assertThat(f.value()).isInstanceOf(FirstError.class));
    FirstError first = (FirstError) errors.get(0).value();
    assertThat(first.index()).isEqualTo(1);
    assertThat(first.subFailure().type()).isEqualTo(IllegalArgumentException.class);
    assertThat(handledOnInput).containsExactly(1);
  }

  @Test
  void gatherResultsWithConsumeErrorsLetsTheFailedInputGoOnWithNull() {
    Deferred<Integer> bad = Deferred.fail(new RuntimeException("oh noes"));
    Deferred<List<Integer>> g =
        Deferreds.gatherResults(
            List.of(Deferred.succeed(1), bad), DeferredList.Option.CONSUME_ERRORS);
    List<Failure> unconsumed = new ArrayList<>();
    List<Failure> gathered = new ArrayList<>();
    bad.addErrback(
        f -> {
          unconsumed.add(f);
          return null;
        });
    g.addErrback(
        f -> {
          gathered.add(f);
          return null;
        });

    assertThat(unconsumed).isEmpty();
    assertThat(gathered).hasSize(1);
    FirstError first = (FirstError) gathered.get(0).value();
    assertThat(first.subFailure().value())
        .isInstanceOf(RuntimeException.class)
        .hasMessage("oh noes");
  }

  @Test
  void cancellingGatherResultsCancelsTheInputsAndFailsWithTheFirstCancellation() {
    Deferred<String> one = Deferred.create();
    Deferred<String> two = Deferred.create();
    Deferred<List<String>> x = Deferreds.gatherResults(List.of(one, two));

    x.cancel();

    failureResultOf(one, CancelledException.class);
    failureResultOf(two, CancelledException.class);
    FirstError first = (FirstError) failureResultOf(x, FirstError.class).value();
    assertThat(first.subFailure().check(CancelledException.class)).isNotNull();
    assertThat(first.index()).isZero();
  }

  @Test
  void cancellingGatherResultsWhoseInputsCancellersCallBackGivesTheirValues() {
    Deferred<List<String>> y =
        Deferreds.gatherResults(
            List.of(
                Deferred.<String>create(d -> d.callback("Callback Result")),
                Deferred.<String>create(d -> d.callback("Callback Result"))));

    y.cancel();

    assertThat(successResultOf(y)).containsExactly("Callback Result", "Callback Result");
  }

  @Test
  void gatherResultsOfNothingFiresAtOnceWithAnEmptyList() {
    assertThat(successResultOf(Deferreds.<String>gatherResults(List.of()))).isEmpty();
  }

  // --- race -------------------------------------------------------------------------------------

  @Test
  void raceFiresWithTheFirstSuccessAndCancelsTheOthersButNotTheWinner() {
    Deferred<String> a = Deferred.create(d -> log.add("a cancelled"));
    Deferred<String> b = Deferred.create(d -> log.add("b cancelled"));
    Deferred<String> c = Deferred.create(d -> log.add("c cancelled"));
    Deferred<Winner<String>> race = Deferreds.race(List.of(a, b, c));
    assertNoResult(race);

    b.callback("B");

    assertThat(successResultOf(race)).isEqualTo(new Winner<>(1, "B"));
    assertThat(log).containsExactly("a cancelled", "c cancelled");
  }

  @Test
  void raceConsumesTheInputsResultsAndFailures() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    Deferreds.race(List.of(a, b));

    b.callback("B");

    assertThat(successResultOf(b)).isNull();
    assertThat(successResultOf(a)).isNull(); // its CancelledException was consumed by the race
  }

  @Test
  void aLaterSuccessFromACancellerThatCallsBackIsIgnored() {
    Deferred<String> a = Deferred.create(d -> d.callback("late A"));
    Deferred<String> b = Deferred.create();
    Deferred<Winner<String>> race = Deferreds.race(List.of(a, b));

    b.callback("B");

    assertThat(successResultOf(race)).isEqualTo(new Winner<>(1, "B"));
  }

  @Test
  void raceFailsWithAFailureGroupInInputOrderWhenEveryInputFails() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    Deferred<Winner<String>> race = Deferreds.race(List.of(a, b));
    E2 second = new E2();
    E1 first = new E1();

    b.errback(second);
    assertNoResult(race);
    a.errback(first);

    FailureGroup group = (FailureGroup) failureResultOf(race, FailureGroup.class).value();
    assertThat(group.failures()).extracting(Failure::value).containsExactly(first, second);
    assertThat(group.getSuppressed()).containsExactly(first, second);
  }

  @Test
  void cancellingARaceCancelsEveryInputAndFailsWithTheirCancellations() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create();
    Deferred<Winner<String>> race = Deferreds.race(List.of(a, b));

    race.cancel();

    FailureGroup group = (FailureGroup) failureResultOf(race, FailureGroup.class).value();
    assertThat(group.failures())
        .allSatisfy(f -> assertThat(f.value()).isInstanceOf(CancelledException.class))
        .hasSize(2);
  }

  @Test
  void cancellingARaceWhoseInputCancellerCallsBackMakesThatInputTheWinner() {
    Deferred<String> a = Deferred.create();
    Deferred<String> b = Deferred.create(d -> d.callback("stopped with a value"));
    Deferred<Winner<String>> race = Deferreds.race(List.of(a, b));

    race.cancel();

    assertThat(successResultOf(race)).isEqualTo(new Winner<>(1, "stopped with a value"));
  }

  @Test
  void aRaceOfNothingNeverFires() {
    Deferred<Winner<String>> race = Deferreds.race(List.of());
    assertThat(race.isCalled()).isFalse();
  }

  @Test
  void aRaceWithAnInputThatAlreadySucceededIsDecidedAtOnce() {
    Deferred<String> pending = Deferred.create(d -> log.add("pending cancelled"));
    Deferred<Winner<String>> race = Deferreds.race(List.of(pending, Deferred.succeed("now")));
    assertThat(successResultOf(race)).isEqualTo(new Winner<>(1, "now"));
    assertThat(log).containsExactly("pending cancelled");
  }

  @Test
  void aThrowingCancellerOfALoserIsLoggedAndTheOtherLosersAreStillCancelled() {
    // Braid's choice: Twisted lets the exception escape into the winner's chain.
    Deferred<String> bad =
        Deferred.create(
            d -> {
              throw new IllegalStateException("bad canceller");
            });
    Deferred<String> other = Deferred.create(d -> log.add("other cancelled"));
    Deferred<String> winner = Deferred.create();
    Deferred<Winner<String>> race = Deferreds.race(List.of(bad, other, winner));

    try (CapturedLog captured = CapturedLog.of(Deferreds.class)) {
      winner.callback("W");
      assertThat(captured.records())
          .singleElement()
          .satisfies(r -> assertThat(r.getThrown()).hasMessage("bad canceller"));
    }
    assertThat(log).containsExactly("other cancelled");
    assertThat(successResultOf(race)).isEqualTo(new Winner<>(2, "W"));
    assertThat(successResultOf(winner)).isNull();
  }

  @Test
  void aRaceCancelledWhileAnInputCannotBeCancelledFailsWithCancelledExceptionAndIgnoresItLater() {
    Deferred<String> stuck =
        Deferred.create(
            d -> {
              throw new IllegalStateException("cannot stop");
            });
    Deferred<String> other = Deferred.create();
    Deferred<Winner<String>> race = Deferreds.race(List.of(stuck, other));

    try (CapturedLog captured = CapturedLog.of(Deferreds.class)) {
      race.cancel();
      assertThat(captured.records()).hasSize(1);
    }
    failureResultOf(race, CancelledException.class);
    stuck.callback("too late");

    assertThat(successResultOf(stuck)).isNull();
  }

  @Test
  void raceRejectsANullInput() {
    assertThatThrownBy(() -> Deferreds.race(Arrays.asList(Deferred.create(), null)))
        .isInstanceOf(NullPointerException.class);
  }

  // --- FailureGroup -----------------------------------------------------------------------------

  @Test
  void failureGroupDescribesEveryFailure() {
    FailureGroup group =
        new FailureGroup(List.of(Failure.of(new E1()), Failure.of(new GenericError("g"))));
    assertThat(group.getMessage())
        .startsWith("all 2 Deferreds failed: ")
        .contains("E1")
        .contains("g");
  }
}
