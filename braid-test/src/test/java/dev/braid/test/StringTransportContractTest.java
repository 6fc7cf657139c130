package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.net.Protocol;

/** StringTransport.withDisconnection() keeps the Transport contract. */
class StringTransportContractTest extends TransportContract {
  @Override
  protected Deferred<Harness> connect(Protocol protocol) {
    StringTransport transport = StringTransport.withDisconnection();
    transport.connect(protocol);
    return Deferred.succeed(
        new Harness() {
          @Override
          public void settle() {}

          @Override
          public Deferred<byte[]> peerReceived(int count) {
            return Deferred.succeed(transport.value());
          }
        });
  }
}
