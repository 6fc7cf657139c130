package dev.braid.tls;

import dev.braid.defer.Deferred;
import dev.braid.net.Protocol;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.AfterTest;
import dev.braid.test.TransportContract;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The TLS transport keeps the Transport contract over real TCP: the contract's protocol on the
 * connecting side or on the accepting side, as the subclass says.
 */
abstract class TlsTcpTransportContract extends TransportContract {
  private final boolean protocolConnects;
  private TlsLoopback loopback;

  TlsTcpTransportContract(boolean protocolConnects) {
    this.protocolConnects = protocolConnects;
  }

  @BeforeEach
  void startTheReactor(SelectorReactor reactor) {
    loopback = new TlsLoopback(reactor, protocolConnects);
  }

  @AfterEach
  void closeEverything(AfterTest afterTest) {
    afterTest.await(loopback.close());
  }

  @Override
  protected Deferred<Harness> connect(Protocol protocol) {
    return loopback
        .connect(protocol)
        .addCallback(
            connected ->
                new Harness() {
                  @Override
                  public void settle() {}

                  @Override
                  public Deferred<byte[]> peerReceived(int count) {
                    return connected.peerReceived(count);
                  }
                });
  }
}
