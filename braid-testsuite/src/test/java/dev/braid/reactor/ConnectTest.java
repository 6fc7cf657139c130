package dev.braid.reactor;

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
import dev.braid.net.DnsLookupError;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.test.FullBacklogPort;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** connectTCP: outcomes, errors naming the address, the ClientFactory's callbacks. */
@Tag("loopback")
class ConnectTest {

  /** Records every callback as a string; {@link #done} fires at the factory's stop. */
  static class RecordingClientFactory implements ClientFactory {
    final List<String> log = new ArrayList<>();
    final Deferred<List<String>> done = Deferred.create();
    ConnectError failure;
    Connector connector;

    @Override
    public void startFactory() {
      log.add("startFactory");
    }

    @Override
    public void startedConnecting(Connector connector) {
      this.connector = connector;
      log.add("startedConnecting");
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      log.add("buildProtocol");
      return new BaseProtocol() {
        @Override
        protected void connectionMade() {
          log.add("connectionMade");
        }

        @Override
        public void connectionLost(ConnectionEnd reason) {
          log.add("connectionLost " + reason.getClass().getSimpleName());
        }
      };
    }

    @Override
    public void clientConnectionFailed(Connector connector, ConnectError reason) {
      failure = reason;
      log.add("clientConnectionFailed " + reason.getClass().getSimpleName());
    }

    @Override
    public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
      log.add("clientConnectionLost " + reason.getClass().getSimpleName());
    }

