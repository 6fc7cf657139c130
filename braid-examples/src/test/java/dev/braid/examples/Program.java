package dev.braid.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;

/**
 * An example program in a process of its own, started as a reader starts it: {@code bin/example
 * NAME ARGS...}, on the module path. The child gets this JVM's JDK ({@code JAVA_HOME}, which {@code
 * bin/find-jdk} takes first) and JVM options for a quick start. Its standard output and error are
 * read by two threads; every wait is bounded. {@link #close()} kills the process if it still runs
 * and joins the readers.
 */
final class Program implements AutoCloseable {
  /** The longest any wait may take. */
  static final long TIMEOUT_SECONDS = 60;

  /** The launcher, from the module's directory (where Maven runs the tests). */
  static final Path BIN_EXAMPLE = Path.of("../bin/example");

  private final String name;
  private final Process process;
  private final Output out = new Output();
  private final Output err = new Output();
  private final Thread outReader;
  private final Thread errReader;

  private Program(String name, Process process) {
    this.name = name;
    this.process = process;
    outReader = out.readFrom(process.getInputStream(), name + "-out");
    errReader = err.readFrom(process.getErrorStream(), name + "-err");
  }

  /** Starts {@code bin/example NAME ARGS...}. */
  static Program start(String name, String... args) throws IOException {
    List<String> arguments = new ArrayList<>();
    arguments.add(name);
    arguments.addAll(List.of(args));
    return launch(name, arguments);
  }

  /** Runs {@code bin/example ARGUMENTS...} to its end: any arguments, none included. */
  static Program runWithArguments(String... arguments) throws IOException {
    Program program = launch("bin/example", List.of(arguments));
    program.awaitExit();
    return program;
  }

  private static Program launch(String name, List<String> arguments) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(BIN_EXAMPLE.toAbsolutePath().normalize().toString());
    command.addAll(arguments);
    ProcessBuilder builder = new ProcessBuilder(command);
    Map<String, String> env = builder.environment();
    env.put("JAVA_HOME", System.getProperty("java.home"));
    env.put("EXAMPLE_JAVA_OPTS", "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xshare:auto");
    builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
    return new Program(name, builder.start());
  }

  /** Runs {@code bin/example NAME ARGS...} to its end. */
  static Program run(String name, String... args) throws IOException {
    Program program = start(name, args);
    program.awaitExit();
    return program;
  }

  /** Waits until standard output so far matches, and returns it. */
  String awaitOut(Predicate<String> match) {
    return out.await(match, () -> process.isAlive() || outReader.isAlive(), this);
  }

  /** Sends SIGTERM, as {@code kill PID} does ({@code bin/example} execs the JVM). */
  void terminate() {
    assertThat(process.toHandle().destroy()).as("SIGTERM sent to %s", name).isTrue();
  }

  /** Waits for the process to exit and its output to be read, and returns its exit status. */
  int awaitExit() {
    try {
      assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .as("%s exited; stdout: %s; stderr: %s", name, out(), err())
          .isTrue();
      outReader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      errReader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** {@return the exit status; the process has exited} */
  int status() {
    return process.exitValue();
  }

  /** {@return standard output so far} */
  String out() {
    return out.text();
  }

  /** {@return standard error so far} */
  String err() {
    return err.text();
  }

  @Override
  public String toString() {
    return name + " (stdout: " + out() + "; stderr: " + err() + ")";
  }

  @Override
  public void close() {
    try {
      if (process.isAlive()) {
        process.destroyForcibly();
        process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      }
      outReader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      errReader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** One stream's bytes so far, UTF-8; waiters are woken on each read. */
  private static final class Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(); // guarded by this

    Thread readFrom(InputStream stream, String threadName) {
      return Thread.ofPlatform()
          .name(threadName)
          .start(
              () -> {
                byte[] buffer = new byte[8192];
                try (stream) {
                  for (int n; (n = stream.read(buffer)) >= 0; ) {
                    synchronized (this) {
                      bytes.write(buffer, 0, n);
                      notifyAll();
                    }
                  }
                } catch (IOException e) {
                  synchronized (this) {
                    bytes.writeBytes(
                        ("(reading failed: " + e + ")").getBytes(StandardCharsets.UTF_8));
                  }
                } finally {
                  synchronized (this) {
                    notifyAll();
                  }
                }
              });
    }

    synchronized String text() {
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized String await(Predicate<String> match, BooleanSupplier alive, Program program) {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (true) {
        String text = text();
        if (match.test(text)) {
          return text;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || !alive.getAsBoolean()) {
          throw new AssertionError("no such output from " + program);
        }
        try {
          wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 100_000_000L))));
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }
}
