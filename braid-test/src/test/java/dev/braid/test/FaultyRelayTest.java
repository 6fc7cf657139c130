package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ListeningPort;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import java.io.ByteArrayOutputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The fault-injecting relay on a real reactor: each fault, as a client sees it. */
@ExtendWith(BraidExtension.class)
@Tag("loopback")
class FaultyRelayTest {
  static final byte[] STREAM = stream(1000);

  static byte[] stream(int n) {
    byte[] b = new byte[n];
    for (int i = 0; i < n; i++) {
      b[i] = (byte) ('a' + i % 26);
    }
    return b;
  }

  /** A server that writes {@link #STREAM} and closes, and tells when its connection ended. */
  static final class Server {
    final Deferred<ConnectionEnd> ended = Deferred.create();
    final ListeningPort port;

    Server(Reactor reactor) {
      port =
          reactor.listenTCP(
              0,
              a -> {
                return new BaseProtocol() {
                  @Override
                  protected void connectionMade() {
                    transport().write(STREAM);
                    transport().loseConnection();
                  }

                  @Override
                  public void connectionLost(ConnectionEnd reason) {
                    ended.callback(reason);
                  }
                };
              },
              ReactorTcp.DEFAULT_BACKLOG,
              "127.0.0.1");
    }

    int port() {
      return port.getHost().getPort();
    }
  }

  /** A client that collects what it reads and how the connection ended. */
  static final class Client extends BaseProtocol {
    final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    final List<Integer> reads = new ArrayList<>();
    final Deferred<ConnectionEnd> end = Deferred.create();

    static Client connect(Reactor reactor, int port) {
      Client c = new Client();
      ClientFactory f = address -> c;
      reactor.connectTCP("127.0.0.1", port, f, null, null);
      return c;
    }

    @Override
    public void dataReceived(byte[] data) {
      bytes.writeBytes(data);
      reads.add(data.length);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      end.callback(reason);
    }

    void abort() {
      transport().abortConnection();
    }
  }

  private static Deferred<Void> relayed(
      Reactor reactor, FaultyRelay.Fault fault, BiConsumer<Client, ConnectionEnd> check) {
    return Async.run(
        () -> {
          Server server = new Server(reactor);
          FaultyRelay relay =
              FaultyRelay.start(reactor, reactor, "127.0.0.1", server.port(), n -> fault);
          Client client = Client.connect(reactor, relay.port());
          ConnectionEnd end = Async.await(client.end);
          check.accept(client, end);
          Async.await(relay.stop());
          Async.await(server.ended);
          Async.await(server.port.stopListening());
          assertThat(relay.connectionCount()).isEqualTo(1);
          assertThat(relay.openCount()).isZero();
          return null;
        });
  }

