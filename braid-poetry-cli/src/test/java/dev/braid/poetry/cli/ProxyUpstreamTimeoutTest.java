package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ListeningPort;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.ProxyService;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.Slack;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import dev.braid.test.log.LogCapture;
import dev.braid.test.log.LogEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.event.Level;

/**
 * Reliability item 8 (docs/reliability.md), through the command line: {@code poetry proxy
 * --upstream-timeout} bounds a fetch from an upstream server that accepts and never answers: every
 * waiting client is reset at the timeout, the upstream connection is closed, and nothing is cached
 * (the next client waits again).
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class ProxyUpstreamTimeoutTest {
  @Test
  void aHungUpstreamFailsEveryWaitingClientAtTheUpstreamTimeout(
      Reactor reactor, AfterTest afterTest, LogCapture logs) {
    List<Deferred<ConnectionEnd>> upstreamEnds = new ArrayList<>();
    ListeningPort hung =
        reactor.listenTCP(
            0,
            address -> {
              Deferred<ConnectionEnd> end = Deferred.create();
              upstreamEnds.add(end);
              return new BaseProtocol() {
                @Override
                public void connectionLost(ConnectionEnd reason) {
                  end.callback(reason);
                }
              };
            },
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    TestEnv.Server proxy =
        TestEnv.redirected()
            .start(
                "proxy", "--upstream-timeout", "0.5", Integer.toString(hung.getHost().getPort()));
    int port =
        ServerCommandsTest.port(proxy.banner(), "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) .*");
    afterTest.await(
        Async.run(
                () -> {
                  for (int round = 0; round < 2; round++) {
                    double start = reactor.seconds();
                    List<Deferred<Outcome<byte[]>>> clients = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                      clients.add(
                          PoetryClient.fetch(reactor, "127.0.0.1", port, null).addBoth(o -> o));
                    }
                    for (Deferred<Outcome<byte[]>> c : clients) {
                      Outcome<byte[]> o = Async.await(c);
                      assertThat(o).isInstanceOf(Outcome.Failed.class);
                      assertThat(((Outcome.Failed<byte[]>) o).failure().value())
                          .as("the proxy resets its clients")
                          .isInstanceOf(ConnectionLost.class);
                    }
                    // The proxy warned (before it reset its clients): once per fetch, not per
                    // client.
                    assertThat(logs.take(Level.WARN, ProxyService.class))
                        .singleElement()
                        .extracting(LogEvent::message)
                        .asString()
                        .startsWith("Fetching the poem failed: ");
                    double took = reactor.seconds() - start;
                    // Not before the 0.5 s timeout; later only by the machine's load, well
                    // below the 30 s default that a lost --upstream-timeout would leave.
                    assertThat(took)
                        .as("failed at the upstream timeout")
                        .isBetween(0.45, 0.5 + Slack.SECONDS);
                    assertThat(upstreamEnds).as("one upstream fetch per round").hasSize(round + 1);
                    Async.await(upstreamEnds.get(round)); // the proxy closed the hung connection
                  }
                  return null;
                })
            .addBothDeferred(
                outcome -> {
                  assertThat(proxy.stop()).isZero();
                  return hung.stopListening().addCallback(v -> outcome.get());
                }));
  }
}
