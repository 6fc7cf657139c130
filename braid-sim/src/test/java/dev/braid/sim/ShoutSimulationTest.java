package dev.braid.sim;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * The example of docs/simulation.md, "simulating your own protocol": a shouting server, a client, a
 * scenario, and the bug the simulation finds in the first version of the server.
 */
class ShoutSimulationTest {
  /** The first version: takes the first read for the whole request. */
  static final class HastyShout extends BaseProtocol {
    @Override
    public void dataReceived(byte[] data) {
      String request = new String(data, StandardCharsets.UTF_8);
      transport().write(request.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
      transport().loseConnection();
    }
  }

  /** The fixed version: reads up to the end of the line, however the bytes arrive. */
  static final class Shout extends BaseProtocol {
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    @Override
    public void dataReceived(byte[] data) {
      line.writeBytes(data);
      String request = line.toString(StandardCharsets.UTF_8);
      if (request.endsWith("\n")) {
        transport().write(request.toUpperCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
        transport().loseConnection();
      }
    }
  }

  /**
   * The first client: sends a line, reads the answer until the server closes. Its answer is
   * whatever came before the close, and its timeout leaves the connection open.
   */
  static Deferred<String> naiveAsk(ReactorTcp reactor, String host, int port, String line) {
    Deferred<String> answer = Deferred.create();
    reactor.connectTCP(host, port, new Asking(answer, line, false));
    return answer;
  }

  /**
   * The fixed client: an answer is a whole line (a close before its newline is a failure), and
   * cancelling the Deferred, as a timeout does, closes the connection.
   */
  static Deferred<String> ask(ReactorTcp reactor, String host, int port, String line) {
    Asking[] asking = {null};
    Deferred<String> answer = Deferred.create(d -> asking[0].abort());
    asking[0] = new Asking(answer, line, true);
    reactor.connectTCP(host, port, asking[0]);
    return answer;
  }

  /** The client's factory and protocol. */
  static final class Asking extends BaseProtocol implements ClientFactory {
    final Deferred<String> answer;
    final String line;
    final boolean careful;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    Connector connector;

    Asking(Deferred<String> answer, String line, boolean careful) {
      this.answer = answer;
      this.line = line;
      this.careful = careful;
    }

    @Override
    public void startedConnecting(Connector c) {
      connector = c;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      return this;
    }

    @Override
    public void clientConnectionFailed(Connector c, ConnectError reason) {
      if (!answer.isCalled()) {
        answer.errback(reason);
      }
    }

    @Override
    protected void connectionMade() {
      transport().write(line.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void dataReceived(byte[] data) {
      received.writeBytes(data);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      if (answer.isCalled()) {
        return;
      }
      String got = received.toString(StandardCharsets.UTF_8);
      if (reason instanceof ConnectionDone && (!careful || got.endsWith("\n"))) {
        answer.callback(got);
      } else {
        answer.errback(reason);
      }
    }

    void abort() {
      if (isConnected()) {
        transport().abortConnection();
      } else if (connector != null) {
        connector.disconnect();
      }
    }
  }

  // tag::scenario[]
  /** Asks a server, as {@link #ask} or {@link #naiveAsk} do. */
  interface Client {
    Deferred<String> ask(ReactorTcp reactor, String host, int port, String line);
  }

  /** One seed: a server, five clients, every fault; each client must get its line shouted back. */
  static SimulationResult shout(long seed, Factory server, Client asker) {
    Simulation sim =
        Simulation.builder(seed)
            .faults(Faults.standard())
            .replay(
                s ->
                    "./mvnw -pl braid-sim -am verify -Dtest=ShoutSimulationTest -Dbraid.sim.seed="
                        + s)
            .build();
    sim.addHost("server").boot(h -> h.listenTCP(7, server));
    for (int i = 1; i <= 5; i++) {
      SimHost client = sim.addHost("client-" + i);
      String line = "hello from client " + i + "\n";
      client.callLater(
          sim.random().nextDouble() * 10,
          () ->
              client
                  .track("answer", asker.ask(client, "server", 7, line))
                  .addTimeout(Duration.ofSeconds(30), client)
                  .addCallbacks(
                      answer -> {
                        if (!answer.equals(line.toUpperCase(Locale.ROOT))) {
                          sim.violation(client.name() + " got '" + answer + "' for '" + line + "'");
                        }
                        return null;
                      },
                      failure -> null)); // a failure is allowed: the network is faulty
    }
    return sim.run();
  }

  // end::scenario[]

  @Test
  void theSimulationFindsTheHastyServersBugAndReplaysIt() {
    Seeds.Summary hasty =
        Seeds.run(
            1,
            50,
            seed -> shout(seed, a -> new HastyShout(), ShoutSimulationTest::naiveAsk),
            r -> {});
    assertThat(hasty.failures()).isNotEmpty();
    SimulationResult first = hasty.failures().get(0);
    assertThat(first.seed()).as("found within the first seeds").isLessThanOrEqualTo(5);
    assertThat(first.violations().get(0))
        .matches("(?s)client-\\d got '.*' for 'hello from client .*");
    assertThat(
            shout(first.seed(), a -> new HastyShout(), ShoutSimulationTest::naiveAsk).violations())
        .as("the same seed fails the same way")
        .isEqualTo(first.violations());
    System.out.println(
        "ShoutSimulationTest, the hasty server: " + hasty + ", the first at seed " + first.seed());
  }

  @Test
  void theSimulationFindsTheNaiveClientsBugs() {
    Seeds.Summary naive =
        Seeds.run(
            1, 200, seed -> shout(seed, a -> new Shout(), ShoutSimulationTest::naiveAsk), r -> {});
    List<String> found =
        naive.failures().stream().flatMap(r -> r.violations().stream()).distinct().toList();
    assertThat(found)
        .as("a close before the answer taken for an empty answer")
        .anySatisfy(v -> assertThat(v).matches("(?s)client-\\d got '' for .*"));
    assertThat(found)
        .as("a timeout that leaves the connection open")
        .anySatisfy(
            v -> assertThat(v).endsWith("connection(s) left open with nothing left to happen"));
    System.out.println(
        "ShoutSimulationTest, the naive client: " + naive + ", seeds " + naive.failedSeeds());
  }

  @Test
  void theFixedServerAndClientPassEverySeed() {
    Long replay = Long.getLong("braid.sim.seed");
    Seeds.Summary fixed =
        Seeds.run(
            replay == null ? 1 : replay,
            replay == null ? 500 : 1,
            seed -> shout(seed, a -> new Shout(), ShoutSimulationTest::ask),
            r -> System.out.println(r.report()));
    assertThat(fixed.failedSeeds()).isEmpty();
  }
}
