package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.net.BaseProtocol;
import dev.braid.net.Protocol;
import java.io.ByteArrayOutputStream;

/** The in-memory pair's FakeTransport keeps the Transport contract. */
class FakeTransportContractTest extends TransportContract {
  @Override
  protected Deferred<Harness> connect(Protocol protocol) {
    ByteArrayOutputStream received = new ByteArrayOutputStream();
    ConnectedPair<Protocol, BaseProtocol> pair =
        ConnectedPair.connect(
            protocol,
            new BaseProtocol() {
              @Override
              public void dataReceived(byte[] data) {
                received.writeBytes(data);
              }
            });
    return Deferred.succeed(
        new Harness() {
          @Override
          public void settle() {
            pair.flush();
          }

          @Override
          public Deferred<byte[]> peerReceived(int count) {
            return Deferred.succeed(received.toByteArray());
          }
        });
  }
}
