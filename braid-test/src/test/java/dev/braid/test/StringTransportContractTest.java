package dev.braid.test;

import dev.braid.net.Protocol;

/** StringTransport.withDisconnection() keeps the Transport contract. */
class StringTransportContractTest extends TransportContract {
  @Override
  protected Harness connect(Protocol protocol) {
    StringTransport transport = StringTransport.withDisconnection();
    transport.connect(protocol);
    return new Harness() {
      @Override
      public void settle() {}

      @Override
      public byte[] peerReceived() {
        return transport.value();
      }
    };
  }
}