  @Test
  void passRelaysTheWholeStreamAndTheCleanClose(Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        relayed(
            reactor,
            new FaultyRelay.Fault.Pass(),
            (client, end) -> {
              assertThat(end).isInstanceOf(ConnectionDone.class);
              assertThat(client.bytes.toByteArray()).isEqualTo(STREAM);
            }));
  }

  @Test
  void resetAfterResetsTheClientAfterThatManyBytes(Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        relayed(
            reactor,
            new FaultyRelay.Fault.ResetAfter(300),
            (client, end) -> {
              assertThat(end).isInstanceOf(ConnectionLost.class);
              // A reset may discard bytes the client had not read yet: never more than 300.
              byte[] got = client.bytes.toByteArray();
              assertThat(got.length).isLessThanOrEqualTo(300);
              assertThat(got).isEqualTo(Arrays.copyOf(STREAM, got.length));
            }));
  }

  @Test
  void closeAfterClosesTheClientCleanlyAfterExactlyThatManyBytes(
      Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        relayed(
            reactor,
            new FaultyRelay.Fault.CloseAfter(300),
            (client, end) -> {
              assertThat(end).isInstanceOf(ConnectionDone.class);
              assertThat(client.bytes.toByteArray()).isEqualTo(Arrays.copyOf(STREAM, 300));
            }));
  }

  @Test
  void aFaultAfterZeroBytesStrikesAtOnce(Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        relayed(
            reactor,
            new FaultyRelay.Fault.CloseAfter(0),
            (client, end) -> {
              assertThat(end).isInstanceOf(ConnectionDone.class);
              assertThat(client.bytes.size()).isZero();
            }));
  }

  @Test
  void hangAfterHoldsTheClientAfterThatManyBytesUntilItLeaves(
      Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              Server server = new Server(reactor);
              FaultyRelay relay =
                  FaultyRelay.start(
                      reactor,
                      reactor,
                      "127.0.0.1",
                      server.port(),
                      n -> new FaultyRelay.Fault.HangAfter(200));
              Client client = Client.connect(reactor, relay.port());
              // The server has sent everything and closed; the client has 200 bytes and waits.
              Async.await(server.ended);
              Async.await(Deferreds.deferLater(reactor, 0.05, () -> null));
              assertThat(client.end.isCalled()).as("still hanging").isFalse();
              assertThat(client.bytes.toByteArray()).isEqualTo(Arrays.copyOf(STREAM, 200));
              client.abort();
              Async.await(client.end);
              Async.await(relay.stop());
              Async.await(server.port.stopListening());
              return null;
            }));
  }

  @Test
  void stopResetsTheConnectionsStillOpen(Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              Server server = new Server(reactor);
              FaultyRelay relay =
                  FaultyRelay.start(
                      reactor,
                      reactor,
                      "127.0.0.1",
                      server.port(),
                      n -> new FaultyRelay.Fault.HangAfter(0));
              Client client = Client.connect(reactor, relay.port());
              Async.await(server.ended);
              Async.await(relay.stop());
              assertThat(Async.await(client.end)).isInstanceOf(ConnectionLost.class);
              assertThat(relay.openCount()).isZero();
              Async.await(server.port.stopListening());
              return null;
            }));
  }

  @Test
  void latencyDelaysTheStreamAndItsEnd(Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              Server server = new Server(reactor);
              FaultyRelay relay =
                  FaultyRelay.start(
                      reactor,
                      reactor,
                      "127.0.0.1",
                      server.port(),
                      n -> new FaultyRelay.Fault.Latency(Duration.ofMillis(100)));
              double start = reactor.seconds();
              Client client = Client.connect(reactor, relay.port());
              assertThat(Async.await(client.end)).isInstanceOf(ConnectionDone.class);
              assertThat(reactor.seconds() - start).isGreaterThanOrEqualTo(0.1);
              assertThat(client.bytes.toByteArray()).isEqualTo(STREAM);
              Async.await(relay.stop());
              Async.await(server.port.stopListening());
              return null;
            }));
  }

  @Test
  void tinyChunksReachTheClientInPiecesOfAtMostThatSize(Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        relayed(
            reactor,
            new FaultyRelay.Fault.TinyChunks(7, Duration.ofMillis(1)),
            (client, end) -> {
              assertThat(end).isInstanceOf(ConnectionDone.class);
              assertThat(client.bytes.toByteArray()).isEqualTo(STREAM);
              assertThat(client.reads).allSatisfy(n -> assertThat(n).isLessThanOrEqualTo(7));
            }));
  }

  @Test
  void anUnreachableServerResetsTheClient(Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              ListeningPort closed =
                  reactor.listenTCP(0, a -> null, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
              int port = closed.getHost().getPort();
              Async.await(closed.stopListening());
              FaultyRelay relay =
                  FaultyRelay.start(
                      reactor, reactor, "127.0.0.1", port, n -> new FaultyRelay.Fault.Pass());
              Client client = Client.connect(reactor, relay.port());
              assertThat(Async.await(client.end)).isInstanceOf(ConnectionLost.class);
              Async.await(relay.stop());
              return null;
            }));
  }

  @Test
  void randomFaultsAreReproducibleFromTheSeedAndStayInsideTheStream() {
    Supplier<List<FaultyRelay.Fault>> draw =
        () -> {
          Random random = new Random(42);
          List<FaultyRelay.Fault> faults = new ArrayList<>();
          for (int i = 0; i < 600; i++) {
            faults.add(FaultyRelay.Fault.random(random, 100, Duration.ofMillis(50)));
          }
          return faults;
        };
    List<FaultyRelay.Fault> faults = draw.get();
    assertThat(draw.get()).isEqualTo(faults);
    assertThat(faults.stream().map(f -> f.getClass()).distinct()).hasSize(6);
    for (FaultyRelay.Fault f : faults) {
      switch (f) {
        case FaultyRelay.Fault.ResetAfter r -> assertThat(r.bytes()).isBetween(0L, 99L);
        case FaultyRelay.Fault.CloseAfter c -> assertThat(c.bytes()).isBetween(0L, 99L);
        case FaultyRelay.Fault.HangAfter h -> assertThat(h.bytes()).isBetween(0L, 99L);
        case FaultyRelay.Fault.Latency l ->
            assertThat(l.delay()).isLessThanOrEqualTo(Duration.ofMillis(50));
        case FaultyRelay.Fault.TinyChunks t -> assertThat(t.size()).isBetween(1, 16);
        case FaultyRelay.Fault.Pass p -> {}
      }
    }
  }
}
