package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.reactor.SelectorReactor;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
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

  @Test
  void awaitFailureFailsWhenRunReturnedNormally() {
    RunningReactor r = RunningReactor.start();
    r.run(() -> r.reactor().stop());
    assertThatThrownBy(r::awaitFailure)
        .isInstanceOf(AssertionError.class)
        .hasMessage("the reactor's run() returned normally instead of throwing");
    r.close();
  }

  @Test
  @Tag("loopback")
  void listenServesOnALoopbackPortUntilTheReactorStops() throws IOException {
    CompletableFuture<InetSocketAddress> accepted = new CompletableFuture<>();
    int port;
    try (RunningReactor r = RunningReactor.start()) {
      port =
          r.listen(
              address -> {
                accepted.complete(address);
                return new BaseProtocol() {
                  @Override
                  protected void connectionMade() {
                    transport().write(new byte[] {42});
                    transport().loseConnection();
                  }
                };
              });
      try (Socket client = new Socket("127.0.0.1", port)) {
        assertThat(client.getInputStream().readAllBytes()).containsExactly(42);
        assertThat(RunningReactor.get(accepted).getPort()).isEqualTo(client.getLocalPort());
      }
    }
    try (Socket again = new Socket()) {
      assertThatThrownBy(() -> again.connect(new InetSocketAddress("127.0.0.1", port), 5000))
          .isInstanceOf(ConnectException.class);
    }
  }
}
