package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine.TypeConversionException;

class ConvertersTest {
  @ParameterizedTest
  @CsvSource({
    "2h, PT2H",
    "30m, PT30M",
    "90s, PT1M30S",
    "1h30m, PT1H30M",
    "500ms, PT0.5S",
    "1d, PT24H",
    "7200, PT2H",
    "0.5, PT0.5S",
    "PT2H, PT2H",
    "pt15m, PT15M",
    "0, PT0S",
    "0s, PT0S"
  })
  void ttlsReadAsPeopleWriteThem(String text, String iso) {
    assertThat(new Converters.Ttl().convert(text)).isEqualTo(Duration.parse(iso));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "h", "2x", "-1h", "2h-", "forever", "PT-1H"})
  void badTtlsAreRefused(String text) {
    assertThatThrownBy(() -> new Converters.Ttl().convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessageStartingWith("invalid duration '" + text + "'");
  }

  @Test
  void secondsMayHaveDecimalsButNoSign() {
    assertThat(Converters.seconds("0")).isZero();
    assertThat(Converters.seconds("0.25")).isEqualTo(Duration.ofMillis(250));
    assertThat(Converters.seconds(".5")).isEqualTo(Duration.ofMillis(500));
    assertThatThrownBy(() -> Converters.seconds("-1")).isInstanceOf(TypeConversionException.class);
    assertThatThrownBy(() -> Converters.seconds("1e3")).isInstanceOf(TypeConversionException.class);
  }

  @ParameterizedTest
  @CsvSource({
    "1, 1",
    "100, 100",
    "500K, 512000",
    "64M, 67108864",
    "64m, 67108864",
    "64MiB, 67108864",
    "64 MB, 67108864",
    "1.5k, 1536",
    "1G, 1073741824",
    "2047M, 2146435072"
  })
  void poemSizesReadAsPeopleWriteThem(String text, long bytes) {
    assertThat(new Converters.PoemSize().convert(text)).isEqualTo(bytes);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "0", "0K", "-1", "64X", "M", "2G", "3G", "1e6", "0.5"})
  void badPoemSizesAreRefused(String text) {
    assertThatThrownBy(() -> new Converters.PoemSize().convert(text))
        .isInstanceOf(TypeConversionException.class)
        .hasMessage(
            "invalid size '"
                + text
                + "': expected bytes or a number with K, M or G (powers of 1024), e.g. 64M, from"
                + " 1 byte to 2 GiB");
  }

  @Test
  void listenPortsIncludeZero() {
    assertThat(new Converters.ListenPort().convert("0")).isZero();
    assertThat(new Converters.ListenPort().convert("65535")).isEqualTo(65535);
    assertThatThrownBy(() -> new Converters.ListenPort().convert("65536"))
        .hasMessage("invalid port '65536': the port must be a number from 0 to 65535");
  }
}
