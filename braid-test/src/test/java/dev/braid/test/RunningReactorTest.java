package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.reactor.SelectorReactor;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** A reactor on its own thread, driven from JUnit's thread. */
class RunningReactorTest {
  @Test
  void callRunsTheWorkOnTheReactorThreadAndReturnsItsResult() {
    try (RunningReactor r = RunningReactor.start()) {
      assertThat(r.call(Thread::currentThread)).isSameAs(r.thread());
      assertThat(r.call(() -> r.reactor().isReactorThread())).isTrue();
    }
  }

  @Test
  void aReactorSetUpBeforehandRunsWhatWasScheduledOnStart() {
    SelectorReactor reactor = SelectorReactor.create();
    Deferred<String> ready = Deferred.create();
    reactor.callWhenRunning(() -> ready.callback("ready"));
    try (RunningReactor r = RunningReactor.start(reactor)) {
      assertThat(r.reactor()).isSameAs(reactor);
      assertThat(r.await(() -> ready)).isEqualTo("ready");
    }
  }

  @Test
  void awaitRethrowsAFailureAsAnAssertionErrorAndOutcomeOfReturnsIt() {
    try (RunningReactor r = RunningReactor.start()) {
      IOException boom = new IOException("boom");
      assertThatThrownBy(() -> r.await(() -> Deferred.fail(boom)))
          .isInstanceOf(AssertionError.class)
          .hasCause(boom);
      assertThat(r.outcomeOf(() -> Deferred.fail(boom))).isInstanceOf(Outcome.Failed.class);
    }
  }

  @Test
  void anExceptionFromTheWorkIsRethrownOnTheTestThread() {
    try (RunningReactor r = RunningReactor.start()) {
      assertThatThrownBy(
              () ->
                  r.run(
                      () -> {
                        throw new IllegalArgumentException("bad");
                      }))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("bad");
    }
  }

  @Test
  void blockingOnTheReactorThreadThrowsInsteadOfDeadlocking() {
    try (RunningReactor r = RunningReactor.start()) {
      Outcome<Object> outcome =
          r.outcomeOf(() -> Deferred.maybeDeferred(() -> r.call(() -> "never")));
      assertThat(((Outcome.Failed<Object>) outcome).failure().value())
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("called on the reactor thread " + r.thread().getName());
    }
  }

  @Test
  void closeStopsTheReactorAndJoinsItsThread() {
    RunningReactor r = RunningReactor.start();
    r.close();
    assertThat(r.thread().getState()).isEqualTo(Thread.State.TERMINATED);
    assertThat(r.reactor().isRunning()).isFalse();
  }

  @Test
  void awaitExitReturnsOnceTheTestHasStoppedTheReactor() {
    RunningReactor r = RunningReactor.start();
    r.run(() -> r.reactor().stop());
    r.awaitExit();
    assertThat(r.thread().getState()).isEqualTo(Thread.State.TERMINATED);
    r.close(); // nothing left to do
  }
}
