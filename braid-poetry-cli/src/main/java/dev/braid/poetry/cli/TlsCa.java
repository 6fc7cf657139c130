package dev.braid.poetry.cli;

import dev.braid.tls.TlsClientOptions;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The {@code --tls-ca} option of the commands that connect to {@code tls:} servers ({@code get},
 * {@code proxy}, {@code transform-proxy}): which roots a server's certificate must chain to.
 */
final class TlsCa {
  @Option(
      names = "--tls-ca",
      paramLabel = "FILE",
      description =
          "Trust the CA certificates of FILE (PEM) for tls:HOST:PORT servers (and https://"
              + " pages, for get), instead of the JDK's default roots: for servers whose"
              + " certificates a private CA issued. Either way the certificate must be valid for"
              + " HOST.")
  Path file;

  /**
   * The options for TLS clients that trust exactly the roots of {@code --tls-ca}, or null without
   * it (the JDK's roots).
   *
   * @throws IllegalArgumentException with a one-line message if the file holds no certificate or
   *     cannot be read
   */
  TlsClientOptions options() {
    if (file == null) {
      return null;
    }
    try {
      return TlsClientOptions.defaults().trustingPem(file);
    } catch (UncheckedIOException e) {
      throw new IllegalArgumentException("--tls-ca " + e.getMessage(), e);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--tls-ca " + e.getMessage(), e);
    }
  }
}
