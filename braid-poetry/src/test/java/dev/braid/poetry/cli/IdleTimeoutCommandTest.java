package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.poetry.LeftoverThreads;
import dev.braid.poetry.RawClient;
import dev.braid.reactor.Reactor;
import dev.braid.reactor.Tasks;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --idle-timeout} on the servers: a client that sends nothing is closed cleanly after the
 * period; a client that stops reading a long poem cannot be closed cleanly (the poem does not
 * drain), so it is reset one more period later instead of being held forever.
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class IdleTimeoutCommandTest {
  @TempDir Path dir;

  @Test
  void anIdleClientIsClosedCleanlyAfterTheIdleTimeout(Reactor reactor, AfterTest afterTest) {
    TestEnv.Server server = TestEnv.redirected().start("transform-server", "--idle-timeout", "0.5");
    int port =
        ServerCommandsTest.port(server.banner(), "Transforming poems on 127\\.0\\.0\\.1:(\\d+) .*");
    afterTest.await(
        Async.run(
                () -> {
                  double start = reactor.seconds();
                  RawClient idle = RawClient.connect(reactor, port, new byte[0]);
                  ConnectionEnd end = Async.await(idle.ended);
                  assertThat(end).isInstanceOf(ConnectionDone.class);
                  assertThat(reactor.seconds() - start).isBetween(0.45, 2.0);
                  return null;
                })
            .addBoth(
                outcome -> {
                  assertThat(server.stop()).isZero();
                  return outcome.get();
                }));
  }

  @Test
  void aClientThatStopsReadingIsResetOnePeriodAfterTheCleanCloseCouldNotHappen(
      Reactor reactor, AfterTest afterTest) throws IOException {
    byte[] poem = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(poem, (byte) 'x');
    Path file = Files.write(dir.resolve("long.txt"), poem);
    TestEnv.Server server =
        TestEnv.redirected().start("serve", "--idle-timeout", "0.5", file.toString());
    int port = ServerCommandsTest.port(server.banner(), "Serving .* on 127\\.0\\.0\\.1:(\\d+)\\.");
    afterTest.await(
        Async.run(
                () -> {
                  RawClient c = RawClient.connect(reactor, port, new byte[0]);
                  Async.await(c.connected);
                  c.stopReading();
                  // Long enough for the clean close (at 0.5 s without progress) and the reset
                  // (0.5 s later); then read again: what the kernel holds, then the reset.
                  Async.await(Tasks.deferLater(reactor, 2.5, () -> null));
                  c.resumeReading();
                  ConnectionEnd end = Async.await(c.ended);
                  assertThat(end)
                      .as("reset, not held until it reads")
                      .isInstanceOf(ConnectionLost.class);
                  assertThat(c.received.size()).isLessThan(poem.length);
                  return null;
                })
            .addBoth(
                outcome -> {
                  assertThat(server.stop()).isZero();
                  return outcome.get();
                }));
  }
}
