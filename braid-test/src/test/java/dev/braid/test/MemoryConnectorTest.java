package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What throws while connecting fails the attempt through the factory, as on a real reactor
 * (braid-reactor's ConnectFailureTest): the same calls in the same order, the same messages.
 */
class MemoryConnectorTest {
  private final MemoryReactor reactor = MemoryReactor.create();
  private final List<String> log = new ArrayList<>();
  private final IllegalStateException thrown = new IllegalStateException("expected by the test");

  /** Logs what happens to it, as the real reactor's tests' factory does. */
  class RecordingClientFactory implements ClientFactory {
    ConnectError failure;

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      log.add("buildProtocol");
      return new BaseProtocol() {
        @Override
        public void connectionLost(ConnectionEnd reason) {
          log.add("connectionLost " + reason.getClass().getSimpleName());
        }
      };
    }

    @Override
    public void startFactory() {
      log.add("startFactory");
    }

    @Override
    public void stopFactory() {
      log.add("stopFactory");
    }

    @Override
    public void startedConnecting(Connector connector) {
      log.add("startedConnecting");
    }

    @Override
    public void clientConnectionFailed(Connector connector, ConnectError reason) {
      log.add("clientConnectionFailed " + reason.getClass().getSimpleName());
      failure = reason;
    }

    @Override
    public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
      log.add("clientConnectionLost " + reason.getClass().getSimpleName());
    }
  }

  @Test
  void aStartedConnectingThatThrowsFailsTheAttempt() {
    RecordingClientFactory factory =
        new RecordingClientFactory() {
          @Override
          public void startedConnecting(Connector connector) {
            super.startedConnecting(connector);
            throw thrown;
          }
        };

    MemoryConnector connector = reactor.connectTCP("poetry.example", 10000, factory);

    assertThat(log)
        .containsExactly(
            "startFactory",
            "startedConnecting",
            "clientConnectionFailed ConnectError",
            "stopFactory");
    assertThat(factory.failure)
        .hasMessage("poetry.example:10000: startedConnecting threw " + thrown)
        .hasCause(thrown);
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.DISCONNECTED);
    assertThat(reactor.leftovers()).isEmpty(); // the timeout was cancelled
  }

  @Test
  void aBuildProtocolThatThrowsFailsTheAttemptAndClosesTheConnection() {
    RecordingClientFactory factory =
        new RecordingClientFactory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            super.buildProtocol(address);
            throw thrown;
          }
        };
    MemoryConnector connector = reactor.connectTCP("::1", 10000, factory);

    StringTransport connection = connector.complete();

    assertThat(log)
        .containsExactly(
            "startFactory",
            "startedConnecting",
            "buildProtocol",
            "clientConnectionFailed ConnectError",
            "stopFactory");
    assertThat(factory.failure)
        .hasMessage("[::1]:10000: buildProtocol threw " + thrown)
        .hasCause(thrown);
    assertThat(connection.isDisconnecting()).isTrue();
    assertThat(connection.protocol()).isNull();
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.DISCONNECTED);
    assertThat(reactor.leftovers()).isEmpty();
  }

  @Test
  void aConnectionMadeThatThrowsFailsTheAttemptOnceTheProtocolHasHeardConnectionLost() {
    List<ConnectionEnd> heard = new ArrayList<>();
    RecordingClientFactory factory =
        new RecordingClientFactory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            log.add("buildProtocol");
            return new BaseProtocol() {
              @Override
              protected void connectionMade() {
                log.add("connectionMade");
                throw thrown;
              }

              @Override
              public void connectionLost(ConnectionEnd reason) {
                log.add("connectionLost " + reason.getClass().getSimpleName());
                heard.add(reason);
              }
            };
          }
        };
    MemoryConnector connector = reactor.connectTCP("127.0.0.1", 10000, factory);

    StringTransport connection = connector.complete();

    assertThat(log)
        .containsExactly(
            "startFactory",
            "startedConnecting",
            "buildProtocol",
            "connectionMade",
            "connectionLost ConnectionLost",
            "clientConnectionFailed ConnectError",
            "stopFactory");
    assertThat(heard)
        .singleElement()
        .isInstanceOf(ConnectionLost.class)
        .satisfies(
            reason ->
                assertThat(reason)
                    .hasMessage("Connection lost: makeConnection threw " + thrown)
                    .hasCause(thrown));
    assertThat(factory.failure)
        .hasMessage("127.0.0.1:10000: the protocol's makeConnection threw " + thrown)
        .hasCause(thrown);
    assertThat(connection.isDisconnected()).isTrue();
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.DISCONNECTED);
    assertThat(reactor.leftovers()).isEmpty();
  }

  @Test
  void aFactoryMayConnectAgainFromClientConnectionFailedAfterBuildProtocolThrew() {
    int[] builds = {0};
    RecordingClientFactory factory =
        new RecordingClientFactory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            if (builds[0]++ == 0) {
              log.add("buildProtocol throws");
              throw thrown;
            }
            return super.buildProtocol(address);
          }

          @Override
          public void clientConnectionFailed(Connector connector, ConnectError reason) {
            super.clientConnectionFailed(connector, reason);
            connector.connect();
          }
        };
    MemoryConnector connector = reactor.connectTCP("127.0.0.1", 10000, factory);

    connector.complete();
    StringTransport second = connector.complete();

    assertThat(log)
        .containsExactly(
            "startFactory",
            "startedConnecting",
            "buildProtocol throws",
            "clientConnectionFailed ConnectError",
            "startedConnecting",
            "buildProtocol");
    assertThat(connector.attempts()).isEqualTo(2);
    assertThat(connector.state()).isEqualTo(MemoryConnector.State.CONNECTED);
    assertThat(reactor.openConnections()).containsExactly(second);
    second.loseConnection();
    assertThat(log).endsWith("clientConnectionLost ConnectionDone", "stopFactory");
  }

  @Test
  void aBuildProtocolThatStopsTheAttemptGetsItsConnectionClosed() {
    RecordingClientFactory factory =
        new RecordingClientFactory() {
          Connector connector;

          @Override
          public void startedConnecting(Connector connector) {
            super.startedConnecting(connector);
            this.connector = connector;
          }

          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            connector.stopConnecting();
            return super.buildProtocol(address);
          }
        };
    MemoryConnector connector = reactor.connectTCP("127.0.0.1", 10000, factory);

    StringTransport connection = connector.complete();

    assertThat(log)
        .containsExactly(
            "startFactory",
            "startedConnecting",
            "clientConnectionFailed ConnectError",
            "stopFactory",
            "buildProtocol");
    assertThat(connection.isDisconnecting()).isTrue();
    assertThat(connection.protocol()).isNull();
    assertThat(reactor.leftovers()).isEmpty();
  }

  @Test
  void anErrorFromTheFactoryReachesTheTest() {
    AssertionError failedAssertion = new AssertionError("expected by the test: an assertion");
    RecordingClientFactory factory =
        new RecordingClientFactory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            throw failedAssertion;
          }
        };
    MemoryConnector connector = reactor.connectTCP("127.0.0.1", 10000, factory);

    assertThatThrownBy(connector::complete).isSameAs(failedAssertion);
    connector.stopConnecting();
  }
}
