package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.net.Reactor;
import dev.braid.reactor.SelectorReactor;
import dev.braid.test.RunningReactor;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An {@link Env} for running the CLI in-process: captures standard output and error (and hands out
 * standard output line by line, for servers' banners), and keeps the reactors it makes so a test
 * can stop a server.
 */
final class TestEnv {
  final Capture out = new Capture();
  final Capture err = new Capture();
  final List<SelectorReactor> reactors = new CopyOnWriteArrayList<>();
  private final boolean terminal;

  private TestEnv(boolean terminal) {
    this.terminal = terminal;
  }

  /**
   * The class path for running the command line in a process of its own, as {@code bin/poetry}
   * does: the tests' class path with the command line's own logging (slf4j-simple, which the build
   * names in {@code braid.poetry.slf4jSimple}) in place of the tests' log capture.
   */
  static String commandLineClassPath() {
    String simple = System.getProperty("braid.poetry.slf4jSimple");
    assertThat(simple).as("braid.poetry.slf4jSimple, set by the build").isNotBlank();
    List<String> entries = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!entry.contains("braid-test-log")) {
        entries.add(entry);
      }
    }
    entries.add(simple);
    return String.join(File.pathSeparator, entries);
  }

  static TestEnv redirected() {
    return new TestEnv(false);
  }

  static TestEnv terminal() {
    return new TestEnv(true);
  }

  Env env() {
    return new Env(
        out.stream,
        err.stream,
        terminal,
        () -> {
          SelectorReactor r = SelectorReactor.create();
          reactors.add(r);
          return r;
        },
        false);
  }

  /** Runs the CLI on this thread and returns the exit status. */
  int run(String... args) {
    return Cli.execute(env(), args);
  }

  /** Runs a server command on a new thread; stop it with {@link Server#stop()}. */
  Server start(String... args) {
    CompletableFuture<Integer> status = new CompletableFuture<>();
    Thread t =
        new Thread(
            () -> {
              try {
                status.complete(run(args));
              } catch (Throwable e) {
                status.completeExceptionally(e);
              }
            },
            "cli-" + args[0]);
    t.start();
    return new Server(t, status);
  }

  final class Server {
    final Thread thread;
    final CompletableFuture<Integer> status;

    Server(Thread thread, CompletableFuture<Integer> status) {
      this.thread = thread;
      this.status = status;
    }

    /** Waits for the server's one line on standard output. */
    String banner() {
      String line = out.nextLine();
      assertThat(line).as("the server's banner (stderr: %s)", err.text()).isNotNull();
      return line;
    }

    /**
     * Counts the server's open connections, on each of its reactors' threads (every reactor this
     * environment made that still runs); the Deferred fires on {@code here}'s thread (the test's
     * reactor).
     */
    Deferred<Integer> openConnections(Reactor here) {
      List<SelectorReactor> running = new ArrayList<>();
      for (SelectorReactor r : reactors) {
        if (r.isRunning()) {
          running.add(r);
        }
      }
      Deferred<Integer> count = Deferred.create();
      AtomicInteger total = new AtomicInteger();
      AtomicInteger left = new AtomicInteger(running.size());
      if (running.isEmpty()) {
        count.callback(0);
      }
      for (SelectorReactor r : running) {
        r.callFromThread(
            () -> {
              total.addAndGet(r.openConnections().size());
              if (left.decrementAndGet() == 0) {
                here.callFromThread(() -> count.callback(total.get()));
              }
            });
      }
      return count;
    }

    /**
     * Stops the server (its reactors stop together: stopping one stops its group) and returns the
     * command's exit status.
     */
    int stop() {
      SelectorReactor r = reactors.get(reactors.size() - 1);
      r.callFromThread(
          () -> {
            if (r.isRunning()) {
              r.stop();
            }
          });
      int s = RunningReactor.get(status);
      try {
        thread.join(RunningReactor.TIMEOUT.toMillis());
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
      assertThat(thread.isAlive()).isFalse();
      return s;
    }
  }

  /** A UTF-8 PrintStream whose text can be read whole or line by line. */
  static final class Capture {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    final PrintStream stream =
        new PrintStream(
            new OutputStream() {
              @Override
              public synchronized void write(int b) {
                write(new byte[] {(byte) b}, 0, 1);
              }

              @Override
              public void write(byte[] b, int off, int len) {
                synchronized (Capture.this) {
                  bytes.write(b, off, len);
                  partial.append(new String(b, off, len, StandardCharsets.UTF_8));
                  int nl;
                  while ((nl = partial.indexOf("\n")) >= 0) {
                    lines.add(partial.substring(0, nl));
                    partial.delete(0, nl + 1);
                  }
                }
              }
            },
            true,
            StandardCharsets.UTF_8);

    synchronized String text() {
      stream.flush();
      return bytes.toString(StandardCharsets.UTF_8);
    }

    synchronized byte[] bytes() {
      stream.flush();
      return bytes.toByteArray();
    }

    String nextLine() {
      try {
        return lines.poll(RunningReactor.TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        throw new AssertionError(e);
      }
    }
  }
}
