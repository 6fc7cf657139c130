package dev.braid.poetry.cli;

import java.net.Inet6Address;
import java.net.InetSocketAddress;
import picocli.CommandLine.Option;

/** The options of every server: where to listen. */
final class Listen {
  @Option(
      names = "--port",
      paramLabel = "P",
      defaultValue = "0",
      converter = Converters.ListenPort.class,
      description = "The port to listen on; 0 (the default) picks a free one.")
  int port;

  @Option(
      names = "--iface",
      paramLabel = "HOST",
      defaultValue = "127.0.0.1",
      description = "The interface to listen on (default: ${DEFAULT-VALUE}); 0.0.0.0 for all.")
  String iface;

  /** Describes a bound address as HOST:PORT, an IPv6 host in brackets. */
  static String describe(InetSocketAddress bound) {
    String host =
        bound.getAddress() != null ? bound.getAddress().getHostAddress() : bound.getHostString();
    return bound.getAddress() instanceof Inet6Address
        ? "[" + host + "]:" + bound.getPort()
        : host + ":" + bound.getPort();
  }
}
