package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code poetry get}, run as a process of its own, prints the bytes the servers sent: a Latin-1
 * poem comes out byte for byte (it used to be decoded as UTF-8 and come out with U+FFFD), alone
 * with nothing added, and among other poems unchanged between the separators.
 */
@Tag("loopback")
class GetBytesProcessTest {
  static final byte[] LATIN1 =
      "Die Uhr schlägt zwölf; au café, à minuit\nLà-bas, l'été"
          .getBytes(StandardCharsets.ISO_8859_1);
  static final byte[] UTF8 = "Là-bas, l'été\n".getBytes(StandardCharsets.UTF_8);

  RunningReactor servers;

  int serve(byte[] poem) {
    return servers.call(
        () ->
            servers
                .reactor()
                .listenTCP(
                    0,
                    PoetryServerFactory.create(
                        PoetryService.of(poem, Pacing.atOnce()), servers.reactor()),
                    ReactorTcp.DEFAULT_BACKLOG,
                    "127.0.0.1")
                .getHost()
                .getPort());
  }

  @BeforeEach
  void start() {
    servers = RunningReactor.start();
  }

  @AfterEach
  void stop() {
    servers.close();
  }

  @Test
  void oneLatin1PoemIsPrintedByteForByte() {
    try (Child get = Child.poetry("get", String.valueOf(serve(LATIN1)))) {
      assertThat(get.waitFor()).as("stderr: %s", get.errText()).isZero();
      assertThat(get.outBytes()).isEqualTo(LATIN1);
      assertThat(get.errText()).isEmpty();
    }
  }

  @Test
  void severalPoemsKeepTheirBytesBetweenTheSeparators() {
    int latin1 = serve(LATIN1);
    int utf8 = serve(UTF8);
    try (Child get = Child.poetry("get", "" + latin1, "" + utf8)) {
      assertThat(get.waitFor()).as("stderr: %s", get.errText()).isZero();
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      expected.writeBytes(LATIN1);
      expected.write('\n'); // ends the poem that has no final newline
      expected.write('\n'); // the blank line between two poems
      expected.writeBytes(UTF8);
      assertThat(get.outBytes()).isEqualTo(expected.toByteArray());
    }
  }
}
