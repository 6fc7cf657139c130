package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import dev.braid.net.SystemEventPhase;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spec §21: MemoryReactor records listen and connect calls and lets the test decide. */
class MemoryReactorTest {
  private final MemoryReactor reactor = MemoryReactor.create();
  private final List<String> log = new ArrayList<>();

  /** A client factory that logs what happens to it. */
  final class LoggingClientFactory implements ClientFactory {
    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      log.add("build " + address.getHostString() + ":" + address.getPort());
      return new BaseProtocol() {
        @Override
        public void connectionLost(ConnectionEnd reason) {
          log.add("protocol lost " + reason.getClass().getSimpleName());
        }
      };
    }

    @Override
    public void startFactory() {
      log.add("start");
    }

    @Override
    public void stopFactory() {
      log.add("stop");
    }

    @Override
    public void startedConnecting(Connector connector) {
      log.add("connecting");
    }

    @Override
    public void clientConnectionFailed(Connector connector, ConnectError reason) {
      log.add("failed " + reason.getClass().getSimpleName() + ": " + reason.getMessage());
    }

    @Override
    public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
      log.add("lost " + reason.getClass().getSimpleName());
    }
  }

  @Test
  void listenTcpIsRecordedAndPortZeroGetsARealPort() {
    MemoryPort port = reactor.listenTCP(0, a -> new BaseProtocol() {}, 50, "127.0.0.1");
    assertThat(reactor.ports()).containsExactly(port);
    assertThat(port.requestedPort()).isZero();
    assertThat(port.getHost().getPort()).isPositive();
    assertThat(port.backlog()).isEqualTo(50);
    assertThat(port.iface()).isEqualTo("127.0.0.1");
    assertThat(reactor.listenTCP(10000, a -> null).getHost().getPort()).isEqualTo(10000);
  }

  @Test
  void acceptingBuildsAProtocolConnectedToAStringTransport() {
    MemoryPort port = reactor.listenTCP(10000, a -> new BaseProtocol() {});
    StringTransport t = port.accept();
    assertThat(t.protocol()).isInstanceOf(BaseProtocol.class);
    assertThat(((BaseProtocol) t.protocol()).isConnected()).isTrue();
    assertThat(reactor.openConnections()).containsExactly(t);
    t.loseConnection();
    assertThat(reactor.openConnections()).isEmpty();
    assertThat(port.stopListening().hasResult()).isTrue();
    assertThat(reactor.leftovers()).isEmpty();
  }

  @Test
  void aFactoryRefusalClosesTheAcceptedConnectionAtOnce() {
    MemoryPort port = reactor.listenTCP(10000, a -> null);
    StringTransport t = port.accept();
    assertThat(t.protocol()).isNull();
    assertThat(t.isDisconnecting()).isTrue();
    port.stopListening();
  }

  @Test
  void aFactoryIsStartedAndStoppedOnceAcrossItsPorts() {
    List<String> events = new ArrayList<>();
    dev.braid.net.Factory factory =
        new dev.braid.net.Factory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            return null;
          }

          @Override
          public void startFactory() {
            events.add("start");
          }

          @Override
          public void stopFactory() {
            events.add("stop");
          }
        };
    MemoryPort a = reactor.listenTCP(1, factory);
    MemoryPort b = reactor.listenTCP(2, factory);
    a.stopListening();
    a.stopListening();
    assertThat(events).containsExactly("start");
    b.stopListening();
    assertThat(events).containsExactly("start", "stop");
  }

  @Test
  void aConnectionAttemptWaitsUntilTheTestCompletesIt() {
    MemoryConnector connector =
        reactor.connectTCP("poetry.example", 10000, new LoggingClientFactory());
    assertThat(reactor.connectors()).containsExactly(connector);
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.CONNECTING);
    assertThat(log).containsExactly("start", "connecting");
    assertThat(reactor.leftovers()).anyMatch(s -> s.startsWith("connection attempt"));

    StringTransport t = connector.complete();
    assertThat(log).containsExactly("start", "connecting", "build poetry.example:10000");
    assertThat(t.getPeer().getHostString()).isEqualTo("poetry.example");
    assertThat(reactor.getDelayedCalls()).isEmpty();

    t.connectionLost(new ConnectionDone());
    assertThat(log).endsWith("protocol lost ConnectionDone", "lost ConnectionDone", "stop");
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.DISCONNECTED);
    assertThat(reactor.leftovers()).isEmpty();
  }

  @Test
  void aConnectionAttemptCanBeFailedByTheTest() {
    MemoryConnector connector = reactor.connectTCP("127.0.0.1", 1, new LoggingClientFactory());
    connector.fail(new ConnectionRefusedError("127.0.0.1:1: connection refused", null));
    assertThat(log)
        .containsExactly(
            "start",
            "connecting",
            "failed ConnectionRefusedError: 127.0.0.1:1: connection refused",
            "stop");
    assertThatThrownBy(() -> connector.fail(new ConnectError("again", null)))
        .isInstanceOf(IllegalStateException.class);
    assertThat(reactor.leftovers()).isEmpty();
  }

  @Test
  void aConnectionAttemptTimesOutOnTheVirtualClock() {
    MemoryConnector connector =
        reactor.connectTCP("10.1.2.3", 80, new LoggingClientFactory(), Duration.ofSeconds(5), null);
    reactor.advance(4.9);
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.CONNECTING);
    reactor.advance(0.1);
    assertThat(log)
        .contains("failed ConnectTimeoutError: 10.1.2.3:80: connection timed out after 5 seconds");
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.DISCONNECTED);
    assertThat(ConnectTimeoutError.class).isAssignableTo(ConnectError.class);
  }

  @Test
  void aConnectorCanReconnectAfterAFailure() {
    MemoryConnector connector = reactor.connectTCP("h", 1, new LoggingClientFactory());
    connector.stopConnecting();
    connector.connect();
    assertThat(connector.attempts()).isEqualTo(2);
    connector.complete();
    connector.disconnect();
    assertThat(log)
        .containsExactly(
            "start",
            "connecting",
            "failed ConnectError: h:1: connection attempt stopped",
            "stop",
            "start",
            "connecting",
            "build h:1",
            "protocol lost ConnectionDone",
            "lost ConnectionDone",
            "stop");
  }

  @Test
  void runRunsTheWhenRunningCallsAndStops() {
    reactor.callWhenRunning(() -> log.add("first"));
    reactor.callWhenRunning(() -> log.add("running " + reactor.isRunning()));
    reactor.addSystemEventTrigger(
        SystemEventPhase.AFTER,
        () -> {
          log.add("after");
          return null;
        });
    reactor.addSystemEventTrigger(
        SystemEventPhase.BEFORE,
        () -> {
          log.add("before");
          return Deferred.succeed(null);
        });
    Object removed =
        reactor.addSystemEventTrigger(
            SystemEventPhase.DURING,
            () -> {
              log.add("removed");
              return null;
            });
    reactor.removeSystemEventTrigger(removed);
    reactor.run();
    assertThat(log).containsExactly("first", "running true", "before", "after");
    assertThat(reactor.hasRun()).isTrue();
    assertThat(reactor.hasStopped()).isTrue();
    assertThat(reactor.isRunning()).isFalse();
    assertThatThrownBy(reactor::run).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(reactor::stop).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void timeIsTheVirtualClocks() {
    reactor.callLater(2, () -> log.add("at " + reactor.seconds()));
    assertThat(reactor.getDelayedCalls()).hasSize(1);
    assertThat(reactor.leftovers()).hasSize(1);
    reactor.advance(Duration.ofSeconds(2));
    assertThat(log).containsExactly("at 2.0");
    assertThat(reactor.clock().seconds()).isEqualTo(2.0);
  }
}