    @Override
    public void stopFactory() {
      log.add("stopFactory");
      done.callback(log);
    }
  }

  private static int listenAndClose(RunningReactor r) {
    return r.listen(
        a ->
            new BaseProtocol() {
              @Override
              protected void connectionMade() {
                transport().loseConnection();
              }
            });
  }

  @Test
  void aConnectionGoesThroughEveryCallbackInTwistedsOrder() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = listenAndClose(r);
      RecordingClientFactory factory = new RecordingClientFactory();
      List<String> log =
          r.await(
              () -> {
                Connector c = r.reactor().connectTCP("127.0.0.1", port, factory);
                assertThat(factory.log).containsExactly("startFactory", "startedConnecting");
                assertThat(c.getDestination()).isEqualTo(new InetSocketAddress("127.0.0.1", port));
                return factory.done;
              });
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "buildProtocol",
              "connectionMade",
              "connectionLost ConnectionDone",
              "clientConnectionLost ConnectionDone",
              "stopFactory");
    }
  }

  @Test
  void refusalNamesTheAddressAndStopsTheFactory() throws IOException {
    int port = PoetryTest.unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      RecordingClientFactory factory = new RecordingClientFactory();
      List<String> log =
          r.await(
              () -> {
                r.reactor().connectTCP("127.0.0.1", port, factory);
                return factory.done;
              });
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectionRefusedError",
              "stopFactory");
      assertThat(factory.failure)
          .isInstanceOf(ConnectionRefusedError.class)
          .hasMessage("127.0.0.1:" + port + ": connection refused");
    }
  }

  @Test
  void anAttemptThatTakesTooLongTimesOut() throws IOException {
    try (FullBacklogPort full = FullBacklogPort.open();
        RunningReactor r = RunningReactor.start()) {
      RecordingClientFactory factory = new RecordingClientFactory();
      r.await(
          () -> {
            r.reactor().connectTCP("127.0.0.1", full.port(), factory, Duration.ofMillis(200), null);
            return factory.done;
          });
      assertThat(factory.failure)
          .isInstanceOf(ConnectTimeoutError.class)
          .hasMessage("127.0.0.1:" + full.port() + ": connection timed out after 0.2 seconds");
    }
  }

  @Test
  void anUnknownHostFailsWithDnsLookupError() {
    try (RunningReactor r = RunningReactor.start()) {
      RecordingClientFactory factory = new RecordingClientFactory();
      r.await(
          () -> {
            Connector c = r.reactor().connectTCP("no-such-host.invalid", 80, factory);
            assertThat(c.getDestination().isUnresolved()).isTrue();
            return factory.done;
          });
      assertThat(factory.failure)
          .isInstanceOf(DnsLookupError.class)
          .hasMessageStartingWith("no-such-host.invalid:80: DNS lookup failed");
    }
  }

  @Test
  void aHostNameIsResolvedOffTheReactorThread() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = listenAndClose(r);
      RecordingClientFactory factory = new RecordingClientFactory();
      List<String> log =
          r.await(
              () -> {
                r.reactor().connectTCP("localhost", port, factory);
                return factory.done;
              });
      assertThat(log).contains("connectionMade");
    }
  }

  @Test
  void stopConnectingAbandonsTheAttemptAndOnlyWhileConnecting() throws IOException {
    try (FullBacklogPort full = FullBacklogPort.open();
        RunningReactor r = RunningReactor.start()) {
      RecordingClientFactory factory = new RecordingClientFactory();
      List<String> log =
          r.await(
              () -> {
                Connector c = r.reactor().connectTCP("127.0.0.1", full.port(), factory);
                c.stopConnecting(); // synchronous, as in Twisted
                assertThat(factory.failure)
                    .hasMessage(
                        "127.0.0.1:"
                            + full.port()
                            + ": connection attempt stopped by stopConnecting()");
                assertThatThrownBy(c::stopConnecting)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage(
                        "not connecting: connector to 127.0.0.1:"
                            + full.port()
                            + " is disconnected");
                return factory.done;
              });
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectError",
              "stopFactory");
    }
  }

  @Test
  void aFactoryMayReconnectFromItsCallbackWithoutBeingStopped() throws IOException {
    int port = PoetryTest.unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      RecordingClientFactory factory =
          new RecordingClientFactory() {
            int failures;

            @Override
            public void clientConnectionFailed(Connector connector, ConnectError reason) {
              super.clientConnectionFailed(connector, reason);
              if (++failures < 3) {
                connector.connect();
              }
            }
          };
      List<String> log =
          r.await(
              () -> {
                r.reactor().connectTCP("127.0.0.1", port, factory);
                return factory.done;
              });
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectionRefusedError",
              "startedConnecting",
              "clientConnectionFailed ConnectionRefusedError",
              "startedConnecting",
              "clientConnectionFailed ConnectionRefusedError",
              "stopFactory");
    }
  }

  @Test
  void connectWhileConnectedFailsAndDisconnectClosesTheConnection() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = r.listen(a -> new BaseProtocol() {});
      RecordingProtocol client = new RecordingProtocol();
      Connector connector =
          r.call(() -> r.reactor().connectTCP("127.0.0.1", port, (ClientFactory) a -> client));
      client.awaitTransport();
      r.run(
          () -> {
            assertThatThrownBy(connector::connect)
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("cannot connect: connector to 127.0.0.1:" + port + " is connected");
            connector.disconnect();
          });
      assertThat(client.awaitLost()).isInstanceOf(ConnectionDone.class);
    }
  }

  @Test
  void aServerFactorySharedByTwoPortsStartsAndStopsOnce() {
    List<String> log = new ArrayList<>();
    Factory factory =
        new Factory() {
          @Override
          public Protocol buildProtocol(InetSocketAddress address) {
            return null;
          }

          @Override
          public void startFactory() {
            log.add("start");
          }

          @Override
          public void stopFactory() {
            log.add("stop");
          }
        };
    try (RunningReactor r = RunningReactor.start()) {
      r.await(
          () -> {
            ListeningPort a =
                r.reactor().listenTCP(0, factory, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
            ListeningPort b =
                r.reactor().listenTCP(0, factory, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
            assertThat(log).containsExactly("start");
            return a.stopListening()
                .addCallbackDeferred(
                    ignored -> {
                      assertThat(log).containsExactly("start");
                      return b.stopListening();
                    });
          });
      assertThat(log).containsExactly("start", "stop");
    }
  }

  @Test
  void aServerFactoryReturningNullClosesTheConnection() throws IOException {
    try (RunningReactor r = RunningReactor.start()) {
      int port = r.listen(a -> null);
      try (Socket peer = new Socket("127.0.0.1", port)) {
        assertThat(peer.getInputStream().read()).isEqualTo(-1);
      }
    }
  }

  @Test
  void badArgumentsAreRejectedAtOnce() {
    try (RunningReactor r = RunningReactor.start()) {
      ClientFactory factory = a -> null;
      r.run(
          () -> {
            assertThatThrownBy(() -> r.reactor().connectTCP("127.0.0.1", 0, factory))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("port out of range: 0");
            assertThatThrownBy(() -> r.reactor().connectTCP("", 80, factory))
                .hasMessage("host is empty");
            assertThatThrownBy(
                    () -> r.reactor().connectTCP("127.0.0.1", 80, factory, Duration.ZERO, null))
                .hasMessage("timeout must be positive: PT0S");
            assertThatThrownBy(() -> r.reactor().listenTCP(70000, factory))
                .hasMessage("port out of range: 70000");
            assertThatThrownBy(() -> r.reactor().listenTCP(0, factory, 0, ""))
                .hasMessage("backlog must be positive or DEFAULT_BACKLOG (-1): 0");
          });
    }
  }

  @Test
  void listeningOnABusyPortFailsNamingTheAddress() {
    try (RunningReactor r = RunningReactor.start()) {
      r.run(
          () -> {
            int port =
                r.reactor()
                    .listenTCP(0, a -> null, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                    .getHost()
                    .getPort();
            assertThatThrownBy(
                    () ->
                        r.reactor()
                            .listenTCP(port, a -> null, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1"))
                .isInstanceOf(java.io.UncheckedIOException.class)
                .hasMessageStartingWith("cannot listen on 127.0.0.1:" + port + ": ");
          });
    }
  }

  @Test
  void theDefaultBacklogIsTheSystemMaximum() throws IOException {
    java.nio.file.Path somaxconn = java.nio.file.Path.of("/proc/sys/net/core/somaxconn");
    if (java.nio.file.Files.isReadable(somaxconn)) {
      try (var in = java.nio.file.Files.newBufferedReader(somaxconn)) {
        assertThat(SystemBacklog.VALUE).isEqualTo(Integer.parseInt(in.readLine().trim()));
      }
    } else {
      assertThat(SystemBacklog.VALUE).isIn(128, 200, 4096);
    }
  }
}
