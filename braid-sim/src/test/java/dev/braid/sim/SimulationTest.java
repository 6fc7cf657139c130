package dev.braid.sim;

import static dev.braid.sim.Protocols.bytes;
import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.DnsLookupError;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulationTest {
  @Test
  void aClientReadsWhatAServerOnAnotherHostSends() {
    Simulation sim = Simulation.create(1);
    sim.addHost("server").boot(h -> h.listenTCP(7000, Protocols.sending("hello, world")));
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader();
    client.connectTCP("server", 7000, reader);
    client.track("greeting", reader.result);

    SimulationResult result = sim.run();

    result.assertPassed();
    assertThat(reader.value()).isEqualTo(bytes("hello, world"));
    assertThat(result.seconds())
        .as("two round trips of 1 ms each way")
        .isEqualTo(0.003, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void anUnknownNameFailsTheAttemptWithADnsError() {
    Simulation sim = Simulation.create(1);
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader().expectingFailure();
    client.connectTCP("nowhere", 7000, reader);
    sim.run().assertPassed();
    assertThat(reader.failure())
        .isInstanceOf(DnsLookupError.class)
        .hasMessage("nowhere:7000: DNS lookup failed");
  }

  @Test
  void aPortNobodyListensOnRefusesAfterOneRoundTrip() {
    Simulation sim = Simulation.create(1);
    sim.addHost("server");
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader().expectingFailure();
    client.connectTCP("server", 7000, reader);
    sim.run().assertPassed();
    assertThat(reader.failure())
        .isInstanceOf(ConnectionRefusedError.class)
        .hasMessage("server:7000: connection refused");
    assertThat(sim.seconds()).isEqualTo(0.002, org.assertj.core.api.Assertions.within(1e-9));
  }

  @Test
  void aHostThatIsDownTimesTheAttemptOut() {
    Simulation sim = Simulation.create(1);
    SimHost server = sim.addHost("server");
    server.boot(h -> h.listenTCP(7000, Protocols.sending("x")));
    server.crash();
    SimHost client = sim.addHost("client");
    Protocols.Reader reader = new Protocols.Reader();
    double[] failedAt = {-1};
    reader.result.addErrback(
        f -> {
          failedAt[0] = sim.seconds();
          return null;
        });
    client.connectTCP("server", 7000, reader, Duration.ofSeconds(5), null);
    sim.run().assertPassed();
    assertThat(reader.failure())
        .isInstanceOf(ConnectTimeoutError.class)
        .hasMessage("server:7000: connection timed out after 5 seconds");
    assertThat(failedAt[0]).isEqualTo(5.0);
  }
}
