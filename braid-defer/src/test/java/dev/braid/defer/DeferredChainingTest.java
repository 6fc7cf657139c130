package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.failureResultOf;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.TestErrors.GenericError;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Conformance section B and spec sections 4, 6 and 6.5: a callback that returns a Deferred, and
 * {@code chainDeferred}.
 */
class DeferredChainingTest {
  private final List<Object> log = new ArrayList<>();
  private final List<Failure> failures = new ArrayList<>();

  /** Twisted's {@code rec(tag)}: logs {@code (tag, result)} and passes the result on. */
  private <T> Callback<T, T> rec(String tag) {
    return r -> {
      log.add(Arrays.asList(tag, r));
      return r;
    };
  }

  private static List<Object> entry(String tag, Object value) {
    return Arrays.asList(tag, value);
  }

  private <T> T recordFailure(Failure f) {
    failures.add(f);
    return null;
  }

  // --- Scenario 11 ------------------------------------------------------------------------------

  @Test
  void outerWaitsForAnUnfiredInnerAndAPausedInnerDelaysItFurther() {
    Deferred<Object> d1 = Deferred.create();
    Deferred<Object> d2 = Deferred.create();
    d2.pause();
    d1.addCallbackDeferred(x -> d2).addCallback(log::add);

    d1.callback(1);
    assertThat(log).isEmpty();
    d2.callback(2);
    assertThat(log).isEmpty();
    d2.unpause();

    assertThat(log).containsExactly(2);
  }

  // --- Scenario 13 ------------------------------------------------------------------------------

  @Test
  void errbackMayReturnADeferredThatLaterFailsAndTheOriginalErrorIsGone() {
    Deferred<Object> d = Deferred.create();
    Deferred<Object> inner = Deferred.create();
    d.addErrbackDeferred(f -> inner)
        .addCallbacks(
            r -> log.add(entry("cb", r)),
            f -> log.add(entry("eb", f.getErrorMessage() + " " + f.type().getSimpleName())));

    d.errback(new IllegalArgumentException("orig"));
    assertThat(log).isEmpty();
    inner.errback(new IllegalStateException("inner"));

    assertThat(log).containsExactly(entry("eb", "inner IllegalStateException"));
  }

  @Test
  void errbackMayReturnAFiredDeferredWhoseValueRecoversTheChain() {
    Deferred<String> d = Deferred.fail(new GenericError());
    d.addErrbackDeferred(f -> Deferred.succeed("recovered"));
    assertThat(successResultOf(d)).isEqualTo("recovered");
  }

  // --- Scenario 14 ------------------------------------------------------------------------------

  @Test
  void outerStealsTheResultOfAnAlreadyFiredInnerWhichThenHoldsNull() {
    Object r = new Object();
    Deferred<Object> first = Deferred.succeed(r);
    Deferred<Object> second = Deferred.create();
    second.addCallbackDeferred(x -> first);
    second.callback(null);

    first.addCallback(rec("first"));
    second.addCallback(rec("second"));

    assertThat(log).containsExactly(entry("first", null), entry("second", r));
  }

  @Test
  void whenAWaitedOnInnerFiresTheOutersChainRunsBeforeTheInnersLaterCallbacks() {
    Object r = new Object();
    Deferred<Object> a = Deferred.create();
    Deferred<Object> b = Deferred.create();
    b.addCallbackDeferred(x -> a);
    b.callback(null);
    a.addCallback(rec("a"));
    b.addCallback(rec("b"));
    assertThat(log).isEmpty();

    a.callback(r);

    assertThat(log).containsExactly(entry("b", r), entry("a", null));
  }

  @Test
  void innersCallbacksBeforeTheWaitingEntryRunFirstThenTheOutersThenTheInnersLaterOnes() {
    // Spec section 4, consequence 4.
    Deferred<String> inner = Deferred.create();
    inner.addCallback(rec("inner before"));
    Deferred<Object> outer = Deferred.succeed(null);
    outer.addCallbackDeferred(x -> inner).addCallback(rec("outer"));
    inner.addCallback(rec("inner after"));

    inner.callback("R");

    assertThat(log)
        .containsExactly(
            entry("inner before", "R"), entry("outer", "R"), entry("inner after", null));
  }

  @Test
  void stealingAFailureMovesThatSameFailureToTheOuterAndTheInnerHoldsNull() {
    Failure failure = Failure.of(new GenericError());
    Deferred<Object> inner = Deferred.fail(failure);
    Deferred<Object> outer = Deferred.succeed(null);
    outer.addCallbackDeferred(x -> inner);

    assertThat(failureResultOf(outer)).isSameAs(failure);
    assertThat(successResultOf(inner)).isNull();
  }

  // --- Scenario 16 ------------------------------------------------------------------------------

