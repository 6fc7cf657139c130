package dev.braid.test;

import dev.braid.net.BaseProtocol;
import dev.braid.net.Protocol;
import java.io.ByteArrayOutputStream;

/** The in-memory pair's FakeTransport keeps the Transport contract. */
class FakeTransportContractTest extends TransportContract {
  @Override
  protected Harness connect(Protocol protocol) {
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
    return new Harness() {
      @Override
      public void settle() {
        pair.flush();
      }

      @Override
      public byte[] peerReceived() {
        return received.toByteArray();
      }
    };
  }
}
