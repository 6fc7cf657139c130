package dev.braid.tls;

import org.junit.jupiter.api.Tag;

/** The TLS transport keeps the Transport contract over real TCP, on the connecting side. */
@Tag("loopback")
class TlsTcpClientTransportContractTest extends TlsTcpTransportContract {
  TlsTcpClientTransportContractTest() {
    super(true);
  }
}
