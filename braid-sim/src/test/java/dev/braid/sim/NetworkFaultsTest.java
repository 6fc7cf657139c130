package dev.braid.sim;

import static dev.braid.sim.Protocols.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** What each fault of the simulated network does to a stream, over many seeds. */
class NetworkFaultsTest {
  static final String MESSAGE = "0123456789".repeat(30);

  /** A server that sends {@link #MESSAGE} and closes; a client that reads it, with a timeout. */
  static Protocols.Reader fetch(Simulation sim) {
    sim.addHost("server").boot(h -> h.listenTCP(7000, Protocols.sending(MESSAGE)));
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader().expectingFailure();
    client.connectTCP("server", 7000, reader, Duration.ofSeconds(5), null);
    client.callLater(10, reader::abort);
    return reader;
  }

  static boolean isPrefix(byte[] part, byte[] whole) {
    return part.length <= whole.length && Arrays.equals(part, Arrays.copyOf(whole, part.length));
  }

  @Test
  void chunksSplitTheStreamAnywhereAndLoseNothing() {
    int split = 0;
    for (long seed = 0; seed < 50; seed++) {
      Simulation sim = Simulation.builder(seed).faults(Faults.none().withChunks(1.0, 16)).build();
      Protocols.Reader reader = fetch(sim);
      sim.run().assertPassed();
      assertThat(reader.value()).as("seed %d", seed).isEqualTo(bytes(MESSAGE));
      split += reader.reads > 1 ? 1 : 0;
    }
    assertThat(split).as("runs whose stream came in several reads").isEqualTo(50);
  }

  @Test
  void aResetDeliversAPrefixThenFails() {
    for (long seed = 0; seed < 50; seed++) {
      Simulation sim =
          Simulation.builder(seed)
              .faults(Faults.none().withResets(1.0).withCutWithin(MESSAGE.length() * 2))
              .build();
      Protocols.Reader reader = fetch(sim);
      sim.run().assertPassed();
      byte[] got = reader.received.toByteArray();
      assertThat(isPrefix(got, bytes(MESSAGE))).as("seed %d: a prefix", seed).isTrue();
      if (reader.outcome instanceof dev.braid.defer.Outcome.Success<byte[]>) {
        assertThat(got)
            .as("seed %d: whole when the cut fell past the end", seed)
            .isEqualTo(bytes(MESSAGE));
      } else {
        assertThat(reader.failure())
            .as("seed %d", seed)
            .isInstanceOf(ConnectionLost.class)
            .hasMessage("Connection reset by peer");
      }
    }
  }

  @Test
  void aCleanCloseDeliversAPrefixAsIfItWereTheWhole() {
    int cut = 0;
    for (long seed = 0; seed < 50; seed++) {
      Simulation sim =
          Simulation.builder(seed)
              .faults(Faults.none().withCleanCloses(1.0).withCutWithin(MESSAGE.length()))
              .build();
      Protocols.Reader reader = fetch(sim);
      sim.run().assertPassed();
      byte[] got = reader.value();
      assertThat(isPrefix(got, bytes(MESSAGE))).as("seed %d: a prefix", seed).isTrue();
      cut += got.length < MESSAGE.length() ? 1 : 0;
    }
    assertThat(cut).as("runs cut short in the server's direction").isGreaterThan(10);
  }

  @Test
  void aHangHoldsTheConnectionUntilTheReaderGivesUp() {
    int hung = 0;
    for (long seed = 0; seed < 50; seed++) {
      Simulation sim =
          Simulation.builder(seed)
              .faults(Faults.none().withHangs(1.0).withCutWithin(MESSAGE.length()))
              .build();
      Protocols.Reader reader = fetch(sim);
      sim.run().assertPassed();
      assertThat(isPrefix(reader.received.toByteArray(), bytes(MESSAGE))).isTrue();
      if (reader.outcome instanceof dev.braid.defer.Outcome.Failed<byte[]>) {
        assertThat(reader.failure()).isInstanceOf(dev.braid.net.ConnectionAborted.class);
        hung++;
      }
    }
    assertThat(hung).as("runs where the reader gave up at 10 s").isGreaterThan(10);
  }

  @Test
  void aPartitionDelaysTheStreamUntilItHeals() {
    Simulation sim = Simulation.create(3);
    Protocols.Reader reader = fetch(sim);
    sim.partition(sim.host("server"), sim.host("client"));
    sim.host("client").callLater(2, () -> sim.heal(sim.host("server"), sim.host("client")));
    sim.run().assertPassed();
    assertThat(reader.value()).isEqualTo(bytes(MESSAGE));
    assertThat(sim.seconds()).as("the SYN was sent again at 1 s and 3 s").isGreaterThan(3);
  }

