package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.test.RunningReactor;
import java.util.Locale;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The build runs the real-socket tests twice, on the native transport and on {@code java.nio} (ADR
 * 0090): this checks that each run is on the transport it means, so that a run which lost its
 * native access (a dropped {@code --enable-native-access}) fails instead of testing {@code
 * java.nio} twice.
 */
@Tag("loopback")
class TransportUnderTestTest {
  private static IoBackend expected() {
    String asked = System.getProperty(IoBackend.PROPERTY);
    if (asked != null) {
      return IoBackend.parse(asked);
    }
    String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
    boolean supported = os.startsWith("linux") && (arch.equals("amd64") || arch.equals("aarch64"));
    return supported ? IoBackend.NATIVE : IoBackend.NIO;
  }

  @Test
  void reactorsRunOnTheTransportTheBuildAskedFor() {
    assertThat(SelectorReactor.create().ioBackend()).isEqualTo(expected());
    try (RunningReactor r = RunningReactor.start()) {
      assertThat(r.reactor().ioBackend()).isEqualTo(expected());
      assertThat(r.reactor().toString()).endsWith(", " + expected().cliName() + "}");
    }
  }
}
