package dev.braid.test;

import dev.braid.defer.Deferred;
import dev.braid.net.Protocol;
import dev.braid.reactor.SelectorReactor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/**
 * The real TCP transport keeps the Transport contract on the connecting side: a real reactor,
 * loopback, an ephemeral port. The tests run on the reactor thread.
 */
@Tag("loopback")
class TcpClientTransportContractTest extends TransportContract {
  private Loopback loopback;

  @BeforeEach
  void startTheReactor(SelectorReactor reactor) {
    loopback = Loopback.localAsClient(reactor);
  }

  @AfterEach
  void closeEverything(AfterTest afterTest) {
    afterTest.await(loopback.close());
  }

  @Override
  protected Deferred<Harness> connect(Protocol protocol) {
    return loopback.connect(protocol);
  }
}
