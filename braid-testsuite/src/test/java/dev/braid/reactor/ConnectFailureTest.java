package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectBindError;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.SocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.channels.UnsupportedAddressTypeException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Whatever throws while connecting fails the attempt through the factory, naming the address and
 * carrying the cause, and closes the socket: no attempt stays in progress, no socket leaks.
 */
@Tag("loopback")
class ConnectFailureTest {
  private static final InetSocketAddress UNRESOLVED =
      InetSocketAddress.createUnresolved("nowhere.invalid", 0);

  /** A reactor whose connection attempts' sockets are recorded, to check that they are closed. */
  private static final class Sockets {
    final SelectorReactor reactor = SelectorReactor.create();
    final List<SocketChannel> opened = new CopyOnWriteArrayList<>();

    Sockets() {
      reactor.channelOpener =
          () -> {
            SocketChannel channel = SocketChannel.open();
            opened.add(channel);
            return channel;
          };
    }

    void assertAllClosed() {
      assertThat(opened).isNotEmpty().noneMatch(SocketChannel::isOpen);
    }
  }

  /** Runs {@code connect} on the reactor and waits for the factory to be stopped. */
  private static List<String> attempt(
      RunningReactor r, ConnectTest.RecordingClientFactory factory, Connect connect) {
    return r.await(
        () -> {
          connect.start(factory);
          return factory.done;
        });
  }

  @FunctionalInterface
  private interface Connect {
    void start(ConnectTest.RecordingClientFactory factory);
  }

  /** The janitor's view: nothing left in progress or open. */
  private static void assertNothingLeft(RunningReactor r) {
    r.run(
        () -> {
          assertThat(r.reactor().connectionAttempts()).isEmpty();
          assertThat(r.reactor().openConnections()).isEmpty();
        });
  }

  private static int listen(RunningReactor r, CompletableFuture<ConnectionEnd> serverSideLost) {
    return r.listen(
        a ->
            new BaseProtocol() {
              @Override
              public void connectionLost(ConnectionEnd reason) {
                serverSideLost.complete(reason);
              }
            });
  }

