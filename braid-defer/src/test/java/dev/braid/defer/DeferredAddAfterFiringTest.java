package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Callbacks added to a Deferred that already has a result and nothing queued run at once without a
 * chain entry (the allocation-free path of {@code add}); they must behave exactly like the loop.
 */
class DeferredAddAfterFiringTest {
  private final List<Object> log = new ArrayList<>();

  @Test
  void callbackAddedAfterFiringRunsAtOnceWithTheCurrentResult() {
    Deferred<Integer> d = Deferred.succeed(1);

    Deferred<Integer> out = d.addCallback(x -> x + 1).addCallback(x -> x * 10);

    assertThat(successResultOf(out)).isEqualTo(20);
  }

  @Test
  void callbackThatAddsToItsOwnDeferredRunsTheAddedOneAfterItReturns() {
    Deferred<Object> d = Deferred.succeed("a");

    d.addCallback(
        r -> {
          log.add(r);
          d.addCallback(x -> log.add("added " + x));
          log.add("returning");
          return "b";
        });

    assertThat(log).containsExactly("a", "returning", "added b");
  }

  @Test
  void exceptionFromACallbackAddedAfterFiringGoesToTheNextErrback() {
    Deferred<Object> d = Deferred.succeed("a");

    d.addCallback(
        r -> {
          throw new IllegalStateException("boom");
        });
    assertThat(UnhandledFailures.pending())
        .anySatisfy(u -> assertThat(u.failure().getErrorMessage()).isEqualTo("boom"));
    d.addErrback(f -> "recovered " + f.getErrorMessage());

    assertThat(successResultOf(d)).isEqualTo("recovered boom");
    assertThat(UnhandledFailures.pending())
        .noneSatisfy(u -> assertThat(u.failure().getErrorMessage()).isEqualTo("boom"));
  }

  @Test
  void sideOfAPairThatDoesNotApplyLeavesTheResultAlone() {
    Deferred<String> d = Deferred.succeed("kept");

    d.addErrback(f -> "not called");

    assertThat(successResultOf(d)).isEqualTo("kept");
  }

  @Test
  void callbackAddedAfterFiringThatReturnsAnUnfiredDeferredMakesTheChainWait() {
    Deferred<String> d = Deferred.succeed("outer");
    Deferred<String> inner = Deferred.create();

    Deferred<String> out = d.addCallbackDeferred(x -> inner).addCallback(x -> x + "!");
    assertNoResult(out);
    assertThat(d.isPaused()).isTrue();

    inner.callback("inner");

    assertThat(successResultOf(out)).isEqualTo("inner!");
  }

  @Test
  void failureHeldWhileWaitingOnAnInnerDeferredIsNoLongerUnhandled() {
    Deferred<Object> bad = Deferred.fail(new Exception("handled by waiting"));
    Deferred<Object> good = Deferred.create();

    bad.addErrbackDeferred(f -> good);

    assertThat(UnhandledFailures.pending())
        .noneSatisfy(
            u -> assertThat(u.failure().getErrorMessage()).isEqualTo("handled by waiting"));
    good.callback("fine");
    assertThat(successResultOf(bad)).isEqualTo("fine");
  }

  @Test
  void addBothAfterFiringSeesTheOutcome() {
    Deferred<String> d = Deferred.fail(new Exception("why"));

    Deferred<String> out =
        d.addBoth(
            o ->
                switch (o) {
                  case Outcome.Success<String>(String v) -> "value " + v;
                  case Outcome.Failed<String>(Failure f) -> "failure " + f.getErrorMessage();
                });

    assertThat(successResultOf(out)).isEqualTo("failure why");
  }

  @Test
  void nestingThreeDeepResumesEachWaitingDeferredInnermostLast() {
    Deferred<Object> a = Deferred.create();
    Deferred<Object> b = Deferred.create();
    Deferred<Object> c = Deferred.create();
    a.addCallbackDeferred(x -> b).addCallback(x -> log.add("a got " + x));
    b.addCallbackDeferred(x -> c)
        .addCallback(
            x -> {
              log.add("b got " + x);
              return "from b";
            });
    a.callback("a");
    b.callback("b");
    c.addCallback(x -> log.add("c after: " + x));
    b.addCallback(x -> log.add("b after: " + x));

    c.callback("c");

    assertThat(log).containsExactly("b got c", "a got from b", "b after: null", "c after: null");
  }
}