  @Test
  void chainingIsTransitive() {
    Deferred<Object> first = Deferred.create();
    Deferred<Object> second = Deferred.create();
    Deferred<Object> third = Deferred.create();
    Object r = new Object();
    second.addCallbackDeferred(x -> first);
    third.addCallbackDeferred(x -> second);
    third.addCallback(log::add);
    second.callback(null);
    third.callback(null);
    assertThat(log).isEmpty();

    first.callback(r);

    assertThat(log).containsExactly(r);
  }

  // --- Scenario 17 ------------------------------------------------------------------------------

  /** The scenario's {@code cb}: a fired Deferred whose first callback returns {@code inner}. */
  private Deferred<String> nestedCallback(String result, Deferred<String> inner) {
    log.add(entry("start-of-cb", result));
    Deferred<String> d = Deferred.succeed("inner");
    d.addCallbackDeferred(
            x -> {
              log.add(entry("firstCallback", "inner"));
              return inner;
            })
        .addCallback(
            r -> {
              log.add(entry("secondCallback", r));
              return r + r;
            })
        .addErrback(this::recordFailure);
    return Deferred.narrow(d);
  }

  @Test
  void nestedAsynchronousChainsPreserveOrder() {
    Deferred<String> inner = Deferred.create();
    Deferred<String> outer = Deferred.succeed("outer");
    outer.addCallbackDeferred(r -> nestedCallback(r, inner)).addCallback(log::add);
    assertThat(log).containsExactly(entry("start-of-cb", "outer"), entry("firstCallback", "inner"));

    inner.callback("orange");

    assertThat(log)
        .containsExactly(
            entry("start-of-cb", "outer"),
            entry("firstCallback", "inner"),
            entry("secondCallback", "orange"),
            "orangeorange");
    assertThat(failures).isEmpty();
  }

  @Test
  void nestedAsynchronousChainsPreserveOrderWhenTheOutersLastCallbackIsAddedAfterTheInnerFires() {
    Deferred<String> inner = Deferred.create();
    Deferred<String> outer = Deferred.succeed("outer");
    Deferred<String> waiting = outer.addCallbackDeferred(r -> nestedCallback(r, inner));

    inner.callback("orange");
    waiting.addCallback(log::add);

    assertThat(log)
        .containsExactly(
            entry("start-of-cb", "outer"),
            entry("firstCallback", "inner"),
            entry("secondCallback", "orange"),
            "orangeorange");
    assertThat(failures).isEmpty();
  }

  // --- Scenarios 19 and 20 ----------------------------------------------------------------------

  /** The scenarios' {@code cb}: a Deferred whose first callback returns gatherResults([a]). */
  private Deferred<Object> gatheringCallback(Object result, Deferred<String> a) {
    log.add(entry("cb", result));
    Deferred<Object> d = Deferred.create();
    Deferred<Object> ret =
        d.addCallbackDeferred(
                r -> {
                  log.add(entry("firstCallback", r));
                  return Deferreds.gatherResults(List.of(a));
                })
            .<Object>addCallback(
                r -> {
                  log.add(entry("secondCallback", r));
                  return null;
                })
            .addErrback(this::recordFailure);
    d.callback(null);
    return ret;
  }

  @Test
  void theContinueCallbackNeedNotBeFirst() {
    Deferred<String> a = Deferred.create();
    Deferred.succeed("outer")
        .addCallbackDeferred(r -> gatheringCallback(r, a))
        .addErrback(this::recordFailure);
    assertThat(log).containsExactly(entry("cb", "outer"), entry("firstCallback", null));

    a.callback("withers");

    assertThat(log.get(log.size() - 1)).isEqualTo(entry("secondCallback", List.of("withers")));
    assertThat(failures).isEmpty();
  }

  @Test
  void callbacksAddedBeforeFiringRunAfterTheInnerChain() {
    Deferred<String> a = Deferred.create();
    Deferred<Object> outer = Deferred.create();
    outer
        .addCallbackDeferred(r -> gatheringCallback(r, a))
        .addCallback(r -> log.add(entry("final", null)))
        .addErrback(this::recordFailure);
    outer.callback("outer");
    assertThat(log).containsExactly(entry("cb", "outer"), entry("firstCallback", null));

    a.callback("withers");

    assertThat(log)
        .containsExactly(
            entry("cb", "outer"),
            entry("firstCallback", null),
            entry("secondCallback", List.of("withers")),
            entry("final", null));
    assertThat(failures).isEmpty();
  }

  @Test
  void callbacksAddedToAWaitingOuterRunAfterTheInnerFiresFollowingItsEarlierCallbacks() {
    // Spec section 4, consequence 5.
    Deferred<String> inner = Deferred.create();
    Deferred<String> outer = Deferred.succeed("start");
    outer.addCallbackDeferred(x -> inner).addCallback(rec("earlier"));
    outer.addCallback(rec("added while waiting"));
    assertThat(log).isEmpty();

    inner.callback("R");

    assertThat(log).containsExactly(entry("earlier", "R"), entry("added while waiting", "R"));
  }