  @Test
  void anUnresolvedBindAddressFailsTheAttemptWithConnectBindError() throws IOException {
    int port = PoetryTest.unusedPort();
    Sockets sockets = new Sockets();
    try (RunningReactor r = RunningReactor.start(sockets.reactor)) {
      ConnectTest.RecordingClientFactory factory = new ConnectTest.RecordingClientFactory();
      List<String> log =
          attempt(r, factory, f -> r.reactor().connectTCP("127.0.0.1", port, f, null, UNRESOLVED));
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectBindError",
              "stopFactory");
      assertThat(factory.failure)
          .isInstanceOf(ConnectBindError.class)
          .hasMessage(
              "127.0.0.1:" + port + ": cannot bind to nowhere.invalid:0: unresolved address")
          .hasCauseInstanceOf(UnresolvedAddressException.class);
      assertNothingLeft(r);
      sockets.assertAllClosed();
    }
  }

  @Test
  void aBindAddressThatIsNotLocalFailsTheAttemptWithConnectBindError() throws IOException {
    int port = PoetryTest.unusedPort();
    Sockets sockets = new Sockets();
    try (RunningReactor r = RunningReactor.start(sockets.reactor)) {
      ConnectTest.RecordingClientFactory factory = new ConnectTest.RecordingClientFactory();
      InetSocketAddress notLocal = new InetSocketAddress("192.0.2.1", 0); // TEST-NET-1
      attempt(r, factory, f -> r.reactor().connectTCP("127.0.0.1", port, f, null, notLocal));
      assertThat(factory.failure)
          .isInstanceOf(ConnectBindError.class)
          .hasMessageStartingWith("127.0.0.1:" + port + ": cannot bind to 192.0.2.1:0: ")
          .hasCauseInstanceOf(BindException.class);
      assertNothingLeft(r);
      sockets.assertAllClosed();
    }
  }

  @Test
  void aSocketThatCannotBeOpenedFailsTheAttempt() throws IOException {
    int port = PoetryTest.unusedPort();
    SelectorReactor reactor = SelectorReactor.create();
    IOException tooMany = new IOException("expected by the test: Too many open files");
    reactor.channelOpener =
        () -> {
          throw tooMany;
        };
    try (RunningReactor r = RunningReactor.start(reactor)) {
      ConnectTest.RecordingClientFactory factory = new ConnectTest.RecordingClientFactory();
      List<String> log = attempt(r, factory, f -> r.reactor().connectTCP("127.0.0.1", port, f));
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectError",
              "stopFactory");
      assertThat(factory.failure)
          .hasMessage("127.0.0.1:" + port + ": expected by the test: Too many open files")
          .hasCause(tooMany);
      assertNothingLeft(r);
    }
  }

  @Test
  void anUncheckedExceptionFromConnectFailsTheAttemptAndClosesTheSocket() throws IOException {
    int port = PoetryTest.unusedPort();
    Sockets sockets = new Sockets();
    sockets.reactor.channelOpener =
        () -> {
          SocketChannel ipv4Only = SocketChannel.open(StandardProtocolFamily.INET);
          sockets.opened.add(ipv4Only);
          return ipv4Only;
        };
    try (RunningReactor r = RunningReactor.start(sockets.reactor)) {
      ConnectTest.RecordingClientFactory factory = new ConnectTest.RecordingClientFactory();
      // An IPv4 socket cannot connect to an IPv6 address: connect throws an unchecked exception.
      List<String> log = attempt(r, factory, f -> r.reactor().connectTCP("::1", port, f));
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectError",
              "stopFactory");
      assertThat(factory.failure)
          .hasMessage("[::1]:" + port + ": java.nio.channels.UnsupportedAddressTypeException")
          .hasCauseInstanceOf(UnsupportedAddressTypeException.class);
      assertNothingLeft(r);
      sockets.assertAllClosed();
    }
  }

  @Test
  void aStartedConnectingThatThrowsFailsTheAttempt(LogCapture logs) throws IOException {
    logs.expect(
        Level.ERROR, TcpConnector.class, "startedConnecting threw for connector to 127.0.0.1:");
    int port = PoetryTest.unusedPort();
    Sockets sockets = new Sockets();
    IllegalStateException thrown =
        new IllegalStateException("expected by the test: startedConnecting failed");
    try (RunningReactor r = RunningReactor.start(sockets.reactor)) {
      ConnectTest.RecordingClientFactory factory =
          new ConnectTest.RecordingClientFactory() {
            @Override
            public void startedConnecting(Connector connector) {
              super.startedConnecting(connector);
              throw thrown;
            }
          };
      List<String> log = attempt(r, factory, f -> r.reactor().connectTCP("127.0.0.1", port, f));
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectError",
              "stopFactory");
      assertThat(factory.failure)
          .hasMessage("127.0.0.1:" + port + ": startedConnecting threw " + thrown)
          .hasCause(thrown);
      assertNothingLeft(r);
      assertThat(sockets.opened).isEmpty(); // it failed before a socket was opened
    }
  }

  @Test
  void aBuildProtocolThatThrowsFailsTheAttemptAndClosesTheSocket(LogCapture logs) {
    logs.expect(Level.ERROR, TcpConnector.class, "buildProtocol threw for connector to 127.0.0.1:");
    Sockets sockets = new Sockets();
    IllegalStateException thrown =
        new IllegalStateException("expected by the test: buildProtocol failed");
    try (RunningReactor r = RunningReactor.start(sockets.reactor)) {
      CompletableFuture<ConnectionEnd> serverSideLost = new CompletableFuture<>();
      int port = listen(r, serverSideLost);
      ConnectTest.RecordingClientFactory factory =
          new ConnectTest.RecordingClientFactory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
              super.buildProtocol(address);
              throw thrown;
            }
          };
      List<String> log = attempt(r, factory, f -> r.reactor().connectTCP("127.0.0.1", port, f));
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "buildProtocol",
              "clientConnectionFailed ConnectError",
              "stopFactory");
      assertThat(factory.failure)
          .hasMessage("127.0.0.1:" + port + ": buildProtocol threw " + thrown)
          .hasCause(thrown);
      RunningReactor.get(serverSideLost); // the server saw the socket close
      assertNothingLeft(r);
      sockets.assertAllClosed();
    }
  }

  @Test
  void aConnectionMadeThatThrowsFailsTheAttemptOnceTheProtocolHasHeardConnectionLost(
      LogCapture logs) {
    logs.expect(Level.ERROR, TcpTransport.class, "makeConnection threw on ");
    Sockets sockets = new Sockets();
    IllegalStateException thrown =
        new IllegalStateException("expected by the test: connectionMade failed");
    try (RunningReactor r = RunningReactor.start(sockets.reactor)) {
      CompletableFuture<ConnectionEnd> serverSideLost = new CompletableFuture<>();
      int port = listen(r, serverSideLost);
      ConnectTest.RecordingClientFactory factory =
          new ConnectTest.RecordingClientFactory() {
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
                }
              };
            }
          };
      List<String> log = attempt(r, factory, f -> r.reactor().connectTCP("127.0.0.1", port, f));
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "buildProtocol",
              "connectionMade",
              "connectionLost ConnectionLost",
              "clientConnectionFailed ConnectError",
              "stopFactory");
      assertThat(factory.failure)
          .hasMessage("127.0.0.1:" + port + ": the protocol's makeConnection threw " + thrown)
          .hasCause(thrown);
      RunningReactor.get(serverSideLost);
      assertNothingLeft(r);
      sockets.assertAllClosed();
    }
  }

  @Test
  void aFactoryMayRetryFromClientConnectionFailedAfterABindError() throws IOException {
    int port = PoetryTest.unusedPort();
    Sockets sockets = new Sockets();
    try (RunningReactor r = RunningReactor.start(sockets.reactor)) {
      ConnectTest.RecordingClientFactory factory =
          new ConnectTest.RecordingClientFactory() {
            int failures;

            @Override
            public void clientConnectionFailed(Connector connector, ConnectError reason) {
              super.clientConnectionFailed(connector, reason);
              if (++failures < 2) {
                connector.connect();
              }
            }
          };
      List<String> log =
          attempt(r, factory, f -> r.reactor().connectTCP("127.0.0.1", port, f, null, UNRESOLVED));
      assertThat(log)
          .containsExactly(
              "startFactory",
              "startedConnecting",
              "clientConnectionFailed ConnectBindError",
              "startedConnecting",
              "clientConnectionFailed ConnectBindError",
              "stopFactory");
      assertNothingLeft(r);
      assertThat(sockets.opened).hasSize(2);
      sockets.assertAllClosed();
    }
  }

  @Test
  void anEndpointWithAnUnresolvedBindAddressFailsItsDeferred() throws IOException {
    int port = PoetryTest.unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      TcpClientEndpoint endpoint =
          new TcpClientEndpoint(r.reactor(), "127.0.0.1", port, null, UNRESOLVED);
      Outcome<Protocol> outcome = r.outcomeOf(() -> endpoint.connect(a -> new BaseProtocol() {}));
      assertThat(((Outcome.Failed<Protocol>) outcome).failure().value())
          .isInstanceOf(ConnectBindError.class)
          .hasMessage(
              "127.0.0.1:" + port + ": cannot bind to nowhere.invalid:0: unresolved address");
      assertNothingLeft(r);
    }
  }

  @Test
  void anEndpointWhoseFactoryThrowsFailsItsDeferredNamingTheAddressAndTheCause(LogCapture logs) {
    logs.expect(Level.ERROR, TcpConnector.class, "buildProtocol threw for connector to 127.0.0.1:");
    IllegalStateException thrown =
        new IllegalStateException("expected by the test: buildProtocol failed");
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<ConnectionEnd> serverSideLost = new CompletableFuture<>();
      int port = listen(r, serverSideLost);
      TcpClientEndpoint endpoint =
          new TcpClientEndpoint(r.reactor(), "127.0.0.1", port, null, null);
      Outcome<Protocol> outcome =
          r.outcomeOf(
              () ->
                  endpoint.connect(
                      a -> {
                        throw thrown;
                      }));
      assertThat(((Outcome.Failed<Protocol>) outcome).failure().value())
          .isInstanceOf(ConnectError.class)
          .hasMessage("127.0.0.1:" + port + ": buildProtocol threw " + thrown)
          .hasCause(thrown);
      RunningReactor.get(serverSideLost);
      assertNothingLeft(r);
    }
  }

  @Test
  void anEndpointWhoseProtocolThrowsInConnectionMadeFailsItsDeferred(LogCapture logs) {
    logs.expect(Level.ERROR, TcpTransport.class, "makeConnection threw on ");
    IllegalStateException thrown =
        new IllegalStateException("expected by the test: connectionMade failed");
    try (RunningReactor r = RunningReactor.start()) {
      CompletableFuture<ConnectionEnd> serverSideLost = new CompletableFuture<>();
      int port = listen(r, serverSideLost);
      TcpClientEndpoint endpoint =
          new TcpClientEndpoint(r.reactor(), "127.0.0.1", port, null, null);
      Outcome<Protocol> outcome =
          r.outcomeOf(
              () ->
                  endpoint.connect(
                      a ->
                          new BaseProtocol() {
                            @Override
                            protected void connectionMade() {
                              throw thrown;
                            }
                          }));
      assertThat(((Outcome.Failed<Protocol>) outcome).failure().value())
          .isInstanceOf(ConnectError.class)
          .hasMessage("127.0.0.1:" + port + ": the protocol's makeConnection threw " + thrown)
          .hasCause(thrown);
      RunningReactor.get(serverSideLost);
      assertNothingLeft(r);
    }
  }
}
