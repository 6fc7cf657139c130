package dev.braid.poetry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.poetry.redis.testing.RedisServer;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The smoke test of the distribution, in the spirit of Netty's {@code testsuite-jpms}: the build's
 * {@code braid-poetry-VERSION.tar.gz} is unpacked into a temporary directory and its {@code
 * bin/poetry}, which runs the command line on the module path, is started in child processes from
 * another directory. Unit tests run on the class path, where a {@code module-info} is never read;
 * here a missing {@code requires}, {@code opens} or service provider fails the run: picocli cannot
 * fill the commands' fields without {@code opens dev.braid.poetry.cli}, and without slf4j-simple
 * bound as a provider of {@code org.slf4j} the proxy's log line is missing and SLF4J complains.
 *
 * <p>Run by Failsafe after {@code package}, which gives the archive's path and the project's
 * version as the system properties {@code braid.poetry.dist} and {@code braid.poetry.version}.
 * Needs {@code tar}, {@code bash} and loopback TCP; every process it starts is stopped after each
 * test.
 */
@Tag("loopback")
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PoetryDistributionIT {
  static final String MAIN = "dev.braid.poetry.cli/dev.braid.poetry.cli.Main";
  static final long WAIT_SECONDS = 60;

  @TempDir static Path unpacked;
  static String version;
  static Path home;

  @TempDir Path elsewhere;
  private final List<Child> children = new ArrayList<>();

  @BeforeAll
  static void unpackTheArchive() throws Exception {
    version = System.getProperty("braid.poetry.version");
    String dist = System.getProperty("braid.poetry.dist");
    assertThat(version).as("system property braid.poetry.version (set by Failsafe)").isNotBlank();
    assertThat(dist).as("system property braid.poetry.dist (set by Failsafe)").isNotBlank();
    assertThat(Path.of(dist)).as("the distribution archive").isRegularFile();
    Child tar =
        Child.start(
            List.of("tar", "-xzf", dist, "-C", unpacked.toString()), unpacked, Map.of(), null);
    assertThat(tar.waitForExit()).as("tar's exit status (stderr: %s)", tar.err()).isZero();
    home = unpacked.resolve("braid-poetry-" + version);
  }

  @AfterEach
  void stopEveryChild() throws InterruptedException {
    for (Child child : children) {
      child.stop();
    }
  }

  @Test
  void theArchiveHoldsTheLauncherAndEveryJarItRuns() throws IOException {
    assertThat(home.resolve("bin/poetry")).isExecutable();
    assertThat(home.resolve("libexec/find-jdk")).isRegularFile();
    List<String> jars;
    try (Stream<Path> files = Files.list(home.resolve("lib"))) {
      jars = files.map(p -> p.getFileName().toString()).sorted().toList();
    }
    assertThat(jars).allMatch(name -> name.endsWith(".jar"));
    assertThat(jars)
        .contains(
            "braid-poetry-cli-" + version + ".jar",
            "braid-poetry-" + version + ".jar",
            "braid-defer-" + version + ".jar",
            "braid-reactor-" + version + ".jar",
            "braid-protocols-" + version + ".jar",
            "braid-web-" + version + ".jar");
    assertThat(jars)
        .anyMatch(name -> name.startsWith("picocli-"))
        .anyMatch(name -> name.startsWith("slf4j-api-"))
        .anyMatch(name -> name.startsWith("slf4j-simple-"))
        .anyMatch(name -> name.startsWith("jackson-databind-"))
        .noneMatch(name -> name.startsWith("junit") || name.startsWith("assertj"));
  }

  @Test
  void theLauncherRunsFromAnotherDirectoryThroughALinkAsAModuleWithSlf4jSimpleBound()
      throws Exception {
    Path bin = Files.createDirectories(elsewhere.resolve("bin"));
    Path link = Files.createSymbolicLink(bin.resolve("poetry"), home.resolve("bin/poetry"));
    try {
      Child poetry =
          start(
              List.of(link.toString(), "--version"),
              Map.of("POETRY_JAVA_OPTS", "--show-module-resolution"));
      assertThat(poetry.waitForExit()).as("exit status (stderr: %s)", poetry.err()).isZero();
      assertThat(poetry.out())
          .contains("root dev.braid.poetry.cli " + home.resolve("lib").toUri())
          .contains("dev.braid.poetry.cli requires dev.braid.poetry " + home.resolve("lib").toUri())
          .contains("org.slf4j binds org.slf4j.simple file:")
          .endsWith("\npoetry (Braid) " + version + "\n");
      assertThat(poetry.err()).isEmpty();
    } finally {
      Files.delete(link); // the link, not what it points to, before the temporary directory goes
    }
  }

  @Test
  void helpAndAUsageErrorWorkOnTheModulePath() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String modulePath = home.resolve("lib").toString();
    Child help = start(List.of(java, "--module-path", modulePath, "--module", MAIN, "--help"));
    assertThat(help.waitForExit()).as("exit status (stderr: %s)", help.err()).isZero();
    assertThat(help.out()).startsWith("Usage: poetry [-hV]").contains("transform-proxy", "demo");
    assertThat(help.err()).isEmpty();

    Child usage = start(List.of(java, "--module-path", modulePath, "--module", MAIN, "get"));
    assertThat(usage.waitForExit()).isEqualTo(2);
    assertThat(usage.err())
        .isEqualTo("poetry get: missing required parameter: 'SOURCE' (see 'poetry get --help')\n");
  }

  @Test
  void aPoemGoesFromTheServerThroughTheProxyToTheClient() throws Exception {
    String poem = "The Fascination of what's Difficult\nhas dried the sap out of my veins.\n";
    Path file = Files.writeString(elsewhere.resolve("poem.txt"), poem);
    Child server = poetry(Map.of(), "serve", file.toString());
    int serverPort = port(server.firstLine(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
    Child proxy = poetry(Map.of(), "proxy", Integer.toString(serverPort));
    int proxyPort = port(proxy.firstLine(), "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) for .*");

    Child client = poetry(Map.of(), "get", Integer.toString(proxyPort));
    assertThat(client.waitForExit()).as("exit status (stderr: %s)", client.err()).isZero();
    assertThat(client.out()).isEqualTo(poem);

    assertThat(proxy.stop()).as("the proxy ends on SIGTERM").isTrue();
    assertThat(server.stop()).as("the server ends on SIGTERM").isTrue();
    assertThat(proxy.err()).contains("Fetching poem from server.").doesNotContain("SLF4J");
    for (Child child : List.of(server, proxy, client)) {
      assertThat(child.err()).doesNotContain("Exception", "WARN", "SLF4J(");
    }
  }

  @Test
  void pendingAttachesToAProxyOnTheModulePathAndShowsWhatItsClientWaitsOn() throws Exception {
    try (ServerSocket hung = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      hung.setSoTimeout((int) TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      Child proxy =
          poetry(
              Map.of("POETRY_JAVA_OPTS", "-Dbraid.debug=true"),
              "proxy",
              "--reactors",
              "1",
              Integer.toString(hung.getLocalPort()));
      int proxyPort = port(proxy.firstLine(), "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) for .*");
      try (Socket client = new Socket("127.0.0.1", proxyPort);
          Socket upstream = hung.accept()) {
        Child pending = poetry(Map.of(), "pending", Long.toString(proxy.pid()));

        assertThat(pending.waitForExit()).as("exit status (stderr: %s)", pending.err()).isZero();
        assertThat(pending.out())
            .containsPattern(
                "^Reactor SelectorReactor#1\\{running, (native|nio)} on thread \"[^\"]+\"")
            .contains("created ", "at dev.braid.poetry.ProxyService$Flight.join(")
            .contains("waits on connection dev.braid.poetry.PoetryProtocol [client 127.0.0.1:")
            .contains("-> 127.0.0.1:" + hung.getLocalPort() + "]: open ");
        assertThat(pending.err()).isEmpty();
        assertThat(client.isConnected() && upstream.isConnected()).isTrue();
      }
      assertThat(proxy.stop()).as("the proxy ends on SIGTERM").isTrue();
    }
  }

  @Test
  void theProxySharesItsCacheOnRedisFromTheModulePath() throws Exception {
    // braid-poetry-redis is found through ServiceLoader, and Lettuce reaches Netty modules that no
    // module requires: the launcher must resolve every module of lib/ for this to run.
    Assumptions.assumeTrue(RedisServer.installed(), "redis-server is not installed");
    try (RedisServer redis = RedisServer.start()) {
      String poem = "A poem the fleet shares.\n";
      Path file = Files.writeString(elsewhere.resolve("poem.txt"), poem);
      Child server = poetry(Map.of(), "serve", file.toString());
      int serverPort = port(server.firstLine(), "Serving .* on 127\\.0\\.0\\.1:(\\d+) .*");
      Child proxy =
          poetry(
              Map.of(),
              "proxy",
              "--cache",
              redis.url(),
              "--reactors",
              "2",
              Integer.toString(serverPort));
      int proxyPort =
          port(
              proxy.firstLine(),
              "Proxying poetry on 127\\.0\\.0\\.1:(\\d+) for .*, shared through .*; 2"
                  + " reactors\\)\\.");
      // Until its link to Redis is up, the proxy serves from its own cache and shares nothing.
      proxy.awaitErr("Sharing the cache through Redis at ");

      Child client = poetry(Map.of(), "get", Integer.toString(proxyPort));
      assertThat(client.waitForExit()).as("exit status (stderr: %s)", client.err()).isZero();
      assertThat(client.out()).isEqualTo(poem);
      assertThat(redis.command("EXISTS", "braid:poetry:127.0.0.1:" + serverPort)).isEqualTo(":1");

      assertThat(proxy.stop()).as("the proxy ends on SIGTERM").isTrue();
      assertThat(server.stop()).as("the server ends on SIGTERM").isTrue();
      for (Child child : List.of(server, proxy, client)) {
        assertThat(child.err()).doesNotContain("Exception", "WARN", "SLF4J(");
      }
    }
  }

  private Child poetry(Map<String, String> env, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add(home.resolve("bin/poetry").toString());
    command.addAll(List.of(args));
    return start(command, env);
  }

  private Child start(List<String> command) throws IOException {
    return start(command, Map.of());
  }

  private Child start(List<String> command, Map<String, String> env) throws IOException {
    Child child = Child.start(command, elsewhere, env, System.getProperty("java.home"));
    children.add(child);
    return child;
  }

  private static int port(String banner, String regex) {
    Matcher m = Pattern.compile(regex).matcher(String.valueOf(banner));
    assertThat(m.matches()).as("banner %s matches %s", banner, regex).isTrue();
    return Integer.parseInt(m.group(1));
  }

  /** A child process whose standard output and error are read as they come, on two threads. */
  static final class Child {
    private final Process process;
    private final StringBuffer out = new StringBuffer();
    private final StringBuffer err = new StringBuffer();
    private final CompletableFuture<String> firstLine = new CompletableFuture<>();

    /** Standard error's awaited texts, each completed by the first line that contains it. */
    private final Map<String, CompletableFuture<Void>> errAwaited = new java.util.HashMap<>();

    private final Thread outReader;
    private final Thread errReader;

    private Child(Process process) {
      this.process = process;
      this.outReader = read(process.getInputStream(), out, firstLine, "out");
      this.errReader = read(process.getErrorStream(), err, null, "err");
    }

    /**
     * Starts {@code command} in {@code dir}, with {@code env} added to this process's environment
     * and {@code JAVA_HOME} set to {@code javaHome} when it is not null.
     */
    static Child start(List<String> command, Path dir, Map<String, String> env, String javaHome)
        throws IOException {
      ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
      builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      builder.environment().putAll(env);
      if (javaHome != null) {
        builder.environment().put("JAVA_HOME", javaHome);
      }
      return new Child(builder.start());
    }

    private Thread read(
        InputStream stream, StringBuffer into, CompletableFuture<String> first, String name) {
      return Thread.ofPlatform()
          .name("distribution-it-" + name + "-" + process.pid())
          .daemon(true)
          .start(
              () -> {
                try (BufferedReader r =
                    new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
                  for (String line; (line = r.readLine()) != null; ) {
                    into.append(line).append('\n');
                    if (first == null) {
                      errLine(line);
                    }
                    if (first != null) {
                      first.complete(line);
                    }
                  }
                  if (first != null) {
                    first.complete(null);
                  }
                } catch (IOException e) {
                  if (first != null) {
                    first.completeExceptionally(new UncheckedIOException(e));
                  }
                }
              });
    }

    private void errLine(String line) {
      synchronized (errAwaited) {
        errAwaited.forEach(
            (text, seen) -> {
              if (line.contains(text)) {
                seen.complete(null);
              }
            });
      }
    }

    /** Waits up to a minute for a line of standard error containing {@code text}. */
    void awaitErr(String text) throws InterruptedException {
      CompletableFuture<Void> seen;
      synchronized (errAwaited) {
        seen = errAwaited.computeIfAbsent(text, t -> new CompletableFuture<>());
        if (err.toString().contains(text)) {
          seen.complete(null);
        }
      }
      try {
        seen.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError(
            "no '" + text + "' from " + process.info() + " (stderr: " + err + ")", e);
      }
    }

    /** {@return the first line of standard output, waiting up to a minute for it} */
    String firstLine() throws InterruptedException {
      String line;
      try {
        line = firstLine.get(WAIT_SECONDS, TimeUnit.SECONDS);
      } catch (ExecutionException | TimeoutException e) {
        throw new AssertionError("no output from " + process.info() + " (stderr: " + err + ")", e);
      }
      if (line == null) {
        throw new AssertionError(
            "no output from " + process.info() + " before it ended (stderr: " + err + ")");
      }
      return line;
    }

    /** {@return the exit status, waiting up to a minute for the exit and the output's end} */
    int waitForExit() throws InterruptedException {
      if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        throw new AssertionError("still running after " + WAIT_SECONDS + " s: " + process.info());
      }
      outReader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      errReader.join(TimeUnit.SECONDS.toMillis(WAIT_SECONDS));
      return process.exitValue();
    }

    /**
     * Sends SIGTERM and waits for the exit (a server's shutdown hook stops its reactor); kills the
     * process if it is still there after a minute.
     *
     * @return whether it ended on SIGTERM (or had ended before)
     */
    boolean stop() throws InterruptedException {
      if (!process.isAlive()) {
        waitForExit();
        return true;
      }
      // Through the process handle: Process.destroy() would also close the pipes, and lines not
      // read yet would be lost.
      process.toHandle().destroy();
      if (process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
        waitForExit();
        return true;
      }
      process.destroyForcibly().waitFor(WAIT_SECONDS, TimeUnit.SECONDS);
      return false;
    }

    String out() {
      return out.toString();
    }

    /** {@return the process id: the JVM's, since bin/poetry execs it} */
    long pid() {
      return process.pid();
    }

    String err() {
      return err.toString();
    }
  }
}