  // --- Scenario 22 ------------------------------------------------------------------------------

  @Test
  void aPausedInnerWithAResultIsTreatedAsHavingNoResult() {
    Object x = new Object();
    Deferred<Object> paused = Deferred.succeed(x);
    paused.pause();
    Deferred<Object> chained = Deferred.create();
    chained.addCallbackDeferred(r -> paused);
    chained.callback(null);
    chained.addCallback(log::add);
    assertThat(log).isEmpty();

    paused.unpause();

    assertThat(log).containsExactly(x);
  }

  // --- Scenario 23 ------------------------------------------------------------------------------

  @Test
  void aPausedOuterDoesNotBlockCallbacksAddedLaterToTheInner() {
    Deferred<Object> first = Deferred.create();
    Deferred<Object> second = Deferred.create();
    first.addCallbackDeferred(x -> second);
    first.callback(null);
    first.pause();

    second.callback(null);
    second.addCallback(log::add);

    assertThat(log).containsExactly((Object) null);
  }

  @Test
  void innersLaterCallbacksStillRunAtOnceWhenItHandsItsResultToAPausedOuter_decision4() {
    // Twisted (spec section 4, consequence 7) skips X here until R's loop is triggered again.
    Deferred<String> r = Deferred.create();
    Deferred<Object> outer = Deferred.succeed(null);
    outer.addCallbackDeferred(x -> r).addCallback(rec("outer"));
    r.addCallback(rec("X"));
    outer.pause();

    r.callback("value");

    assertThat(log).containsExactly(entry("X", null));
    outer.unpause();
    assertThat(log).containsExactly(entry("X", null), entry("outer", "value"));
  }

  // --- Scenario 25 ------------------------------------------------------------------------------

  @Test
  void oneInnerReturnedByTwoOutersGivesTheValueToTheFirstAndNullToTheSecond_decision5() {
    Deferred<String> inner = Deferred.create();
    Deferred<Object> a = Deferred.create();
    Deferred<Object> b = Deferred.create();
    a.addCallbackDeferred(x -> inner).addCallback(rec("a"));
    b.addCallbackDeferred(x -> inner).addCallback(rec("b"));

    a.callback(null);
    b.callback(null);
    inner.callback("X");
    inner.addCallback(rec("inner"));

    assertThat(log).containsExactly(entry("a", "X"), entry("b", null), entry("inner", null));
  }

  // --- Scenario 26 ------------------------------------------------------------------------------

  @Test
  void callbackReturningItsOwnDeferredFailsTheChainInsteadOfStalling_decision2() {
    Deferred<Object> d = Deferred.create();
    d.addCallbackDeferred(r -> d);

    d.callback("foo");

    assertThat(d.isPaused()).isFalse();
    Failure failure = failureResultOf(d, IllegalStateException.class);
    assertThat(failure.getErrorMessage()).contains("returned the Deferred it was attached to");
    d.addCallback(log::add);
    assertThat(log).containsExactly((Object) null);
  }

  @Test
  void errbackReturningItsOwnDeferredAlsoFailsTheChain_decision2() {
    Deferred<Object> d = Deferred.create();
    d.addErrbackDeferred(f -> d);
    d.errback(new GenericError());
    failureResultOf(d, IllegalStateException.class);
  }

  // --- Spec 6.5: chainDeferred ------------------------------------------------------------------

  @Test
  void chainDeferredFiresTheOtherWithTheSameResultAndLeavesNullInTheFirst() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    d2.addCallback(rec("d2"));
    Deferred<Void> after = d1.chainDeferred(d2);
    after.addCallback(rec("d1 after"));

    d1.callback("R");

