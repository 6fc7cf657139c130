package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Protocol;
import dev.braid.test.RunningReactor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A hundred thousand connections opened and closed through one reactor leave no file descriptor
 * behind and never close one twice: the classic bug of a hand-written epoll loop (a descriptor
 * closed twice closes whatever the kernel gave its number to meanwhile, here the listening socket,
 * the poller or another connection, and the run would then fail). Both ends are the reactor's; the
 * client aborts each connection as soon as it is made (a reset, so that no socket waits in {@code
 * TIME_WAIT} and the ephemeral ports last), and the server sees the reset as a lost connection.
 */
@Tag("loopback")
class DescriptorChurnTest {
  private static final int CONNECTIONS = 100_000;
  private static final int IN_FLIGHT = 64;

  private static long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
      return fds.count() - 1; // the directory stream's own descriptor
    }
  }

  /** Counts what both ends saw, on the reactor thread; completes once everything has ended. */
  private static final class Churn implements ClientFactory {
    final CompletableFuture<Void> done = new CompletableFuture<>();
    final List<String> failures = new ArrayList<>();
    int started;
    int clientEnds;
    int serverEnds;
    InetSocketAddress server;
    SelectorReactor reactor;

    void startOne() {
      started++;
      reactor.connectTCP(server.getHostString(), server.getPort(), this, null, null);
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      return new BaseProtocol() {
        @Override
        protected void connectionMade() {
          transport().abortConnection();
        }
      };
    }

    @Override
    public void clientConnectionFailed(Connector connector, ConnectError reason) {
      failures.add(reason.toString());
      clientEnded();
    }

    @Override
    public void clientConnectionLost(Connector connector, ConnectionEnd reason) {
      clientEnded();
    }

    private void clientEnded() {
      clientEnds++;
      if (started < CONNECTIONS) {
        startOne();
      }
      checkDone();
    }

    Protocol serverProtocol() {
      return new BaseProtocol() {
        @Override
        public void connectionLost(ConnectionEnd reason) {
          super.connectionLost(reason);
          serverEnds++;
          checkDone();
        }
      };
    }

    private void checkDone() {
      if (clientEnds == CONNECTIONS && serverEnds == CONNECTIONS - failures.size()) {
        done.complete(null);
      }
    }
  }

  @Test
  void aHundredThousandConnectionsLeaveNoDescriptorBehind() throws IOException {
    assumeThat(Path.of("/proc/self/fd")).as("needs Linux's /proc").isDirectory();
    try (RunningReactor r = RunningReactor.start()) {
      Churn churn = new Churn();
      churn.reactor = r.reactor();
      int port = r.listen(address -> churn.serverProtocol());
      churn.server = new InetSocketAddress("127.0.0.1", port);
      long before = openDescriptors();

      r.run(
          () -> {
            for (int i = 0; i < IN_FLIGHT; i++) {
              churn.startOne();
            }
          });
      RunningReactor.get(churn.done);

      assertThat(r.call(() -> churn.failures)).isEmpty();
      assertThat(r.call(() -> r.reactor().openConnections())).isEmpty();
      assertThat(r.call(() -> r.reactor().connectionAttempts())).isEmpty();
      assertThat(openDescriptors()).isEqualTo(before);
    }
  }
}
