package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.DeferredTimeoutException;
import dev.braid.defer.Failure;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.poetry.testing.LoopbackPorts;
import dev.braid.test.RunningReactor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The poetry server and client over real loopback sockets. */
@Tag("loopback")
class PoetryLoopbackTest {
  static final Poems.Poem POEM = Poems.named("single_flight");

  static int listen(RunningReactor r, dev.braid.net.Factory factory) {
    return r.listen(factory);
  }

  static int serve(RunningReactor r, Pacing pacing) {
    return listen(
        r, PoetryServerFactory.create(PoetryService.of(POEM.bytes(), pacing), r.reactor()));
  }

  @Test
  void aFastServerSendsTheWholePoem() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = serve(r, Pacing.atOnce());
      assertThat(r.await(() -> PoetryClient.getPoetry(r.reactor(), "127.0.0.1", port)))
          .isEqualTo(POEM.text());
    }
  }

  @Test
  void aSlowServerSendsThePoemInPiecesAndTheClientSeesEachOne() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = serve(r, Pacing.chunks(100, Duration.ofMillis(5)));
      List<Long> progress = new ArrayList<>();
      byte[] poem =
          r.await(() -> PoetryClient.fetch(r.reactor(), "127.0.0.1", port, progress::add));
      assertThat(poem).isEqualTo(POEM.bytes());
      assertThat(progress).hasSizeGreaterThanOrEqualTo(POEM.bytes().length / 100).isSorted();
    }
  }

  @Test
  void aClientAndAManyPoemsAtOnceFromBothKindsOfServer() {
    try (RunningReactor r = RunningReactor.start()) {
      int fast = serve(r, Pacing.atOnce());
      int slow = serve(r, Pacing.chunks(300, Duration.ofMillis(5)));
      List<Outcome<String>> outcomes = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        int port = i % 2 == 0 ? fast : slow;
        outcomes.add(r.outcomeOf(() -> PoetryClient.getPoetry(r.reactor(), "127.0.0.1", port)));
      }
      assertThat(outcomes).allSatisfy(o -> assertThat(o.get()).isEqualTo(POEM.text()));
    }
  }

  @Test
  void noServerMeansConnectionRefusedNamingTheAddress() {
    int port = LoopbackPorts.unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      Outcome<String> o = r.outcomeOf(() -> PoetryClient.getPoetry(r.reactor(), "127.0.0.1", port));
      Failure f = ((Outcome.Failed<String>) o).failure();
      assertThat(f.value())
          .isInstanceOf(ConnectionRefusedError.class)
          .hasMessage("127.0.0.1:" + port + ": connection refused");
    }
  }

  @Test
  void aTimeoutFailsTheSlowDownloadAndClosesItsConnection() {
    try (RunningReactor r = RunningReactor.start()) {
      Observed server =
          Observed.wrap(
              PoetryServerFactory.create(
                  PoetryService.of(POEM.bytes(), Pacing.chunks(10, Duration.ofSeconds(10))),
                  r.reactor()));
      int port = listen(r, server);
      Outcome<byte[]> o =
          r.outcomeOf(
              () ->
                  PoetryClient.fetch(r.reactor(), "127.0.0.1", port, null)
                      .addTimeout(Duration.ofMillis(200), r.reactor()));
      assertThat(((Outcome.Failed<byte[]>) o).failure().value())
          .isInstanceOf(DeferredTimeoutException.class);
      r.await(() -> server.whenLost(1));
      assertThat(server.lost()).as("the server saw the client close").isEqualTo(1);
      assertThat(r.call(() -> r.reactor().getDelayedCalls().size()))
          .as("the slow server stopped its timer")
          .isZero();
    }
  }
}
