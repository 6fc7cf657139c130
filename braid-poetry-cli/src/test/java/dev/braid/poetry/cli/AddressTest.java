package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AddressTest {
  @Test
  void aBarePortMeansLocalhost() {
    assertThat(Address.parse("10000", false)).isEqualTo(new Address("127.0.0.1", 10000));
  }

  @Test
  void hostAndPort() {
    assertThat(Address.parse("example.org:10001", false))
        .isEqualTo(new Address("example.org", 10001));
    assertThat(Address.parse("[::1]:10002", false)).isEqualTo(new Address("::1", 10002));
    assertThat(Address.parse("[::1]:10002", false)).hasToString("[::1]:10002");
    assertThat(Address.parse("localhost:1", false)).hasToString("localhost:1");
  }

  @Test
  void portZeroOnlyForListening() {
    assertThat(Address.parse("0", true).port()).isZero();
    assertThatThrownBy(() -> Address.parse("0", false))
        .hasMessage("invalid address '0': the port must be a number from 1 to 65535");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "x", "host:", ":1", "1:2:3", "65536", "-1", "+5", "[::1]", "[::1]10", "a b:1", "1.5"
      })
  void malformedAddressesAreRefusedWithAOneLineReason(String text) {
    assertThatThrownBy(() -> Address.parse(text, false))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("invalid address '" + text + "': ")
        .hasMessageNotContaining("\n");
  }
}
