package dev.braid.sim;

import static dev.braid.sim.Protocols.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** What a run checks, and how a failed run reports it. */
class ChecksTest {
  @Test
  void aTrackedDeferredLeftPendingFailsTheRunUnlessItsHostDied() {
    Simulation sim = Simulation.create(11);
    SimHost a = sim.addHost("a");
    SimHost b = sim.addHost("b");
    a.track("answer", Deferred.create());
    b.track("other", Deferred.create());
    b.crash();
    SimulationResult r = sim.run();
    assertThat(r.violations()).containsExactly("a: answer: left pending");
    assertThat(r.report())
        .isEqualTo(
            String.join(
                System.lineSeparator(),
                "seed 11 failed at 0.000000 s simulated: 1 violation",
                "  a: answer: left pending",
                "  replay: -Dbraid.sim.seed=11"));
  }

  @Test
  void anUnhandledFailureFailsTheRun() {
    Simulation sim = Simulation.create(1);
    SimHost a = sim.addHost("a");
    Deferred<String> d = Deferred.create();
    a.callLater(1, () -> d.errback(new IllegalStateException("nobody handles this")));
    SimulationResult r = sim.run();
    assertThat(r.violations())
        .containsExactly(
            "an unhandled failure in a Deferred: IllegalStateException: nobody handles this");
    d.addErrback(f -> null);
  }

  @Test
  void aProtocolThatThrowsIsAViolationAndItsPeerSeesACleanCloseAsFromARealReactor() {
    Simulation sim = Simulation.builder(1).replay(s -> "my-sim --seed " + s).build();
    SimHost server = sim.addHost("server");
    server.listenTCP(
        7000,
        address ->
            new BaseProtocol() {
              @Override
              public void dataReceived(byte[] data) {
                throw new IllegalArgumentException("cannot parse " + data.length + " bytes");
              }
            });
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader(bytes("hello"));
    client.connectTCP("server", 7000, reader);
    SimulationResult r = sim.run();
    assertThat(r.violations())
        .containsExactly(
            "server: dataReceived threw IllegalArgumentException: cannot parse 5 bytes");
    assertThat(r.firstError()).hasMessage("cannot parse 5 bytes");
    assertThat(r.replayCommand()).isEqualTo("my-sim --seed 1");
    assertThat(reader.lostReason).isInstanceOf(ConnectionDone.class);
  }

  @Test
  void aConnectionLeftOpenWithNothingLeftToHappenFailsTheRunUnlessAllowed() {
    for (boolean allowed : new boolean[] {false, true}) {
      Simulation.Builder b = Simulation.builder(1);
      if (allowed) {
        b.allowOpenConnections();
      }
      Simulation sim = b.build();
      sim.addHost("server").listenTCP(7000, address -> new Protocols.Echo());
      sim.addHost("client").connectTCP("server", 7000, new Protocols.Reader());
      SimulationResult r = sim.run();
      if (allowed) {
        r.assertPassed();
      } else {
        assertThat(r.violations())
            .containsExactly(
                "server: 1 connection(s) left open with nothing left to happen",
                "client: 1 connection(s) left open with nothing left to happen");
      }
    }
  }

  @Test
  void theScenariosInvariantsAndChecksRunAfterTheRun() {
    Simulation sim = Simulation.create(1);
    int[] counter = {0};
    SimHost a = sim.addHost("a");
    a.callLater(1, () -> counter[0]++);
    sim.invariant("the counter is 1", () -> counter[0] == 1);
    sim.invariant("the counter is 2", () -> counter[0] == 2);
    sim.afterRun(() -> sim.violation("counted " + counter[0]));
    assertThat(sim.run().violations())
        .containsExactly("invariant does not hold: the counter is 2", "counted 1");
  }

  @Test
  void aRunStillBusyAtTheTimeLimitFails() {
    Simulation sim = Simulation.builder(1).timeLimit(Duration.ofSeconds(10)).build();
    SimHost a = sim.addHost("a");
    Runnable[] tick = {null};
    tick[0] = () -> a.callLater(1, tick[0]);
    tick[0].run();
    SimulationResult r = sim.run();
    assertThat(r.violations())
        .containsExactly("still busy at the time limit of 10 seconds: 1 calls pending");
    assertThat(r.seconds()).isEqualTo(10.0);
  }

  @Test
  void seedsRunsEverySeedAndKeepsTheFailures() {
    Seeds.Summary s =
        Seeds.run(
            5,
            10,
            seed -> {
              Simulation sim = Simulation.create(seed);
              if (seed % 4 == 0) {
                sim.violation("seed divisible by 4");
              }
              return sim.run();
            },
            failed -> {});
    assertThat(s.toString()).isEqualTo("simulated 10 runs: 2 failed");
    assertThat(s.failedSeeds()).containsExactly(8L, 12L);
  }
}
