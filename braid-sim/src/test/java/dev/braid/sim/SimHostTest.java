package dev.braid.sim;

import static dev.braid.sim.Protocols.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionLost;
import dev.braid.net.SystemEventPhase;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** A simulated host is a whole reactor. */
class SimHostTest {
  @Test
  void stopWaitsForTheBeforeTriggersThenClosesEverythingAndGoesDown() {
    Simulation sim = Simulation.create(1);
    SimHost server = sim.addHost("server");
    List<String> phases = new ArrayList<>();
    server.boot(
        h -> {
          h.listenTCP(7000, address -> new Protocols.Echo());
          h.addSystemEventTrigger(
              SystemEventPhase.BEFORE,
              () -> {
                phases.add("before at " + h.seconds());
                Deferred<Void> later = Deferred.create();
                h.callLater(2, () -> later.callback(null));
                return later;
              });
          h.addSystemEventTrigger(
              SystemEventPhase.DURING,
              () -> {
                phases.add("during at " + h.seconds());
                return null;
              });
          h.addSystemEventTrigger(
              SystemEventPhase.AFTER,
              () -> {
                phases.add("after at " + h.seconds());
                return null;
              });
        });
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader(bytes("ping"));
    client.connectTCP("server", 7000, reader);
    client.callLater(1, server::stop);
    sim.run().assertPassed();
    assertThat(phases).containsExactly("before at 1.0", "during at 3.0", "after at 3.0");
    assertThat(server.isUp()).isFalse();
    assertThat(reader.value())
        .as("the peer of a stopped host sees a clean close")
        .isEqualTo(bytes("ping"));
    assertThat(reader.lostReason).isInstanceOf(ConnectionDone.class);
  }

  @Test
  void aConnectionClosedByShutdownTellsItsProtocolTheReactorIsShuttingDown() {
    Simulation sim = Simulation.create(1);
    SimHost server = sim.addHost("server");
    AtomicReference<Object> reason = new AtomicReference<>();
    server.boot(
        h ->
            h.listenTCP(
                7000,
                address ->
                    new dev.braid.net.BaseProtocol() {
                      @Override
                      public void connectionLost(dev.braid.net.ConnectionEnd r) {
                        reason.set(r);
                      }
                    }));
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader();
    client.connectTCP("server", 7000, reader);
    client.callLater(1, server::stop);
    sim.run().assertPassed();
    assertThat(reason.get())
        .isInstanceOf(ConnectionLost.class)
        .hasFieldOrPropertyWithValue("message", "Connection lost: the reactor is shutting down.");
  }

  @Test
  void aPortInUseCannotBeBoundAndPortZeroPicksAFreeOne() {
    Simulation sim = Simulation.create(1);
    SimHost host = sim.addHost("host");
    host.listenTCP(7000, Protocols.sending("x"));
    assertThatThrownBy(() -> host.listenTCP(7000, Protocols.sending("y")))
        .isInstanceOf(UncheckedIOException.class)
        .hasMessageContaining("host:7000: address already in use");
    assertThat(host.listenTCP(0, Protocols.sending("z")).getHost().getPort())
        .isEqualTo(SimHost.FIRST_EPHEMERAL_PORT);
    assertThat(host.listeningPorts()).containsExactly(7000, SimHost.FIRST_EPHEMERAL_PORT);
  }

  @Test
  void hostsHaveAddressesCarryingTheirNames() {
    Simulation sim = Simulation.create(1);
    SimHost a = sim.addHost("alpha");
    SimHost b = sim.addHost("beta");
    assertThat(a.address().getHostAddress()).isEqualTo("10.0.0.1");
    assertThat(b.address().getHostAddress()).isEqualTo("10.0.0.2");
    assertThat(b.address().getHostName()).isEqualTo("beta");
    assertThat(sim.host("beta")).isSameAs(b);
    assertThatThrownBy(() -> sim.addHost("beta")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> sim.addHost("10.0.0.9")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aHostConnectsToItselfAndToOthersByAddress() {
    Simulation sim = Simulation.create(1);
    SimHost server = sim.addHost("server");
    server.listenTCP(7000, Protocols.sending("hi"));
    Protocols.Reader self = new Protocols.Reader();
    server.connectTCP("localhost", 7000, self);
    SimHost client = sim.addHost("client");
    Protocols.Reader byAddress = new Protocols.Reader();
    client.connectTCP("10.0.0.1", 7000, byAddress);
    sim.run().assertPassed();
    assertThat(self.value()).isEqualTo(bytes("hi"));
    assertThat(byAddress.value()).isEqualTo(bytes("hi"));
  }

  @Test
  void eachHostSeesOnlyItsOwnDelayedCalls() {
    Simulation sim = Simulation.create(1);
    SimHost a = sim.addHost("a");
    SimHost b = sim.addHost("b");
    a.callLater(2, () -> {});
    a.callLater(1, () -> {});
    b.callLater(3, () -> {});
    assertThat(a.getDelayedCalls()).extracting(c -> c.getTime()).containsExactly(1.0, 2.0);
    assertThat(b.getDelayedCalls()).hasSize(1);
    a.crash();
    assertThat(a.getDelayedCalls()).isEmpty();
    assertThatThrownBy(() -> a.callLater(1, () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("callLater on a, which is down");
    sim.run().assertPassed();
  }

  @Test
  void threadsAreEventsOnTheSimulationsThread() throws Exception {
    Simulation sim = Simulation.create(1);
    SimHost h = sim.addHost("h");
    Deferred<String> d = h.deferToThread(() -> Thread.currentThread().getName());
    assertThat(d.isCalled()).as("not inline").isFalse();
    sim.run().assertPassed();
    assertThat(Outcomes.value(d)).isEqualTo(Thread.currentThread().getName());
    AtomicReference<Throwable> thrown = new AtomicReference<>();
    Thread other =
        new Thread(
            () -> {
              try {
                h.callFromThread(() -> {});
              } catch (IllegalStateException e) {
                thrown.set(e);
              }
            });
    other.start();
    other.join();
    assertThat(thrown.get())
        .hasMessageContaining("a simulation takes calls from its own thread only");
    assertThatThrownBy(h::run).isInstanceOf(IllegalStateException.class);
    assertThat(h.isRunning()).isTrue();
  }
}
