package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The tutorial's own tests (twisted-intro {@code tests/test_poetry.py}): a poetry server that
 * writes a poem and closes, and a client whose {@code getPoetry} returns a Deferred of the poem.
 */
@Tag("loopback")
class PoetryTest {
  static final String POEM =
      """
      The fascination of what's difficult
      Has dried the sap out of my veins, and rent
      Spontaneous joy and natural content
      Out of my heart. — W. B. Yeats, café edition
      """;

  /** The server side: writes the poem and closes. */
  static final class PoetryProtocol extends BaseProtocol {
    private final byte[] poem;

    PoetryProtocol(byte[] poem) {
      this.poem = poem;
    }

    @Override
    protected void connectionMade() {
      transport().write(poem);
      transport().loseConnection();
    }
  }

  /** The client side: collects bytes until the connection closes. */
  static final class PoetryClientProtocol extends BaseProtocol {
    private final ByteArrayOutputStream poem = new ByteArrayOutputStream();
    private final Deferred<String> result;

    PoetryClientProtocol(Deferred<String> result) {
      this.result = result;
    }

    @Override
    public void dataReceived(byte[] data) {
      poem.writeBytes(data);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      switch (reason) {
        case ConnectionDone done -> result.callback(poem.toString(StandardCharsets.UTF_8));
        case ConnectionLost lost -> result.errback(lost);
      }
    }
  }

  static final class PoetryClientFactory implements ClientFactory {
    final Deferred<String> poem = Deferred.create();

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      return new PoetryClientProtocol(poem);
    }

    @Override
    public void clientConnectionFailed(Connector connector, ConnectError reason) {
      poem.errback(reason);
    }
  }

  /** The tutorial's {@code get_poetry(host, port)}. */
  static Deferred<String> getPoetry(ReactorTcp reactor, String host, int port) {
    PoetryClientFactory factory = new PoetryClientFactory();
    reactor.connectTCP(host, port, factory);
    return factory.poem;
  }

  static int listenPoetry(RunningReactor r, String poem) {
    byte[] bytes = poem.getBytes(StandardCharsets.UTF_8);
    return r.listen(a -> new PoetryProtocol(bytes));
  }

  /** A port on which nothing listens (it was free a moment ago). */
  static int unusedPort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  @Test
  void theClientGetsThePoemTheServerWrites() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = listenPoetry(r, POEM);
      String poem = r.await(() -> getPoetry(r.reactor(), "127.0.0.1", port));
      assertThat(poem).isEqualTo(POEM).contains("—").contains("café");
    }
  }

  @Test
  void aPoemLargerThanTheSocketBuffersArrivesWhole() {
    String big = POEM.repeat(40_000); // ~7 MB: queued, written as the socket drains
    try (RunningReactor r = RunningReactor.start()) {
      int port = listenPoetry(r, big);
      assertThat(r.await(() -> getPoetry(r.reactor(), "127.0.0.1", port))).isEqualTo(big);
    }
  }

  @Test
  void manyClientsAtOnceAllGetThePoem() {
    try (RunningReactor r = RunningReactor.start()) {
      int port = listenPoetry(r, POEM);
      List<Outcome<String>> outcomes = new ArrayList<>();
      Deferred<?>[] all = new Deferred<?>[1];
      r.await(
          () -> {
            int[] left = {200};
            Deferred<Void> done = Deferred.create();
            for (int i = 0; i < 200; i++) {
              getPoetry(r.reactor(), "127.0.0.1", port)
                  .addBoth(
                      o -> {
                        outcomes.add(o);
                        if (--left[0] == 0) {
                          done.callback(null);
                        }
                        return null;
                      });
            }
            all[0] = done;
            return done;
          });
      assertThat(outcomes).hasSize(200).allSatisfy(o -> assertThat(o.get()).isEqualTo(POEM));
    }
  }

  @Test
  void connectingToAPortWithNoServerFailsWithConnectionRefused() throws IOException {
    int port = unusedPort();
    try (RunningReactor r = RunningReactor.start()) {
      Outcome<String> outcome = r.outcomeOf(() -> getPoetry(r.reactor(), "127.0.0.1", port));
      assertThat(outcome).isInstanceOf(Outcome.Failed.class);
      Throwable error = ((Outcome.Failed<String>) outcome).failure().value();
      assertThat(error)
          .isInstanceOf(ConnectionRefusedError.class)
          .hasMessage("127.0.0.1:" + port + ": connection refused");
    }
  }
}
