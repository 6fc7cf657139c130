package dev.braid.sim;

import static dev.braid.sim.Protocols.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Same seed, same run: the trace and the result are the same, byte for byte. */
class DeterminismTest {
  /** Servers and many clients on a network with every fault on. */
  static SimulationResult busy(long seed) {
    Simulation sim =
        Simulation.builder(seed)
            .faults(Faults.standard().withCleanCloses(0.05))
            .trace(true)
            .build();
    for (int s = 0; s < 3; s++) {
      String name = "server-" + s;
      String message = ("poem " + s + " ").repeat(50 + 20 * s);
      sim.addHost(name).boot(h -> h.listenTCP(7000, Protocols.sending(message)));
    }
    int clients = 5 + sim.random().nextInt(10);
    for (int c = 0; c < clients; c++) {
      SimHost client = sim.addHost("client-" + c);
      double start = sim.random().nextDouble() * 30;
      String server = "server-" + sim.random().nextInt(3);
      client.callLater(
          start,
          () -> {
            Protocols.Reader reader = new Protocols.Reader(bytes("hello")).expectingFailure();
            client.connectTCP(server, 7000, reader, Duration.ofSeconds(10), null);
            client.callLater(20, reader::abort);
            client.track("read", reader.result);
          });
    }
    return sim.run();
  }

  @Test
  void theSameSeedGivesTheSameTraceAndResult() {
    for (long seed = 100; seed < 110; seed++) {
      SimulationResult first = busy(seed);
      SimulationResult second = busy(seed);
      assertThat(second.trace().text()).as("seed %d", seed).isEqualTo(first.trace().text());
      assertThat(second.events()).isEqualTo(first.events());
      assertThat(second.violations()).isEqualTo(first.violations());
      assertThat(first.trace().lines()).hasSizeGreaterThan(50);
    }
  }

  @Test
  void anotherSeedGivesAnotherRun() {
    assertThat(busy(1).trace().text()).isNotEqualTo(busy(2).trace().text());
  }
}
