package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferreds;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Reactor;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.RawClient;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability item 7 (docs/reliability.md): over {@code --max-connections}, new clients are
 * disconnected at once without a byte; once the clients being served leave, the count is back to
 * zero: as many new clients as the cap are served again, and one more is refused again.
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class ConnectionCapTest {
  static final int CAP = 5;
  static final int DELAY_SECONDS = 60;

  @TempDir Path dir;
  private TestEnv.Server server;
  private int port;

  @BeforeEach
  void startASlowServerWithACap() throws IOException {
    Path poem = Files.write(dir.resolve("poem.txt"), Poems.named("deferred").bytes());
    // 10 bytes now, the next 10 a minute later: each client is served for the whole test.
    server =
        TestEnv.redirected()
            .start(
                "serve",
                "--max-connections",
                Integer.toString(CAP),
                "--delay",
                Integer.toString(DELAY_SECONDS),
                poem.toString());
    port = ServerCommandsTest.port(server.banner(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
  }

  @AfterEach
  void stopServer() {
    assertThat(server.stop()).isZero();
  }

  /** Connects one client; true once it has its first bytes, false if it is closed without any. */
  private static boolean serve(Reactor reactor, RawClient c) throws Exception {
    Async.await(c.connected);
    while (c.received.size() == 0 && !c.ended.isCalled()) {
      Async.await(Deferreds.deferLater(reactor, 0.002, () -> null));
    }
    return c.received.size() > 0;
  }

  @Test
  void clientsOverTheCapAreClosedAtOnceAndTheCountReturnsToZero(
      Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              for (int round = 0; round < 3; round++) {
                List<RawClient> served = new ArrayList<>();
                int refusedUnderTheCap = 0;
                while (served.size() < CAP) {
                  RawClient c = RawClient.connect(reactor, port, new byte[0]);
                  if (serve(reactor, c)) {
                    served.add(c);
                  } else {
                    // After a round, the server may not have seen the last resets yet.
                    assertThat(round).as("refused under the cap in the first round").isPositive();
                    assertThat(++refusedUnderTheCap).isLessThan(1000);
                  }
                }
                double start = reactor.seconds();
                for (int i = 0; i < 3; i++) {
                  RawClient over = RawClient.connect(reactor, port, new byte[0]);
                  // The reset may even come before the client saw its connect complete.
                  Outcome<RawClient> connected = Async.await(over.connected.addBoth(o -> o));
                  Outcome<ConnectionEnd> end = Async.await(over.ended.addBoth(o -> o));
                  assertThat(over.received.size()).as("refused without a byte (%s)", end).isZero();
                  if (connected instanceof Outcome.Success<RawClient>) {
                    assertThat(end.get())
                        .as("refused with a reset")
                        .isInstanceOf(ConnectionLost.class);
                  } else {
                    assertThat(((Outcome.Failed<ConnectionEnd>) end).failure().value())
                        .hasMessageContaining("reset");
                  }
                }
                // A poetry client sees the refusal as a failure, not as an empty poem.
                Outcome<byte[]> refused =
                    Async.await(
                        PoetryClient.fetch(reactor, "127.0.0.1", port, null).addBoth(o -> o));
                assertThat(refused).isInstanceOf(Outcome.Failed.class);
                // Served clients get their next bytes after DELAY; a refusal comes at once,
                // however loaded the machine, so half that tells the two apart.
                assertThat(reactor.seconds() - start)
                    .as("refused at once")
                    .isLessThan(DELAY_SECONDS / 2);
                for (RawClient c : served) {
                  assertThat(c.ended.isCalled()).as("still being served").isFalse();
                  c.abort();
                  Async.await(c.ended);
                }
              }
              return null;
            }));
  }
}
