package dev.braid.poetry;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Captures what the tests' SLF4J provider (slf4j-simple, which writes to whatever {@code
 * System.err} is at the time) logs while a test provokes warnings on purpose: the build's output
 * stays clean, and the test asserts the lines. Tests of this module run one at a time, so swapping
 * {@code System.err} is safe.
 *
 * <pre>{@code
 * try (LogCapture log = LogCapture.start()) {
 *   ... provoke the failure ...
 *   assertThat(log.lines()).anyMatch(line -> line.contains("Fetching the poem failed"));
 * }
 * }</pre>
 */
public final class LogCapture implements AutoCloseable {
  private final PrintStream previous;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

  private LogCapture() {
    previous = System.err;
    System.setErr(new PrintStream(bytes, true, StandardCharsets.UTF_8));
  }

  /**
   * Starts capturing standard error.
   *
   * @return the capture; close it to restore standard error
   */
  public static LogCapture start() {
    return new LogCapture();
  }

  /**
   * Returns what was logged so far.
   *
   * @return the lines
   */
  public List<String> lines() {
    synchronized (bytes) {
      return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }
  }

  @Override
  public void close() {
    System.setErr(previous);
  }
}
