package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferreds;
import dev.braid.defer.Outcome;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Reactor;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.RawClient;
import dev.braid.poetry.testing.Slack;
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
 * {@code --idle-timeout} on the servers. A netstring server closes a client that sends nothing
 * cleanly after the period. The poetry servers reset instead, since a clean close would end the
 * poem: a client that stops reading a long poem is reset rather than held forever; a slow server
 * whose pieces come less often than the timeout resets rather than truncating the poem; a proxy
 * waiting on a slow upstream resets its clients rather than handing them an empty poem.
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
                  assertThat(reactor.seconds() - start)
                      .as("at the 0.5 s idle timeout (nothing else closes an idle client)")
                      .isBetween(0.45, 0.5 + Slack.SECONDS);
                  return null;
                })
            .addBoth(
                outcome -> {
                  assertThat(server.stop()).isZero();
                  return outcome.get();
                }));
  }

  @Test
  void aClientThatStopsReadingALongPoemIsResetInsteadOfHeldForever(
      Reactor reactor, AfterTest afterTest) throws IOException {
    byte[] poem = new byte[10 * 1024 * 1024];
    java.util.Arrays.fill(poem, (byte) 'x');
    Path file = Files.write(dir.resolve("long.txt"), poem);
    TestEnv.Server server =
        TestEnv.redirected().start("serve", "--idle-timeout", "0.5", file.toString());
    int port = ServerCommandsTest.port(server.banner(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
    afterTest.await(
        Async.run(
                () -> {
                  RawClient c = RawClient.connect(reactor, port, new byte[0]);
                  Async.await(c.connected);
                  while (c.received.size() == 0) { // the server has accepted it and is writing
                    assertThat(c.ended.isCalled()).as("ended before a byte").isFalse();
                    Async.await(Deferreds.deferLater(reactor, 0.002, () -> null));
                  }
                  c.stopReading();
                  // The server resets the client 0.5 s after its writes stop making progress
                  // (once the buffers are full). Wait for that; then read again: what the kernel
                  // holds, then the reset.
                  double stopped = reactor.seconds();
                  while (Async.await(server.openConnections(reactor)) > 0) {
                    assertThat(reactor.seconds() - stopped)
                        .as("the server resets a client that stopped reading")
                        .isLessThan(30.0);
                    Async.await(Deferreds.deferLater(reactor, 0.05, () -> null));
                  }
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

  @Test
  void aSlowServerWhosePiecesComeLessOftenThanTheTimeoutResetsRatherThanTruncates(
      Reactor reactor, AfterTest afterTest) throws IOException {
    Path file =
        Files.write(
            dir.resolve("poem.txt"),
            "forty bytes of a poem, then a pause ...\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    TestEnv.Server server =
        TestEnv.redirected()
            .start(
                "serve",
                "--delay",
                "2",
                "--num-bytes",
                "10",
                "--idle-timeout",
                "0.5",
                file.toString());
    int port = ServerCommandsTest.port(server.banner(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
    afterTest.await(
        Async.run(
                () -> {
                  Outcome<byte[]> poem =
                      Async.await(
                          PoetryClient.fetch(reactor, "127.0.0.1", port, null).addBoth(o -> o));
                  assertThat(poem)
                      .as("a failure, not 10 bytes as a whole poem")
                      .isInstanceOf(Outcome.Failed.class);
                  assertThat(((Outcome.Failed<byte[]>) poem).failure().value())
                      .isInstanceOf(ConnectionLost.class);
                  return null;
                })
            .addBoth(
                outcome -> {
                  assertThat(server.stop()).isZero();
                  return outcome.get();
                }));
  }

  @Test
  void aProxyWaitingOnASlowUpstreamResetsItsIdleClientsRatherThanSendingAnEmptyPoem(
      Reactor reactor, AfterTest afterTest) {
    dev.braid.defer.Deferred<ConnectionEnd> upstreamEnded = dev.braid.defer.Deferred.create();
    dev.braid.net.ListeningPort slow =
        reactor.listenTCP(
            0,
            address ->
                new dev.braid.net.BaseProtocol() {
                  @Override
                  public void connectionLost(ConnectionEnd reason) {
                    upstreamEnded.callback(reason);
                  }
                },
            dev.braid.net.ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    TestEnv.Server proxy =
        TestEnv.redirected()
            .start(
                "proxy",
                "--idle-timeout",
                "0.5",
                "--upstream-timeout",
                "20",
                Integer.toString(slow.getHost().getPort()));
    int port =
        ServerCommandsTest.port(proxy.banner(), "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) .*");
    afterTest.await(
        Async.run(
                () -> {
                  double start = reactor.seconds();
                  Outcome<byte[]> poem =
                      Async.await(
                          PoetryClient.fetch(reactor, "127.0.0.1", port, null).addBoth(o -> o));
                  assertThat(poem)
                      .as("a failure, not an empty poem")
                      .isInstanceOf(Outcome.Failed.class);
                  assertThat(((Outcome.Failed<byte[]>) poem).failure().value())
                      .isInstanceOf(ConnectionLost.class);
                  assertThat(reactor.seconds() - start)
                      .as("at the 0.5 s idle timeout, not the 20 s upstream timeout")
                      .isBetween(0.45, 0.5 + Slack.SECONDS);
                  // Its only client gone, the proxy cancels the fetch: the upstream connection
                  // closes.
                  Async.await(upstreamEnded);
                  return null;
                })
            .addBothDeferred(
                outcome -> {
                  assertThat(proxy.stop()).isZero();
                  return slow.stopListening().addCallback(v -> outcome.get());
                }));
  }
}