  @Test
  void aPartitionLongerThanTheRetransmissionTimeoutResetsBothEnds() {
    Simulation sim =
        Simulation.builder(3)
            .faults(Faults.none().withRetransmitTimeout(Duration.ofSeconds(2)))
            .build();
    SimHost server = sim.addHost("server");
    server.boot(h -> h.listenTCP(7000, address -> new Protocols.Echo()));
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader(bytes("ping")).expectingFailure();
    client.connectTCP("server", 7000, reader);
    client.callLater(0.5, () -> sim.partition(server, client));
    client.callLater(0.6, () -> reader.transportWrite(bytes("lost?")));
    sim.run().assertPassed();
    assertThat(reader.failure())
        .isInstanceOf(ConnectionLost.class)
        .hasMessage("Connection timed out");
    assertThat(server.connectionCount()).isZero();
  }

  @Test
  void aCrashResetsThePeersAndItsTimersNeverRun() {
    Simulation sim = Simulation.create(4);
    SimHost server = sim.addHost("server");
    boolean[] fired = {false};
    server.boot(
        h -> {
          h.listenTCP(7000, address -> new Protocols.Echo());
          h.callLater(5, () -> fired[0] = true);
        });
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader(bytes("ping")).expectingFailure();
    client.connectTCP("server", 7000, reader);
    client.callLater(1, server::crash);
    sim.run().assertPassed();
    assertThat(reader.received.toByteArray()).isEqualTo(bytes("ping"));
    assertThat(reader.failure())
        .isInstanceOf(ConnectionLost.class)
        .hasMessage("Connection reset by peer");
    assertThat(fired[0]).isFalse();
    assertThat(server.isUp()).isFalse();
  }

  @Test
  void aRestartRunsTheBootProgramsAgain() {
    Simulation sim = Simulation.create(5);
    SimHost server = sim.addHost("server");
    int[] boots = {0};
    server.boot(
        h -> {
          boots[0]++;
          h.listenTCP(7000, Protocols.sending("again"));
        });
    server.crash();
    server.restart();
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader();
    client.connectTCP("server", 7000, reader);
    sim.run().assertPassed();
    assertThat(boots[0]).isEqualTo(2);
    assertThat(server.incarnation()).isEqualTo(1);
    assertThat(reader.value()).isEqualTo(bytes("again"));
  }

  @Test
  void aHostThatRestartedResetsWhatArrivesForAConnectionOfItsLastLife() {
    Simulation sim = Simulation.create(8);
    SimHost server = sim.addHost("server");
    java.util.List<dev.braid.net.ConnectionEnd> ends = new java.util.ArrayList<>();
    server.listenTCP(
        7000,
        address ->
            new dev.braid.net.BaseProtocol() {
              @Override
              public void connectionLost(dev.braid.net.ConnectionEnd reason) {
                ends.add(reason);
              }
            });
    SimHost client = sim.addHost("client");
    client.boot(h -> {});
    client.connectTCP("server", 7000, new Protocols.Reader());
    // The server accepts at 1 ms; its SYN-ACK arrives at 2 ms, for a client that died between.
    server.callLater(
        0.0015,
        () -> {
          client.crash();
          client.restart();
        });
    sim.run().assertPassed();
    assertThat(ends).singleElement().isInstanceOf(ConnectionLost.class);
    assertThat(ends.get(0)).hasMessage("Connection reset by peer");
  }

  @Test
  void aDataSegmentReachingAClosedEndIsAnsweredWithAReset() {
    Simulation sim = Simulation.create(6);
    SimHost server = sim.addHost("server");
    server.boot(h -> h.listenTCP(7000, Protocols.sending("bye")));
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader(bytes("too late")).expectingFailure();
    client.connectTCP("server", 7000, reader);
    sim.run().assertPassed();
    // The server closed at once; the client's bytes reach a closed socket: the kernel resets.
    assertThat(reader.received.toByteArray()).isEqualTo(bytes("bye"));
  }

  @Test
  void theEndOfTheStreamComesAfterEveryByte() {
    Simulation sim = Simulation.builder(7).faults(Faults.none().withChunks(1.0, 3)).build();
    Protocols.Reader reader = fetch(sim);
    sim.run().assertPassed();
    assertThat(reader.outcome).isInstanceOf(dev.braid.defer.Outcome.Success.class);
    assertThat(reader.value()).isEqualTo(bytes(MESSAGE));
    assertThat(reader.lostReason).isInstanceOf(ConnectionDone.class);
  }
}
