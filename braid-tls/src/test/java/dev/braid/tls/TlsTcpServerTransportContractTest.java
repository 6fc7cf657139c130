package dev.braid.tls;

import org.junit.jupiter.api.Tag;

/** The TLS transport keeps the Transport contract over real TCP, on the accepting side. */
@Tag("loopback")
class TlsTcpServerTransportContractTest extends TlsTcpTransportContract {
  TlsTcpServerTransportContractTest() {
    super(false);
  }
}
