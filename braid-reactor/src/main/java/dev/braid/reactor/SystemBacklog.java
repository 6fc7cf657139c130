package dev.braid.reactor;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The system's maximum accept backlog, read once as Netty's {@code NetUtil.SOMAXCONN} does: {@code
 * /proc/sys/net/core/somaxconn} where it exists, otherwise 200 on Windows, 128 on macOS and 4096
 * elsewhere (Linux's default since 5.4). Java's own default (50) is far too small for hundreds of
 * clients arriving at once.
 */
final class SystemBacklog {
  private static final Path SOMAXCONN = Path.of("/proc/sys/net/core/somaxconn");
  static final int VALUE = read();

  private SystemBacklog() {}

  private static int read() {
    try {
      if (Files.isReadable(SOMAXCONN)) {
        // Read a line, as Netty does. Files.readString returns only "4" of "4096" on some kernels:
        // the file reports size 0, and the JDK's second read, at offset 1, sees end of file.
        try (BufferedReader in = Files.newBufferedReader(SOMAXCONN, StandardCharsets.US_ASCII)) {
          String line = in.readLine();
          int value = line == null ? 0 : Integer.parseInt(line.trim());
          if (value > 0) {
            return value;
          }
        }
      }
    } catch (IOException | NumberFormatException | SecurityException e) {
      // fall through to the platform default
    }
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    if (os.contains("win")) {
      return 200;
    }
    if (os.contains("mac") || os.contains("darwin")) {
      return 128;
    }
    return 4096;
  }
}
