package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The {@code poetry} command in a process of its own ({@link Main}, on this JVM's class path), for
 * tests that need what only a process has: a real SIGTERM, and an exit status. Standard output and
 * error are read by two threads into lines that the test can wait for; every wait is bounded.
 * {@link #close()} kills the process if it still runs and joins the readers.
 */
final class PoetryProcess implements AutoCloseable {
  /** The longest any wait may take. */
  static final long TIMEOUT_SECONDS = 60;

  private final String name;
  private final Process process;
  private final List<String> out = new ArrayList<>();
  private final List<String> err = new ArrayList<>();
  private final Thread outReader;
  private final Thread errReader;

  private PoetryProcess(String name, Process process) {
    this.name = name;
    this.process = process;
    outReader = reader(process.getInputStream(), out, name + "-out");
    errReader = reader(process.getErrorStream(), err, name + "-err");
  }

  /**
   * Starts {@code poetry ARGS...}.
   *
   * @param jvmOptions system properties and the like, before the main class
   * @param args the command line
   * @return the running process
   */
  static PoetryProcess start(List<String> jvmOptions, String... args) throws IOException {
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command = new ArrayList<>();
    command.add(java);
    // A small, quickly started JVM: these processes serve a few connections.
    command.addAll(List.of("-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    command.addAll(jvmOptions);
    command.addAll(List.of("-cp", TestEnv.commandLineClassPath()));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    String name = "poetry-" + args[0];
    return new PoetryProcess(name, new ProcessBuilder(command).start());
  }

  /**
   * Starts {@code poetry ARGS...} with no extra JVM options.
   *
   * @param args the command line
   * @return the running process
   */
  static PoetryProcess start(String... args) throws IOException {
    return start(List.of(), args);
  }

  private static Thread reader(InputStream stream, List<String> lines, String threadName) {
    return Thread.ofPlatform()
        .name(threadName)
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                  synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                  }
                }
              } catch (IOException e) {
                synchronized (lines) {
                  lines.add("(reading failed: " + e + ")");
                  lines.notifyAll();
                }
              }
            });
  }

  /** Waits for a server's banner and returns the port it names first. */
  int port() {
    String banner = awaitOut(line -> true);
    var m = java.util.regex.Pattern.compile("[^:]*:(\\d+)").matcher(banner);
    assertThat(m.lookingAt()).as("a banner naming HOST:PORT: %s", banner).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** Waits for the first line of standard output that matches, and returns it. */
  String awaitOut(Predicate<String> match) {
    return await(out, match, 1, "standard output");
  }

  /** Waits for a line of standard error containing {@code text}, and returns it. */
  String awaitErr(String text) {
    return awaitErr(text, 1);
  }

  /** Waits for the {@code count}th line of standard error containing {@code text}. */
  String awaitErr(String text, int count) {
    return await(err, line -> line.contains(text), count, "standard error");
  }

  private String await(List<String> lines, Predicate<String> match, int count, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
    synchronized (lines) {
      while (true) {
        int seen = 0;
        for (String line : lines) {
          if (match.test(line) && ++seen == count) {
            return line;
          }
        }
        long left = deadline - System.nanoTime();
        if (left <= 0 || (!process.isAlive() && !readerAlive(lines))) {
          throw new AssertionError(
              name + ": no such line on " + what + "; stdout: " + out() + "; stderr: " + err());
        }
        try {
          lines.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(Math.min(left, 100_000_000L))));
        } catch (InterruptedException e) {
          throw new AssertionError(e);
        }
      }
    }
  }

  private boolean readerAlive(List<String> lines) {
    return (lines == out ? outReader : errReader).isAlive();
  }

  /**
   * Sends SIGTERM, as {@code kill PID} does. Through the process handle: {@link Process#destroy()}
   * would also close the pipes, and the test would miss what the process logs while it stops.
   */
  void terminate() {
    assertThat(process.toHandle().destroy()).as("SIGTERM sent to %s", name).isTrue();
  }

  /** Waits for the process to exit and its output to be read, and returns its exit status. */
  int awaitExit() {
    try {
      assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS))
          .as("%s exited; stderr: %s", name, err())
          .isTrue();
      outReader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
      errReader.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
    return process.exitValue();
  }

  /** Standard output so far, one string. */
  String out() {
    synchronized (out) {
      return String.join("\n", out);
    }
  }

  /** Standard error so far, one string. */
  String err() {
    synchronized (err) {
      return String.join("\n", err);
    }
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
}
