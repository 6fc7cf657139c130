package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.redis.RedisPoemCache;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code poetry proxy --cache redis://...}, run as a process as {@code bin/poetry} runs it: the
 * command line finds braid-poetry-redis's cache through {@link java.util.ServiceLoader}, two
 * proxies of two reactors each share it, and bad settings are one-line usage errors.
 */
@Tag("loopback")
class ProxyCacheOptionTest {
  static final byte[] POEM = Poems.named("deferred").bytes();
  static final int CLIENTS_PER_PROXY = 20;

  @Test
  void badCacheSettingsAreOneLineUsageErrors() throws Exception {
    String[][] cases = {
      {
        "--cache redis://:secret@127.0.0.1:99999 10000",
        "poetry proxy: invalid Redis URL 'redis://***@127.0.0.1:99999': the port must be from 1 to"
            + " 65535"
      },
      {
        "--cache redis://127.0.0.1 --ttl 0 10000",
        "poetry proxy: --cache with --ttl 0: a fleet cannot share a poem it does not cache"
      }
    };
    for (String[] c : cases) {
      Process p = poetry(("proxy " + c[0]).split(" "));
      String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(err).isEqualTo(2);
      assertThat(err).startsWith(c[1]);
      assertThat(err.strip()).doesNotContain("\n").doesNotContain("secret");
    }
  }

  @Test
  void twoProxiesWithTheSameCacheFetchThePoemOnce() throws Exception {
    try (RedisServer redis = RedisServer.start();
        RunningReactor r = RunningReactor.start()) {
      int[] connections = {0};
      PoetryServerFactory server =
          r.call(
              () ->
                  PoetryServerFactory.create(PoetryService.of(POEM, Pacing.atOnce()), r.reactor()));
      int upstream =
          r.call(
              () ->
                  r.reactor()
                      .listenTCP(
                          0,
                          address -> {
                            connections[0]++;
                            return server.buildProtocol(address);
                          },
                          ReactorTcp.DEFAULT_BACKLOG,
                          "127.0.0.1")
                      .getHost()
                      .getPort());
      List<Process> proxies = new ArrayList<>();
      try {
        List<Integer> ports = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
          Process p =
              poetry(
                  "proxy",
                  "--cache",
                  redis.url(),
                  "--shutdown-grace",
                  "0",
                  "--reactors",
                  "2",
                  Integer.toString(upstream));
          proxies.add(p);
          String banner = firstLine(p);
          assertThat(banner).contains("shared through " + redis.url() + "; 2 reactors");
          // Until its link to Redis is up, a proxy serves from its own single flight (a fleet
          // member that starts before Redis answers still serves); the test's clients come after.
          awaitErrLine(p, "Sharing the cache through Redis at ");
          Matcher m = Pattern.compile("on 127\\.0\\.0\\.1:(\\d+)").matcher(banner);
          assertThat(m.find()).as(banner).isTrue();
          ports.add(Integer.parseInt(m.group(1)));
        }
        // Clients of each proxy arrive together, on both of its reactors (the kernel spreads the
        // connections), and ask the one cache of the proxy through its front.
        for (int port : ports) {
          List<byte[]> poems =
              r.await(
                  () -> {
                    List<Deferred<byte[]>> clients = new ArrayList<>();
                    for (int i = 0; i < CLIENTS_PER_PROXY; i++) {
                      clients.add(PoetryClient.fetch(r.reactor(), "127.0.0.1", port, null));
                    }
                    return Deferreds.gatherResults(clients);
                  });
          assertThat(poems)
              .hasSize(CLIENTS_PER_PROXY)
              .allSatisfy(p -> assertThat(p).isEqualTo(POEM));
        }
        assertThat(r.call(() -> connections[0])).as("upstream fetches").isEqualTo(1);
        assertThat(redis.command("EXISTS", RedisPoemCache.KEY_PREFIX + "127.0.0.1:" + upstream))
            .isEqualTo(":1");
      } finally {
        for (Process p : proxies) {
          p.destroy(); // SIGTERM: the proxy drains and stops
          assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        }
      }
    }
  }

  /** Starts {@code poetry ARGS} as a process: the command line's Main on the tests' class path. */
  static Process poetry(String... args) throws Exception {
    String simple = System.getProperty("braid.poetry.slf4jSimple");
    assertThat(simple).as("braid.poetry.slf4jSimple, set by the build").isNotBlank();
    List<String> cp = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (!e.contains("braid-test-log")) {
        cp.add(e);
      }
    }
    cp.add(simple);
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.addAll(TestEnv.childJvmOptions());
    command.add("-Dbraid.poetry.terminal=false");
    command.add("-cp");
    command.add(String.join(File.pathSeparator, cp));
    command.add("dev.braid.poetry.cli.Main");
    command.addAll(List.of(args));
    return new ProcessBuilder(command).start();
  }

  /** Reads the process's stderr until a line contains {@code text}; fails after 60 seconds. */
  static void awaitErrLine(Process p, String text) throws Exception {
    BufferedReader err =
        new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
    CompletableFuture<Boolean> found =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                for (String line = err.readLine(); line != null; line = err.readLine()) {
                  seen.add(line);
                  if (line.contains(text)) {
                    return true;
                  }
                }
                return false;
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    assertThat(found.get(60, TimeUnit.SECONDS)).as("a line with '%s' in %s", text, seen).isTrue();
  }

  static String firstLine(Process p) throws Exception {
    BufferedReader out =
        new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    CompletableFuture<String> line =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return out.readLine();
              } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
              }
            });
    String first = line.get(60, TimeUnit.SECONDS);
    assertThat(first).as("the proxy's banner").isNotNull();
    return first;
  }
}
