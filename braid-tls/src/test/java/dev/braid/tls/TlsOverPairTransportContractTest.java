package dev.braid.tls;

import dev.braid.defer.Deferred;
import dev.braid.defer.VirtualClock;
import dev.braid.net.Protocol;
import dev.braid.test.ConnectedPair;
import dev.braid.test.TransportContract;

/** The TLS transport keeps the Transport contract over the in-memory pair. */
class TlsOverPairTransportContractTest extends TransportContract {
  @Override
  protected Deferred<Harness> connect(Protocol protocol) {
    VirtualClock clock = VirtualClock.create();
    Peer peer = new Peer();
    ConnectedPair<TlsProtocol, TlsProtocol> pair =
        ConnectedPair.builder()
            .clock(clock)
            .connect(
                Tls.server(clock, Certs.server(), peer),
                Tls.client(clock, Certs.client(), protocol));
    pair.flush();
    return Deferred.succeed(
        new Harness() {
          @Override
          public void settle() {
            pair.flush();
          }

          @Override
          public Deferred<byte[]> peerReceived(int count) {
            return Deferred.succeed(peer.received.toByteArray());
          }
        });
  }
}
