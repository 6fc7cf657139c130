package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectError;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.ReconnectingClientFactory;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** A ReconnectingClientFactory on a real reactor: refused twice, then the server appears. */
@Tag("loopback")
class ReconnectTest {

  @Test
  void itKeepsTryingUntilTheServerIsThereAndThenResetsItsDelay() throws IOException {
    int port = PoetryTest.unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      List<String> log = new ArrayList<>();
      Deferred<List<String>> connected = Deferred.create();
      ReconnectingClientFactory factory =
          new ReconnectingClientFactory(r.reactor()) {
            int failures;

            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
              ReconnectingClientFactory self = this;
              return new BaseProtocol() {
                @Override
                protected void connectionMade() {
                  log.add("connected after " + self.retries() + " retries");
                  self.resetDelay();
                  self.stopTrying();
                  transport().loseConnection();
                  connected.callback(log);
                }
              };
            }

            @Override
            public void clientConnectionFailed(Connector connector, ConnectError reason) {
              log.add(reason.getMessage());
              if (++failures == 2) {
                r.reactor()
                    .listenTCP(
                        port, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
              }
              super.clientConnectionFailed(connector, reason);
            }
          };
      factory.setInitialDelay(0.002).setFactor(2).setJitter(0);
      List<String> result =
          r.await(
              () -> {
                r.reactor().connectTCP("127.0.0.1", port, factory);
                return connected;
              });
      assertThat(result)
          .containsExactly(
              "127.0.0.1:" + port + ": connection refused",
              "127.0.0.1:" + port + ": connection refused",
              "connected after 2 retries");
      assertThat(r.call(factory::delay)).isEqualTo(0.002);
    }
  }
}
