package dev.braid.tls;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
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
 * One TLS connection over real TCP on loopback for the transport contract: the local protocol on
 * one side, a recording peer on the other; {@link #close()} closes all of it. Reactor thread only.
 */
final class TlsLoopback {
  private final SelectorReactor reactor;
  private final boolean localIsClient;
  private ListeningPort port;
  private Connector connector;
  private Watched local;
  private Watched peer;
  private final ByteArrayOutputStream received = new ByteArrayOutputStream();
  private final List<Deferred<byte[]>> waiting = new ArrayList<>();
  private final List<Integer> waitingFor = new ArrayList<>();
  private boolean peerEnded;

  TlsLoopback(SelectorReactor reactor, boolean localIsClient) {
    this.reactor = reactor;
    this.localIsClient = localIsClient;
  }

  /** Fires with this loopback once both ends are connected (after the handshake). */
  Deferred<TlsLoopback> connect(Protocol protocol) {
    local = new Watched(protocol, false);
    peer = new Watched(null, true);
    Protocol accepted = localIsClient ? peer : local;
    Protocol connecting = localIsClient ? local : peer;
    boolean[] served = {false};
    port =
        reactor.listenTCP(
            0,
            Tls.serverFactory(
                reactor,
                Certs.server(),
                address -> {
                  if (served[0]) {
                    return null;
                  }
                  served[0] = true;
                  return accepted;
                }),
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    Deferred<TlsLoopback> connected = Deferred.create();
    connector =
        reactor.connectTCP(
            "127.0.0.1",
            port.getHost().getPort(),
            Tls.clientFactory(
                reactor,
                Certs.client(),
                new ClientFactory() {
                  @Override
                  public Protocol buildProtocol(InetSocketAddress address) {
                    return connecting;
                  }

                  @Override
                  public void clientConnectionFailed(Connector c, ConnectError reason) {
                    connected.errback(reason);
                  }
                }),
            null,
            null);
    Deferreds.gatherResults(List.of(local.made, peer.made))
        .addCallback(
            both -> {
              connected.callback(this);
              return null;
            });
    return connected;
  }

  /** Every byte the peer received, once it has {@code count} or its connection has ended. */
  Deferred<byte[]> peerReceived(int count) {
    if (received.size() >= count || peerEnded) {
      return Deferred.succeed(received.toByteArray());
    }
    Deferred<byte[]> d = Deferred.create();
    waiting.add(d);
    waitingFor.add(count);
    return d;
  }

  private void peerGot(byte[] data) {
    received.writeBytes(data);
    release();
  }

  private void release() {
    for (int i = waiting.size() - 1; i >= 0; i--) {
      if (received.size() >= waitingFor.get(i) || peerEnded) {
        waitingFor.remove(i);
        waiting.remove(i).callback(received.toByteArray());
      }
    }
  }

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
        connector.disconnect();
      }
      closed.add(port.stopListening());
    }
    return Deferreds.gatherResults(closed);
  }

  /** Tells when the connection was made and lost; the peer records what it receives. */
  private final class Watched implements Protocol {
    private final Protocol protocol;
    private final boolean isPeer;
    final Deferred<Void> made = Deferred.create();
    final Deferred<Void> lost = Deferred.create();
    Transport transport;

    Watched(Protocol protocol, boolean isPeer) {
      this.protocol = protocol;
      this.isPeer = isPeer;
    }

    @Override
    public void makeConnection(Transport t) {
      transport = t;
      if (protocol != null) {
        protocol.makeConnection(t);
      }
      made.callback(null);
    }

    @Override
    public void dataReceived(byte[] data) {
      if (isPeer) {
        peerGot(data);
      } else {
        protocol.dataReceived(data);
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      if (protocol != null) {
        protocol.connectionLost(reason);
      }
      if (isPeer) {
        peerEnded = true;
        release();
      }
      lost.callback(null);
    }
  }
}
