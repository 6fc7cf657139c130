package dev.braid.test;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.ListeningPort;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.ReactorResources;
import dev.braid.reactor.SelectorReactor;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The janitor reads every reactor through {@link ReactorResources}: a {@link MemoryReactor} lists
 * what it holds as a real one does, and both are described alike.
 */
class JanitorTest {
  private final MemoryReactor memory = MemoryReactor.create();

  @Test
  void aCleanReactorHasNoLeftovers() {
    assertThat(Janitor.leftovers(memory)).isEmpty();
  }

  @Test
  void eachKindOfLeftoverIsOneLineInTheOrderCallsPortsAttemptsConnections() {
    ClientFactory client = a -> new BaseProtocol() {};
    MemoryConnector attempt = memory.connectTCP("poetry.example", 10000, client);
    MemoryPort port = memory.listenTCP(10001, a -> new BaseProtocol() {});
    StringTransport accepted = port.accept();

    assertThat(Janitor.leftovers(memory))
        .containsExactly(
            "pending delayed call: " + memory.getDelayedCalls().get(0),
            "listening port: " + port,
            "connection attempt in progress: " + attempt,
            "open connection: " + accepted);
    assertThat(memory.leftovers()).isEqualTo(Janitor.leftovers(memory));

    attempt.fail(new ConnectionRefusedError("poetry.example:10000: refused", null));
    accepted.loseConnection();
    port.stopListening();
    assertThat(Janitor.leftovers(memory)).isEmpty();
  }

  @Test
  void aMemoryReactorListsOnlyThePortsStillListeningAndTheAttemptsStillInProgress() {
    ReactorResources resources = memory;
    MemoryPort stopped = memory.listenTCP(10000, a -> null);
    MemoryPort listening = memory.listenTCP(10001, a -> null);
    stopped.stopListening();
    MemoryConnector completed = memory.connectTCP("a.example", 1, a -> new BaseProtocol() {});
    MemoryConnector connecting = memory.connectTCP("b.example", 2, a -> new BaseProtocol() {});
    StringTransport connection = completed.complete();

    assertThat(resources.listeningPorts()).isEqualTo(List.of(listening));
    assertThat(resources.connectionAttempts()).isEqualTo(List.of(connecting));
    assertThat(resources.openConnections()).isEqualTo(List.of(connection));
    assertThat(memory.ports()).containsExactly(stopped, listening);
    assertThat(memory.connectors()).containsExactly(completed, connecting);

    listening.stopListening();
    connecting.stopConnecting();
    connection.loseConnection();
    assertThat(resources.listeningPorts()).isEmpty();
    assertThat(resources.connectionAttempts()).isEmpty();
    assertThat(resources.openConnections()).isEmpty();
  }

  @Test
  void aRealReactorIsDescribedTheSameWay() {
    SelectorReactor real = SelectorReactor.create();
    // Before run() any thread may set a reactor up and look at it.
    ListeningPort port =
        real.listenTCP(0, a -> new BaseProtocol() {}, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
    try (RunningReactor running = RunningReactor.start(real)) {
      assertThat(running.call(() -> Janitor.leftovers(real)))
          .containsExactly("listening port: " + port);
      running.await(port::stopListening);
      assertThat(running.call(() -> Janitor.leftovers(real))).isEmpty();
    }
  }
}
