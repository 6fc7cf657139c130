package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongConsumer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Shutdown of a server on two reactors, through a real SIGTERM: the grace spans the group. The
 * connections in flight on both reactors finish within it (no reactor closes its connections while
 * the other's drain runs), or are all reset when it expires; the log says so in one line for the
 * whole server, with the total across the reactors.
 */
@Tag("loopback")
@ExtendWith(LeftoverThreads.class)
class GroupShutdownCommandTest {
  /** As {@link ShutdownCommandTest#LOG_PIECES}, with the thread that sends each piece. */
  static final List<String> LOG_PIECES_AND_THREADS =
      List.of(
          "-Dorg.slf4j.simpleLogger.log.dev.braid.poetry.PoetryServerProtocol=debug",
          "-Dorg.slf4j.simpleLogger.showThreadName=true");

  /** Enough that the kernel puts some on each reactor (all on one: 2 in 65,536). */
  static final int CLIENTS = 16;

  @TempDir Path dir;
  private String poemFile;
  private byte[] poem;

  @BeforeEach
  void writeThePoem() throws IOException {
    poem = Poems.named("single_flight").bytes();
    poemFile = Files.write(dir.resolve("poem.txt"), poem).toString();
  }

  @Test
  void theConnectionsInFlightOnEveryReactorFinishWithinTheGrace() throws Exception {
    // 901 bytes, 100 every 0.5 s: 4.5 s each, all still in flight at the SIGTERM, and well within
    // a 30 s grace.
    try (PoetryProcess server =
            PoetryProcess.start(
                LOG_PIECES_AND_THREADS,
                "serve",
                "--reactors",
                "2",
                "--delay",
                "0.5",
                "--num-bytes",
                "100",
                "--shutdown-grace",
                "30",
                poemFile);
        RunningReactor client = RunningReactor.start()) {
      List<CompletableFuture<Outcome<byte[]>>> gets = connect(server, client);
      server.terminate();
      for (CompletableFuture<Outcome<byte[]>> get : gets) {
        assertThat(RunningReactor.get(get).get()).isEqualTo(poem);
      }
      server.awaitExit();
      assertServedFromBothReactors(server);
      assertThat(server.err())
          .containsOnlyOnce("Shutting down: no longer accepting connections")
          .contains("the " + CLIENTS + " connections in flight get up to 30 seconds to finish.")
          .doesNotContain("resetting");
    }
  }

  @Test
  void whenTheGraceExpiresTheConnectionsOfEveryReactorAreResetAndCountedOnce() throws Exception {
    // 901 bytes, 10 every 0.2 s: 18 s each, far more than the 0.5 s grace.
    try (PoetryProcess server =
            PoetryProcess.start(
                LOG_PIECES_AND_THREADS,
                "serve",
                "--reactors",
                "2",
                "--delay",
                "0.2",
                "--num-bytes",
                "10",
                "--shutdown-grace",
                "0.5",
                poemFile);
        RunningReactor client = RunningReactor.start()) {
      List<CompletableFuture<Outcome<byte[]>>> gets = connect(server, client);
      server.terminate();
      for (CompletableFuture<Outcome<byte[]>> get : gets) {
        assertThat(RunningReactor.get(get))
            .as("a failure, never part of a poem")
            .isInstanceOf(Outcome.Failed.class);
      }
      server.awaitExit();
      assertServedFromBothReactors(server);
      assertThat(server.err())
          .containsOnlyOnce("Shutting down: resetting")
          .contains(
              "Shutting down: resetting the "
                  + CLIENTS
                  + " connections still in flight after 0.5 seconds.");
    }
  }

  /**
   * Starts {@link #CLIENTS} gets and waits until each has received the first piece of its poem, so
   * that all are in flight.
   */
  private static List<CompletableFuture<Outcome<byte[]>>> connect(
      PoetryProcess server, RunningReactor client) {
    int port = server.port();
    Deferred<Void> allReceiving = client.call(Deferred::create);
    int[] receiving = {0};
    List<CompletableFuture<Outcome<byte[]>>> gets = new ArrayList<>();
    for (int i = 0; i < CLIENTS; i++) {
      boolean[] first = {true};
      LongConsumer progress =
          bytes -> {
            if (first[0]) {
              first[0] = false;
              if (++receiving[0] == CLIENTS) {
                allReceiving.callback(null);
              }
            }
          };
      gets.add(
          client.outcomeFuture(
              () -> PoetryClient.fetch(client.reactor(), "127.0.0.1", port, progress)));
    }
    client.await(() -> allReceiving);
    return gets;
  }

  private static void assertServedFromBothReactors(PoetryProcess server) {
    assertThat(server.err())
        .as("pieces sent from each reactor's thread")
        .contains("[braid-reactor-1]")
        .contains("[braid-reactor-2]");
  }
}
