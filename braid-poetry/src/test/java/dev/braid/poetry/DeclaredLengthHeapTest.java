package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.net.Transport;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.RawClient;
import dev.braid.protocols.Policies;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import dev.braid.test.DeferredTimeout;
import dev.braid.test.RunningReactor;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability item 3 (docs/reliability.md): a declared length is never allocated. 2,000 connections
 * to the transform server each declare a 99,999-byte request ({@code 99999:}) and send 4 bytes of
 * it (10 bytes in all); the heap grows by the bytes received plus a fixed overhead per connection,
 * nowhere near the 200 MB that allocating the declared lengths would take, and shrinks back once
 * they are gone.
 *
 * <p>The server (the transform server's factory with its frame deadline, as {@code poetry
 * transform-server} builds it) runs on a reactor of its own; the clients on the test's reactor, in
 * the same JVM, so the overhead measured is that of both ends of each connection.
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class DeclaredLengthHeapTest {
  static final int CONNECTIONS = Integer.getInteger("braid.heap.connections", 2000);
  static final byte[] REQUEST = "99999:abcd".getBytes(StandardCharsets.US_ASCII);

  /** Generous: the overhead measured here is about a sixth of it (see docs/reliability.md). */
  static final long MAX_OVERHEAD_PER_CONNECTION = 16 * 1024;

  /** Counts the bytes its connections receive and the connections that ended (any thread). */
  static final class Counting implements Factory {
    final Factory inner;
    final Reactor notify;
    long received;
    long ended;
    long receivedTarget = Long.MAX_VALUE;
    long endedTarget = Long.MAX_VALUE;
    Deferred<Void> whenReceived;
    Deferred<Void> whenEnded;

    Counting(Factory inner, Reactor notify) {
      this.inner = inner;
      this.notify = notify;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      Protocol p = inner.buildProtocol(address);
      return new Protocol() {
        @Override
        public void makeConnection(Transport transport) {
          p.makeConnection(transport);
        }

        @Override
        public void dataReceived(byte[] data) {
          p.dataReceived(data);
          received += data.length;
          check();
        }

        @Override
        public void connectionLost(ConnectionEnd reason) {
          p.connectionLost(reason);
          ended++;
          check();
        }
      };
    }

    /** Server thread: tells the test's reactor when a target is reached. */
    private void check() {
      if (received >= receivedTarget && whenReceived != null) {
        Deferred<Void> d = whenReceived;
        whenReceived = null;
        notify.callFromThread(() -> d.callback(null));
      }
      if (ended >= endedTarget && whenEnded != null) {
        Deferred<Void> d = whenEnded;
        whenEnded = null;
        notify.callFromThread(() -> d.callback(null));
      }
    }
  }

  @Test
  @DeferredTimeout(120)
  void twoThousandDeclared99999ByteRequestsCostTheBytesReceivedPlusAFixedOverhead(
      Reactor reactor, AfterTest afterTest) {
    RunningReactor server = RunningReactor.start();
    Counting counting =
        new Counting(
            Policies.frameDeadline(
                TransformServerFactory.create(TransformService.standard()),
                server.reactor(),
                Duration.ofMinutes(5)),
            reactor);
    int port =
        server.call(
            () ->
                server
                    .reactor()
                    .listenTCP(0, counting, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                    .getHost()
                    .getPort());
    afterTest.await(
        Async.run(
                () -> {
                  // Warm up: the same load, once, so that classes and buffers exist before.
                  Async.await(load(reactor, server, counting, port, 200));
                  long before = Heap.usedAfterGc();
                  List<RawClient> clients = new ArrayList<>();
                  Deferred<Void> received = Deferred.create();
                  server.run(
                      () -> {
                        counting.receivedTarget = counting.received + (long) CONNECTIONS * 10;
                        counting.whenReceived = received;
                        counting.check();
                      });
                  for (int i = 0; i < CONNECTIONS; i++) {
                    clients.add(RawClient.connect(reactor, port, REQUEST));
                  }
                  for (RawClient c : clients) {
                    Async.await(c.connected);
                  }
                  Async.await(received);
                  long during = Heap.usedAfterGc();
                  long growth = during - before;
                  long bytesReceived = (long) CONNECTIONS * REQUEST.length;
                  double perConnection = (growth - bytesReceived) / (double) CONNECTIONS;
                  Deferred<Void> ended = Deferred.create();
                  server.run(
                      () -> {
                        counting.endedTarget = counting.ended + CONNECTIONS;
                        counting.whenEnded = ended;
                        counting.check();
                      });
                  for (RawClient c : clients) {
                    c.abort();
                    Async.await(c.ended);
                  }
                  Async.await(ended);
                  clients.clear();
                  long after = Heap.usedAfterGc();
                  System.out.printf(
                      "DeclaredLengthHeapTest: %d connections declaring 99,999 bytes, %d bytes"
                          + " received: heap +%d bytes (%.0f bytes per connection, both ends,"
                          + " beyond the bytes received); %+d bytes once they closed%n",
                      CONNECTIONS, bytesReceived, growth, perConnection, after - before);
                  assertThat(growth)
                      .as("heap growth with %d connections open", CONNECTIONS)
                      .isLessThanOrEqualTo(
                          bytesReceived + CONNECTIONS * MAX_OVERHEAD_PER_CONNECTION);
                  assertThat(after - before).as("released once closed").isLessThan(2 << 20);
                  return null;
                })
            .addBoth(
                outcome -> {
                  server.close();
                  return outcome.get();
                }));
  }

  /** Opens {@code n} connections that each send the request, then closes them. */
  private static Deferred<Void> load(
      Reactor reactor, RunningReactor server, Counting counting, int port, int n) {
    return Async.run(
        () -> {
          Deferred<Void> ended = Deferred.create();
          server.run(
              () -> {
                counting.endedTarget = counting.ended + n;
                counting.whenEnded = ended;
                counting.check();
              });
          List<RawClient> clients = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            clients.add(RawClient.connect(reactor, port, REQUEST));
          }
          for (RawClient c : clients) {
            Async.await(c.connected);
            c.abort();
            Async.await(c.ended);
          }
          Async.await(ended);
          return null;
        });
  }
}