    assertThat(log).containsExactly(entry("d2", "R"), entry("d1 after", null));
    assertThat(after).isSameAs(d1);
  }

  @Test
  void theChainedTargetSaysItWaitsOnTheSourceUntilItFires() {
    // Twisted's _chainedTo: repr(a) after b.chainDeferred(a) is "waiting on Deferred at 0x<b>".
    Deferred<String> b = Deferred.create();
    Deferred<String> a = Deferred.create();
    b.chainDeferred(a);

    assertThat(a.toString())
        .isEqualTo(
            "Deferred@"
                + Integer.toHexString(System.identityHashCode(a))
                + "{waiting on Deferred@"
                + Integer.toHexString(System.identityHashCode(b))
                + "}");
    assertThat(b.toString()).endsWith("{no result}");

    b.callback("R");

    assertThat(a.toString()).endsWith("{current result: R}");
    assertThat(b.toString()).endsWith("{current result: null}");
  }

  @Test
  void aChainedTargetFiredFirstNoLongerSaysItWaits() {
    Deferred<String> b = Deferred.create();
    Deferred<String> a = Deferred.create();
    b.chainDeferred(a);

    a.callback("own");

    assertThat(a.toString()).endsWith("{current result: own}");
  }

  @Test
  void aTargetAlreadyFiredWhenChainedDoesNotSayItWaits() {
    Deferred<String> b = Deferred.create();
    Deferred<String> a = Deferred.succeed("already");
    b.chainDeferred(a);

    assertThat(a.toString()).endsWith("{current result: already}");
  }

  @Test
  void chainDeferredPassesTheSameFailureOnAsAnErrback() {
    Failure failure = Failure.of(new GenericError());
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    d1.chainDeferred(d2);

    d1.errback(failure);

    assertThat(failureResultOf(d2)).isSameAs(failure);
    assertThat(successResultOf(d1)).isNull(); // the failure now belongs to d2
  }

  @Test
  void firingTheChainedTargetFirstDoesNotAffectTheSource() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    d1.chainDeferred(d2);

    d2.callback("d2's own");

    assertThat(d1.isCalled()).isFalse();
    assertThat(successResultOf(d2)).isEqualTo("d2's own");
  }

  @Test
  void chainDeferredToAnAlreadyFiredTargetFailsTheSourceWithAlreadyCalled() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.succeed("already");
    d1.chainDeferred(d2);

    d1.callback("late");

    failureResultOf(d1, AlreadyCalledException.class);
    assertThat(successResultOf(d2)).isEqualTo("already");
  }

  @Test
  void chainDeferredAddedAfterFiringHandsTheResultOverAtOnce() {
    Deferred<String> d1 = Deferred.succeed("now");
    Deferred<String> d2 = Deferred.create();
    d2.addCallback(rec("d2"));
    d1.chainDeferred(d2);
    assertThat(log).containsExactly(entry("d2", "now"));
  }

  @Test
  void callbacksAddedToTheSourceFromTheTargetsChainRunAfterItNotInsideIt() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    d1.chainDeferred(d2);
    d2.addCallback(
        r -> {
          d1.addCallback(rec("added to d1"));
          log.add("d2 callback end");
          return r;
        });

    d1.callback("R");

    assertThat(log).containsExactly("d2 callback end", entry("added to d1", null));
  }

  @Test
  void aTargetThatWaitsOnAnInnerDoesNotHoldUpTheSource() {
    Deferred<String> d1 = Deferred.create();
    Deferred<String> d2 = Deferred.create();
    Deferred<String> inner = Deferred.create();
    d2.addCallbackDeferred(r -> inner).addCallback(rec("d2"));
    d1.chainDeferred(d2).addCallback(rec("d1"));

    d1.callback("R");
    assertThat(log).containsExactly(entry("d1", null));
    inner.callback("inner");

    assertThat(log).containsExactly(entry("d1", null), entry("d2", "inner"));
  }

  // --- Typing of the Deferred-returning variants ------------------------------------------------

  @Test
  void addCallbackDeferredTypesTheChainByTheInnerResult() {
    Deferred<Integer> inner = Deferred.create();
    Function<String, Deferred<Integer>> parse = s -> inner;
    Deferred<Integer> chained = Deferred.succeed("42").addCallbackDeferred(parse::apply);
    assertNoResult(chained);
    inner.callback(42);
    assertThat(successResultOf(chained)).isEqualTo(42);
  }

  @Test
  void aPlainAddCallbackThatReturnsADeferredChainsToo() {
    Deferred<Object> d = Deferred.succeed(null);
    Deferred<String> inner = Deferred.create();
    d.addCallback(x -> inner);
    inner.callback("chained");
    assertThat(successResultOf(d)).isEqualTo("chained");
  }

  @Test
  void addBothDeferredWaitsOnTheReturnedDeferred() {
    Deferred<String> inner = Deferred.create();
    Deferred<String> d = Deferred.<Object>fail(new GenericError()).addBothDeferred(o -> inner);
    assertNoResult(d);
    inner.callback("done");
    assertThat(successResultOf(d)).isEqualTo("done");
  }

  @Test
  void addCallbacksDeferredRunsOnlyTheSideThatMatches() {
    Deferred<String> d = Deferred.fail(new GenericError());
    d.addCallbacksDeferred(
        r -> Deferred.succeed("callback side"), f -> Deferred.succeed("errback side"));
    assertThat(successResultOf(d)).isEqualTo("errback side");
  }

  @Test
  void chainDeferredRejectsNull() {
    assertThatThrownBy(() -> Deferred.create().chainDeferred(null))
        .isInstanceOf(NullPointerException.class);
  }
}
