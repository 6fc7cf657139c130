package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.Transport;
import dev.braid.reactor.SelectorReactor;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One real TCP connection over loopback for {@link TransportContract}: the local protocol on one
 * side, a recording peer on the other, on an ephemeral port; {@link #close()} closes all of it.
 *
 * <p>Threading: the reactor thread (the extension runs the tests there).
 */
final class Loopback {
  private final SelectorReactor reactor;
  private final boolean localIsClient;
  private ListeningPort port;
  private Connector connector;
  private Watched local;
  private Peer peer;

  private Loopback(SelectorReactor reactor, boolean localIsClient) {
    this.reactor = reactor;
    this.localIsClient = localIsClient;
  }

  /** The local protocol connects; the peer is accepted. */
  static Loopback localAsClient(SelectorReactor reactor) {
    return new Loopback(reactor, true);
  }

  /** The local protocol is accepted; the peer connects. */
  static Loopback localAsServer(SelectorReactor reactor) {
    return new Loopback(reactor, false);
  }

  Deferred<TransportContract.Harness> connect(Protocol protocol) {
    if (local != null) {
      throw new IllegalStateException("one connection per test");
    }
    local = new Watched(protocol);
    peer = new Peer();
    Protocol accepted = localIsClient ? peer : local;
    Protocol connecting = localIsClient ? local : peer;
    boolean[] served = {false};
    port =
        reactor.listenTCP(
            0,
            address -> {
              if (served[0]) {
                return null; // one connection only
              }
              served[0] = true;
              return accepted;
            },
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    Deferred<TransportContract.Harness> connected = Deferred.create();
    connector =
        reactor.connectTCP(
            "127.0.0.1",
            port.getHost().getPort(),
            new ClientFactory() {
              @Override
              public Protocol buildProtocol(InetSocketAddress address) {
                return connecting;
              }

              @Override
              public void clientConnectionFailed(Connector c, ConnectError reason) {
                connected.errback(reason);
              }
            },
            null,
            null);
    Peer p = peer;
    Deferreds.gatherResults(List.of(local.made, peer.made))
        .addCallback(
            both -> {
              connected.callback(
                  new TransportContract.Harness() {
                    @Override
                    public void settle() {}

                    @Override
                    public Deferred<byte[]> peerReceived(int count) {
                      return p.receivedAtLeast(count);
                    }
                  });
              return null;
            });
    return connected;
  }

  /**
   * Aborts whatever is still open and stops listening.
   *
   * @return fires once every connection made has been told {@code connectionLost} and the port is
   *     closed
   */
  Deferred<List<Object>> close() {
    List<Deferred<?>> closed = new ArrayList<>();
    if (local != null) {
      for (Watched side : List.of(local, peer)) {
        if (side.transport != null) {
          side.transport.abortConnection();
          closed.add(side.lost);
        }
      }
      if (local.transport == null) {
        connector.disconnect(); // the attempt never completed
      }
      closed.add(port.stopListening());
    }
    return Deferreds.gatherResults(closed);
  }

  /** A protocol wrapper that tells when the connection was made and lost. */
  private static class Watched implements Protocol {
    private final Protocol protocol;
    final Deferred<Void> made = Deferred.create();
    final Deferred<Void> lost = Deferred.create();
    Transport transport;

    Watched(Protocol protocol) {
      this.protocol = protocol;
    }

    @Override
    public void makeConnection(Transport t) {
      transport = t;
      protocol.makeConnection(t);
      made.callback(null);
    }

    @Override
    public void dataReceived(byte[] data) {
      protocol.dataReceived(data);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      protocol.connectionLost(reason);
      lost.callback(null);
    }
  }

  /** The far end: records every byte and tells when enough have come. */
  private static final class Peer extends Watched {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final List<Waiter> waiters = new ArrayList<>();
    private boolean ended;

    private record Waiter(int count, Deferred<byte[]> deferred) {}

    Peer() {
      super(new BaseProtocol() {});
    }

    @Override
    public void dataReceived(byte[] data) {
      received.writeBytes(data);
      wake();
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      ended = true;
      wake();
      super.connectionLost(reason);
    }

    Deferred<byte[]> receivedAtLeast(int count) {
      Deferred<byte[]> d = Deferred.create();
      waiters.add(new Waiter(count, d));
      wake();
      return d;
    }

    private void wake() {
      for (Waiter waiter : List.copyOf(waiters)) {
        if (ended || received.size() >= waiter.count()) {
          waiters.remove(waiter);
          waiter.deferred().callback(received.toByteArray());
        }
      }
    }
  }
}
