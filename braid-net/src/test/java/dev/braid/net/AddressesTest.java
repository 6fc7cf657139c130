package dev.braid.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Addresses as people write them, without DNS. */
class AddressesTest {

  @Test
  void anIpv4AddressIsItsDottedQuadAndPort() throws UnknownHostException {
    InetSocketAddress address =
        new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 10000);
    assertThat(Addresses.describe(address)).isEqualTo("127.0.0.1:10000");
  }

  @Test
  void anIpv6AddressGoesInBrackets() throws UnknownHostException {
    InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("::1"), 10000);
    assertThat(Addresses.describe(address)).isEqualTo("[0:0:0:0:0:0:0:1]:10000");
  }

  @Test
  void aResolvedAddressIsWrittenWithItsIpNotItsName() throws UnknownHostException {
    InetSocketAddress address =
        new InetSocketAddress(
            InetAddress.getByAddress("poetry.example", new byte[] {(byte) 192, 0, 2, 1}), 80);
    assertThat(Addresses.describe(address)).isEqualTo("192.0.2.1:80");
  }

  @Test
  void anUnresolvedAddressIsWrittenWithItsHostNameAndNeverLookedUp() {
    assertThat(Addresses.describe(InetSocketAddress.createUnresolved("poetry.example", 10000)))
        .isEqualTo("poetry.example:10000");
  }

  @Test
  void noAddressIsAQuestionMark() {
    assertThat(Addresses.describe(null)).isEqualTo("?");
  }

  @Test
  void hostPortBracketsAnIpv6LiteralOnce() {
    assertThat(Addresses.hostPort("127.0.0.1", 80)).isEqualTo("127.0.0.1:80");
    assertThat(Addresses.hostPort("poetry.example", 10000)).isEqualTo("poetry.example:10000");
    assertThat(Addresses.hostPort("::1", 80)).isEqualTo("[::1]:80");
    assertThat(Addresses.hostPort("[::1]", 80)).isEqualTo("[::1]:80");
    assertThat(Addresses.hostPort("fe80::1%eth0", 80)).isEqualTo("[fe80::1%eth0]:80");
    assertThat(Addresses.hostPort("*", 0)).isEqualTo("*:0");
  }
}
