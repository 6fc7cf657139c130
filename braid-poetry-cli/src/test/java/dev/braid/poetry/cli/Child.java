package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A command run as a process of its own: {@code poetry} itself ({@link #poetry}, the CLI's {@code
 * Main} on the test class path, as {@code bin/poetry} runs it) or any command. Its standard output
 * and error are read by two threads, kept whole (the output as raw bytes) and handed out line by
 * line for banners and log lines. {@link #close()} ends it (SIGTERM, then SIGKILL if it lingers)
 * and joins the reader threads.
 */
final class Child implements AutoCloseable {
  static final long TIMEOUT_SECONDS = 60;

  private final Process process;
  private final Stream out;
  private final Stream err;
  private final List<Thread> readers = new ArrayList<>();

  private Child(Process process, String name) {
    this.process = process;
    this.out = new Stream();
    this.err = new Stream();
    readers.add(out.readFrom(process.getInputStream(), name + "-out"));
    readers.add(err.readFrom(process.getErrorStream(), name + "-err"));
  }

  /** Runs {@code poetry ARGS} in a new JVM with {@code jvmOptions} (e.g. {@code -Xmx32m}). */
  static Child poetry(List<String> jvmOptions, String... args) {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(TestEnv.childJvmOptions());
    command.addAll(jvmOptions);
    command.add("-Dbraid.poetry.terminal=false");
    command.add("-cp");
    command.add(TestEnv.commandLineClassPath());
    command.add("dev.braid.poetry.cli.Main");
    command.addAll(List.of(args));
    return start(command, Map.of(), null);
  }

  /** Runs {@code poetry ARGS} in a new JVM with default options. */
  static Child poetry(String... args) {
    return poetry(List.of(), args);
  }

  /** Runs {@code command} with {@code env} added to this process's environment, in {@code dir}. */
  static Child start(List<String> command, Map<String, String> env, Path dir) {
    ProcessBuilder pb = new ProcessBuilder(command);
    pb.environment().putAll(env);
    if (dir != null) {
      pb.directory(dir.toFile());
    }
    try {
      return new Child(pb.start(), "child-" + Path.of(command.get(0)).getFileName());
    } catch (IOException e) {
      throw new AssertionError("cannot start " + command, e);
    }
  }

  /** {@return the process's id} */
  long pid() {
    return process.pid();
  }

  /** Waits for the process to exit by itself and returns its status. */
  int waitFor() {
    try {
      assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .as("exited within %d s (stderr: %s)", TIMEOUT_SECONDS, errText())
          .isTrue();
      for (Thread t : readers) {
        t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** Everything written to standard output so far, as bytes. */
  byte[] outBytes() {
    return out.bytes();
  }

  /** Everything written to standard output so far, as UTF-8 text. */
  String outText() {
    return new String(out.bytes(), StandardCharsets.UTF_8);
  }

  /** Everything written to standard error so far, as UTF-8 text. */
  String errText() {
    return new String(err.bytes(), StandardCharsets.UTF_8);
  }

  /** The next line of standard output, waiting for it; fails if none comes. */
  String nextOutLine() {
    String line = out.nextLine();
    assertThat(line).as("a line on standard output (stderr: %s)", errText()).isNotNull();
    return line;
  }

  /** The next line of standard error, waiting for it; fails if none comes. */
  String nextErrLine() {
    String line = err.nextLine();
    assertThat(line).as("a line on standard error (stdout: %s)", outText()).isNotNull();
    return line;
  }

  /** {@link #stop()}s the process. */
  @Override
  public void close() {
    stop();
  }

  /**
   * Stops the process (SIGTERM, then SIGKILL after the timeout) and joins the readers, so that
   * everything it wrote has been read. Does nothing more once it has exited.
   */
  void stop() {
    // SIGTERM through the process handle: Process.destroy() would also close the pipes, and what
    // the process wrote that the readers had not read yet (a log line just before a test stops
    // it) would be lost.
    process.toHandle().destroy();
    try {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      for (Thread t : readers) {
        t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      }
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  /** One of the process's output streams, kept as bytes and as lines. */
  private static final class Stream {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Thread readFrom(InputStream in, String name) {
      return Thread.ofPlatform()
          .name(name)
          .daemon()
          .start(
              () -> {
                byte[] buffer = new byte[8192];
                try (in) {
                  for (int n; (n = in.read(buffer)) >= 0; ) {
                    append(buffer, n);
                  }
                } catch (IOException e) {
                  // the process ended; what it wrote is kept
                }
              });
    }

    private synchronized void append(byte[] buffer, int n) {
      bytes.write(buffer, 0, n);
      for (int i = 0; i < n; i++) {
        if (buffer[i] == '\n') {
          lines.add(line.toString(StandardCharsets.UTF_8));
          line.reset();
        } else {
          line.write(buffer[i]);
        }
      }
    }

    synchronized byte[] bytes() {
      return bytes.toByteArray();
    }

    String nextLine() {
      try {
        return lines.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
