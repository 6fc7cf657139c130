package dev.braid.poetry.cli;

import dev.braid.defer.Clock;
import dev.braid.net.Factory;
import dev.braid.protocols.Policies;
import java.time.Duration;
import picocli.CommandLine.Option;

/** The option of the netstring servers: how long one request may take to arrive. */
final class FrameTimeout {
  @Option(
      names = "--frame-timeout",
      paramLabel = "SECONDS",
      defaultValue = "30",
      converter = Converters.PositiveSeconds.class,
      description =
          "Reset a connection whose request has not arrived whole SECONDS after its first byte"
              + " (default: ${DEFAULT-VALUE}): the defence against clients that send a byte now"
              + " and then to hold the connection (slowloris), which an idle timeout cannot see.")
  Duration frameTimeout;

  /** Wraps a netstring server's factory with the frame deadline. */
  Factory guard(Factory factory, Clock clock) {
    return Policies.frameDeadline(factory, clock, frameTimeout);
  }
}
