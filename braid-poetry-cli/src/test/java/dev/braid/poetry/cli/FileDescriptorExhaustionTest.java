package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import dev.braid.defer.Async;
import dev.braid.defer.Deferreds;
import dev.braid.net.Reactor;
import dev.braid.poetry.Poems;
import dev.braid.poetry.testing.LeftoverThreads;
import dev.braid.poetry.testing.RawClient;
import dev.braid.poetry.testing.Slack;
import dev.braid.test.AfterTest;
import dev.braid.test.BraidExtension;
import dev.braid.test.DeferredTimeout;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reliability item 6 (docs/reliability.md): out of file descriptors. {@code poetry serve} runs in a
 * process of its own under {@code ulimit -n 256} (a slow server, so that every connection it
 * accepts stays open); 300 clients connect at once. The server accepts until {@code accept} fails
 * with "Too many open files", and then must not spin: its CPU time over 2 seconds while saturated
 * is measured from {@code /proc}. The listener survives: when 100 of its clients leave, the
 * connections waiting in the backlog are accepted at the listener's next retry (its backoff is at
 * most 0.5 s; later only by the machine's load, {@link Slack}), and a new client is served.
 *
 * <p>Needs Linux ({@code /proc}) and {@code bash} to lower the limit; skipped, saying why, without
 * them.
 */
@Tag("loopback")
@ExtendWith({LeftoverThreads.class, BraidExtension.class})
class FileDescriptorExhaustionTest {
  static final int LIMIT = 256;
  static final int CLIENTS = 300;
  static final int LEAVING = 100;
  static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

  /** The listening port's longest pause between failed accepts (TcpListeningPort's). */
  static final double MAX_BACKOFF_SECONDS = 0.5;

  @TempDir Path dir;
  private Process server;
  private final StringBuffer serverErr = new StringBuffer();
  private final List<Thread> readers = new ArrayList<>();

