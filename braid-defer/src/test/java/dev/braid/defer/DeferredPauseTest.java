package dev.braid.defer;

import static dev.braid.defer.DeferredResults.assertNoResult;
import static dev.braid.defer.DeferredResults.successResultOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.TestErrors.GenericError;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Conformance section E and spec section 7: pause and unpause. */
class DeferredPauseTest {
  private final List<Object> log = new ArrayList<>();

  @Test
  void pausedFailedDeferredQueuesErrbacksUntilUnpaused() {
    Deferred<Object> d = Deferred.fail(new GenericError("fail"));
    d.pause();
    d.addErrback(
        f -> {
          log.add(f);
          return null;
        });
    assertThat(log).isEmpty();
    assertNoResult(d);

    d.unpause();

    assertThat(log).singleElement().isInstanceOf(Failure.class);
    assertThat(((Failure) log.get(0)).getErrorMessage()).isEqualTo("fail");
  }

  @Test
  void pausedDeferredStoresItsResultWhenFiredAndRunsCallbacksOnUnpause() {
    Deferred<String> d = Deferred.create();
    d.addCallback(log::add);
    d.pause();
    d.callback("v");
    assertThat(d.isCalled()).isTrue();
    assertThat(log).isEmpty();

    d.unpause();

    assertThat(log).containsExactly("v");
  }

  @Test
  void nestedPausesNeedAsManyUnpauses() {
    Deferred<String> d = Deferred.succeed("v");
    d.pause();
    d.pause();
    d.addCallback(log::add);
    d.unpause();
    assertThat(log).isEmpty();
    assertThat(d.isPaused()).isTrue();

    d.unpause();

    assertThat(log).containsExactly("v");
    assertThat(d.isPaused()).isFalse();
  }

  @Test
  void pauseAddUnpauseOnAnUnfiredDeferredRunsNothing() {
    Deferred<String> d = Deferred.create();
    d.pause();
    d.addCallback(log::add);
    d.unpause();
    assertThat(log).isEmpty();
    d.callback("later");
    assertThat(log).containsExactly("later");
  }

  @Test
  void unbalancedUnpauseThrowsAndChangesNothing_decision3() {
    // Twisted lets paused go to -1, after which nothing runs until a pause() brings it back.
    Deferred<Object> d = Deferred.create();
    assertThatThrownBy(d::unpause)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("unpause() without a matching pause()");

    d.addCallback(log::add);
    d.callback(1);

    assertThat(log).containsExactly(1);
  }

  @Test
  void unpausingAWaitingDeferredThatWasNotPausedThrowsAndItKeepsWaiting_decision3() {
    Deferred<String> inner = Deferred.create();
    Deferred<Object> outer = Deferred.succeed(null);
    outer.addCallbackDeferred(x -> inner).addCallback(log::add);
    assertThat(outer.isPaused()).isTrue();

    assertThatThrownBy(outer::unpause).isInstanceOf(IllegalStateException.class);

    assertThat(log).isEmpty();
    inner.callback("inner");
    assertThat(log).containsExactly("inner");
  }

  @Test
  void explicitPauseOfAWaitingDeferredIsUndoneByOneUnpause() {
    Deferred<String> inner = Deferred.create();
    Deferred<Object> outer = Deferred.succeed(null);
    outer.addCallbackDeferred(x -> inner).addCallback(log::add);
    outer.pause();
    outer.unpause();
    assertThat(outer.isPaused()).isTrue(); // still waiting on inner

    inner.callback("inner");

    assertThat(log).containsExactly("inner");
    assertThat(successResultOf(outer)).isEqualTo(true);
  }
}
