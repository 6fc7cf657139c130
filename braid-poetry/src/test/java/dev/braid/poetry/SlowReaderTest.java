package dev.braid.poetry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.net.Factory;
import dev.braid.net.Protocol;
import dev.braid.net.Reactor;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.RawClient;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import dev.braid.test.DeferredTimeout;
import dev.braid.test.RunningReactor;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Reliability item 5 (docs/reliability.md): 100 clients that never read a 10 MiB poem. The poetry
 * server writes it through a producer, which the transport pauses at its high-water mark, so the
 * heap holds at most about the high-water mark plus one piece per client, not the poem; and that is
 * freed when the clients go. (What the kernel's socket buffers absorb is not heap, and is reported
 * beside.)
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class SlowReaderTest {
  static final int CLIENTS = 100;
  static final int POEM_BYTES = 10 * 1024 * 1024;

  /** The reactor's high-water mark (64 KiB) and one piece of the producer, per client, at most. */
  static final long MAX_HELD_PER_CLIENT = 64 * 1024 + PoemStreamer.PIECE + 16 * 1024;

  static byte[] bigPoem() {
    byte[] poem = new byte[POEM_BYTES];
    for (int i = 0; i < poem.length; i++) {
      poem[i] = (byte) (i % 80 == 79 ? '\n' : 'a' + i % 26);
    }
    return poem;
  }

  /** Keeps the server protocols it builds, to read how much each has handed to its transport. */
  static final class Keeping implements Factory {
    final Factory inner;
    final List<PoetryServerProtocol> protocols = new ArrayList<>();

    Keeping(Factory inner) {
      this.inner = inner;
    }

    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      PoetryServerProtocol p = (PoetryServerProtocol) inner.buildProtocol(address);
      protocols.add(p);
      return p;
    }

    long sent() {
      long total = 0;
      for (PoetryServerProtocol p : protocols) {
        total += p.sent();
      }
      return total;
    }

    long connected() {
      return protocols.stream().filter(PoetryServerProtocol::isConnected).count();
    }
  }

  @Test
  @DeferredTimeout(120)
  void clientsThatNeverReadHoldAtMostTheWatermarksAndFreeItWhenTheyGo(
      Reactor reactor, AfterTest afterTest) {
    byte[] poem = bigPoem();
    RunningReactor server = RunningReactor.start();
    Keeping keeping =
        new Keeping(
            PoetryServerFactory.create(PoetryService.of(poem, Pacing.atOnce()), server.reactor()));
    int port =
        server.call(
            () ->
                server
                    .reactor()
                    .listenTCP(0, keeping, ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1")
                    .getHost()
                    .getPort());
    // A client that reads gets the whole poem (and warms the server up); the chain drops it.
    Deferred<Void> warmedUp =
        PoetryClient.fetch(reactor, "127.0.0.1", port, null)
            .addCallback(
                got -> {
                  assertThat(got).isEqualTo(poem);
                  return null;
                });
    afterTest.await(
        warmedUp
            // From the next turn of the loop, not inside the warm-up client's connectionLost,
            // whose stack still holds the poem it received.
            .addCallbackDeferred(warm -> Deferreds.deferLater(reactor, 0, () -> null))
            .addCallbackDeferred(
                warm ->
                    Async.run(
                        () -> {
                          server.run(keeping.protocols::clear);
                          // One more turn of the loop: the warm-up's last references (20 MiB: the
                          // poem it received)
                          // are gone only after it.
                          Async.await(Deferreds.deferLater(reactor, 0.05, () -> null));
                          long before = Heap.usedAfterGc();
                          List<RawClient> clients = new ArrayList<>();
                          for (int i = 0; i < CLIENTS; i++) {
                            RawClient c = RawClient.connect(reactor, port, new byte[0]);
                            clients.add(c);
                            c.connected.addCallback(
                                x -> {
                                  c.stopReading();
                                  return null;
                                });
                          }
                          for (RawClient c : clients) {
                            Async.await(c.connected);
                          }
                          // Wait until the server is stuck: every client connected, nothing more
                          // sent.
                          long last = -1;
                          int still = 0;
                          for (int polls = 0; still < 5; polls++) {
                            assertThat(polls).as("the server never settles").isLessThan(2000);
                            Async.await(Deferreds.deferLater(reactor, 0.02, () -> null));
                            long sent = server.call(keeping::sent);
                            boolean all = server.call(keeping::connected) == CLIENTS;
                            still = all && sent == last ? still + 1 : 0;
                            last = sent;
                          }
                          long during = Heap.usedAfterGc();
                          long sentPerClient = last / CLIENTS;
                          for (RawClient c : clients) {
                            assertThat(c.ended.isCalled()).isFalse();
                            c.abort();
                            Async.await(c.ended);
                          }
                          while (server.call(keeping::connected) > 0) {
                            Async.await(Deferreds.deferLater(reactor, 0.01, () -> null));
                          }
                          server.run(keeping.protocols::clear);
                          clients.clear();
                          long after = Heap.usedAfterGc();
                          long growth = during - before;
                          System.out.printf(
                              "SlowReaderTest: %d clients not reading a %d-byte poem held %d bytes"
                                  + " (%d per client; bound %d); each was handed %d bytes (the rest of"
                                  + " what went out sits in the kernel's socket buffers); %+d bytes once"
                                  + " they went (from before they came)%n",
                              CLIENTS,
                              POEM_BYTES,
                              growth,
                              growth / CLIENTS,
                              MAX_HELD_PER_CLIENT,
                              sentPerClient,
                              after - before);
                          assertThat(sentPerClient)
                              .as("no client got the whole poem")
                              .isLessThan(POEM_BYTES);
                          assertThat(growth).isLessThanOrEqualTo(CLIENTS * MAX_HELD_PER_CLIENT);
                          assertThat(after - before).as("freed when they go").isLessThan(2 << 20);
                          return null;
                        }))
            .addBoth(
                outcome -> {
                  server.close();
                  return outcome.get();
                }));
  }
}