  @BeforeEach
  void startTheServerUnderAnFdLimit() throws IOException, InterruptedException {
    assumeThat(Path.of("/proc/self/stat"))
        .as("needs Linux's /proc to read the server's CPU time and descriptors")
        .exists();
    assumeThat(Path.of("/bin/bash")).as("needs bash to set ulimit -n").exists();
    Path poem = Files.write(dir.resolve("poem.txt"), Poems.named("deferred").bytes());
    String java = ProcessHandle.current().info().command().orElse("java");
    List<String> command =
        List.of(
            "/bin/bash",
            "-c",
            "ulimit -n " + LIMIT + " && exec \"$@\"",
            "bash",
            java,
            "-Xmx128m",
            "-cp",
            TestEnv.commandLineClassPath(),
            "dev.braid.poetry.cli.Main",
            "serve",
            "--delay",
            "60",
            poem.toString());
    server = new ProcessBuilder(command).start();
    CompletableFuture<String> banner = new CompletableFuture<>();
    readers.add(
        Thread.ofPlatform()
            .name("fd-test-server-out")
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                    banner.complete(r.readLine());
                    while (r.readLine() != null) {
                      // drain
                    }
                  } catch (IOException e) {
                    banner.completeExceptionally(e);
                  }
                }));
    readers.add(
        Thread.ofPlatform()
            .name("fd-test-server-err")
            .start(
                () -> {
                  try (BufferedReader r =
                      new BufferedReader(
                          new InputStreamReader(server.getErrorStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = r.readLine()) != null; ) {
                      serverErr.append(line).append('\n');
                    }
                  } catch (IOException e) {
                    serverErr.append(e);
                  }
                }));
    try {
      String line = banner.get(30, TimeUnit.SECONDS);
      assertThat(line).as("the server's banner (stderr: %s)", serverErr).isNotNull();
      port = ServerCommandsTest.port(line, "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new AssertionError("the server did not start (stderr: " + serverErr + ")", e);
    }
  }

  private int port;

  @AfterEach
  void stopTheServer() throws InterruptedException {
    if (server != null) {
      server.destroy(); // SIGTERM: the server's shutdown hook stops its reactor
      if (!server.waitFor(20, TimeUnit.SECONDS)) {
        server.destroyForcibly();
        server.waitFor(10, TimeUnit.SECONDS);
      }
      assertThat(server.isAlive()).isFalse();
    }
    for (Thread t : readers) {
      t.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  /** The server's user + system CPU time, in clock ticks, from /proc/PID/stat. */
  private long cpuTicks() throws IOException {
    String stat = Files.readString(Path.of("/proc/" + server.pid() + "/stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return Long.parseLong(fields[11]) + Long.parseLong(fields[12]); // utime, stime (14th, 15th)
  }

  private long openDescriptors() throws IOException {
    try (Stream<Path> fds = Files.list(Path.of("/proc/" + server.pid() + "/fd"))) {
      return fds.count();
    }
  }

  private static int served(List<RawClient> clients) {
    int n = 0;
    for (RawClient c : clients) {
      if (c.received.size() > 0) {
        n++;
      }
    }
    return n;
  }

  @Test
  @DeferredTimeout(120)
  void outOfDescriptorsTheServerDoesNotSpinAndAcceptsAgainWhenSomeAreFreed(
      Reactor reactor, AfterTest afterTest) {
    afterTest.await(
        Async.run(
            () -> {
              long idleDescriptors = openDescriptors();
              List<RawClient> clients = new ArrayList<>();
              for (int i = 0; i < CLIENTS; i++) {
                clients.add(RawClient.connect(reactor, port, new byte[0]));
              }
              for (RawClient c : clients) {
                Async.await(c.connected); // the kernel completes the handshake, backlog or not
              }
              // Saturated once every descriptor is taken and the number served has stopped
              // growing for half a second (a server merely slowed by a loaded machine has
              // descriptors left).
              int served = -1;
              for (int still = 0, polls = 0; still < 25 || openDescriptors() < LIMIT; polls++) {
                assertThat(polls).as("never settles").isLessThan(3000);
                Async.await(Deferreds.deferLater(reactor, 0.02, () -> null));
                int now = served(clients);
                still = now == served ? still + 1 : 0;
                served = now;
              }
              assertThat(served).as("some accepted, some not").isBetween(1, CLIENTS - 1);
              long saturatedDescriptors = openDescriptors();
              long ticks = cpuTicks();
              double start = reactor.seconds();
              Async.await(Deferreds.deferLater(reactor, 2.0, () -> null));
              double cpu =
                  (cpuTicks() - ticks)
                      / (double) CLOCK_TICKS_PER_SECOND
                      / (reactor.seconds() - start);
              assertThat(served(clients)).as("nothing accepted meanwhile").isEqualTo(served);
              // Some served clients leave: descriptors free up.
              List<RawClient> leaving = new ArrayList<>();
              for (RawClient c : clients) {
                if (c.received.size() > 0 && leaving.size() < LEAVING) {
                  leaving.add(c);
                }
              }
              int waiting = CLIENTS - served;
              double freed = reactor.seconds();
              for (RawClient c : leaving) {
                c.abort();
              }
              int target = Math.min(CLIENTS, served + Math.min(waiting, LEAVING));
              while (served(clients) < target) {
                assertThat(reactor.seconds() - freed)
                    .as("the waiting clients are accepted once descriptors are free")
                    .isLessThan(MAX_BACKOFF_SECONDS + Slack.SECONDS);
                Async.await(Deferreds.deferLater(reactor, 0.005, () -> null));
              }
              double acceptedAfter = reactor.seconds() - freed;
              RawClient fresh = RawClient.connect(reactor, port, new byte[0]);
              Async.await(fresh.connected);
              while (fresh.received.size() == 0) {
                assertThat(fresh.ended.isCalled()).as("a new client is served").isFalse();
                Async.await(Deferreds.deferLater(reactor, 0.005, () -> null));
              }
              clients.add(fresh);
              System.out.printf(
                  "FileDescriptorExhaustionTest: ulimit -n %d, %d descriptors open when idle,"
                      + " %d when saturated; %d of %d clients accepted; server CPU while"
                      + " saturated %.1f%% of a core over 2 s; %d waiting clients accepted %.3f s"
                      + " after %d left%n",
                  LIMIT,
                  idleDescriptors,
                  saturatedDescriptors,
                  served,
                  CLIENTS,
                  cpu * 100,
                  target - served,
                  acceptedAfter,
                  LEAVING);
              assertThat(serverErr.toString())
                  .as("the server said why it paused")
                  .contains("Too many open files");
              assertThat(cpu).as("no busy loop while out of descriptors").isLessThan(0.10);
              assertThat(acceptedAfter)
                  .as("accepted at the next retry (the backoff is at most 0.5 s)")
                  .isLessThan(MAX_BACKOFF_SECONDS + Slack.SECONDS);
              for (RawClient c : clients) {
                c.abort();
                Async.await(c.ended);
              }
              return null;
            }));
  }
}
