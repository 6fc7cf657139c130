package dev.braid.poetry.redis.testing;

import dev.braid.poetry.redis.RedisEndpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} (Debian's package) for a test: on a free loopback port, with its own
 * temporary directory, no persistence, stopped and its directory removed by {@link #close()}. The
 * fault tests kill it ({@link #kill()}, SIGKILL) and start it again on the same port ({@link
 * #restart()}), pause it ({@link #pause()}, SIGSTOP, and {@link #resume()}), and talk to it with
 * {@link #command} (RESP over a plain socket, no client library).
 *
 * <p>Where {@code redis-server} is not installed the test is skipped, saying so; {@code .ci/run}
 * installs it.
 */
public final class RedisServer implements AutoCloseable {
  private static final String BINARY = "redis-server";

  private final Path dir;
  private final int port;
  private final Path tlsCa;
  private final List<String> tlsArgs;
  private Process process;

  private RedisServer(Path dir, int port, Path tlsCa, List<String> tlsArgs) {
    this.dir = dir;
    this.port = port;
    this.tlsCa = tlsCa;
    this.tlsArgs = tlsArgs;
  }

  /** Starts a server; skips the test if {@code redis-server} is missing. */
  public static RedisServer start() throws IOException, InterruptedException {
    return start(null, List.of());
  }

  /** Starts a server that speaks only TLS, with this certificate, key and client authority. */
  public static RedisServer startTls(Path cert, Path key, Path ca)
      throws IOException, InterruptedException {
    return start(
        ca,
        List.of(
            "--tls-cert-file",
            cert.toString(),
            "--tls-key-file",
            key.toString(),
            "--tls-ca-cert-file",
            ca.toString(),
            "--tls-auth-clients",
            "no"));
  }

  private static RedisServer start(Path tlsCa, List<String> tlsArgs)
      throws IOException, InterruptedException {
    Assumptions.assumeTrue(
        installed(), "redis-server is not installed (apt-get install redis-server)");
    Path dir = Files.createTempDirectory("braid-redis-");
    IOException last = null;
    for (int attempt = 0; attempt < 5; attempt++) {
      RedisServer s = new RedisServer(dir, freePort(), tlsCa, tlsArgs);
      try {
        s.launch();
        return s;
      } catch (IOException e) {
        last = e; // the port was taken meanwhile: try another
      }
    }
    throw last;
  }

  public static boolean installed() {
    for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(p, BINARY))) {
        return true;
      }
    }
    return false;
  }

  public int port() {
    return port;
  }

  /** {@return the URL of this server, {@code redis://127.0.0.1:PORT}} */
  public String url() {
    return "redis://127.0.0.1:" + port;
  }

  public RedisEndpoint endpoint() {
    return new RedisEndpoint("127.0.0.1", port, 0, false, null, null);
  }

  public long pid() {
    return process.pid();
  }

  private void launch() throws IOException, InterruptedException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                BINARY,
                tlsCa == null ? "--port" : "--tls-port",
                Integer.toString(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                dir.toString(),
                "--save",
                "",
                "--appendonly",
                "no",
                "--daemonize",
                "no",
                "--loglevel",
                "warning",
                "--logfile",
                dir.resolve("redis.log").toString()));
    if (tlsCa != null) {
      cmd.addAll(List.of("--port", "0"));
      cmd.addAll(tlsArgs);
    }
    process = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    process.getOutputStream().close();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IOException("redis-server exited at start: " + log());
      }
      try {
        if (tlsCa == null
            ? command("PING").equals("+PONG")
            : commandTls(tlsCa, "PING").equals("PONG")) {
          return;
        }
      } catch (IOException e) {
        // not listening yet
      }
      Thread.sleep(20); // polling a process we started for readiness; nothing to wait on
    }
    process.destroyForcibly().waitFor();
    throw new IOException("redis-server did not answer within 10 seconds: " + log());
  }

  private String log() {
    try {
      Path log = dir.resolve("redis.log");
      return Files.exists(log) ? Files.readString(log).strip() : "(no log)";
    } catch (IOException e) {
      return "(log unreadable: " + e + ")";
    }
  }

  /** Kills the server at once (SIGKILL): its data goes with it. */
  public void kill() throws InterruptedException {
    resume();
    process.destroyForcibly();
    process.waitFor();
  }

  /** Starts the server again on the same port, empty. */
  public void restart() throws IOException, InterruptedException {
    if (process.isAlive()) {
      kill();
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (true) {
      try {
        launch();
        return;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(50); // the port may linger for a moment after the kill
      }
    }
  }

  /** Stops the server's process (SIGSTOP): it keeps its connections and answers nothing. */
  public void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** Lets a paused server go on (SIGCONT). */
  public void resume() throws InterruptedException {
    try {
      signal("CONT");
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  private void signal(String name) throws IOException, InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    Process kill = new ProcessBuilder("kill", "-" + name, Long.toString(process.pid())).start();
    if (kill.waitFor() != 0) {
      throw new IOException("kill -" + name + " failed");
    }
  }

  /**
   * Sends one command and returns its reply's first line ({@code +OK}, {@code :1}, {@code $-1},
   * {@code -ERR ...}), or for a bulk string {@code $N} followed by the string.
   */
  public String command(String... args) throws IOException {
    try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
      s.setSoTimeout(5000);
      OutputStream out = s.getOutputStream();
      StringBuilder req = new StringBuilder("*").append(args.length).append("\r\n");
      for (String a : args) {
        byte[] b = a.getBytes(StandardCharsets.UTF_8);
        req.append('$').append(b.length).append("\r\n").append(a).append("\r\n");
      }
      out.write(req.toString().getBytes(StandardCharsets.UTF_8));
      out.flush();
      InputStream in = s.getInputStream();
      String first = readLine(in);
      if (first.startsWith("$") && !first.equals("$-1")) {
        int n = Integer.parseInt(first.substring(1));
        byte[] body = in.readNBytes(n + 2);
        return first + "\n" + new String(body, 0, n, StandardCharsets.UTF_8);
      }
      return first;
    }
  }

  /** Sends one command over TLS with {@code redis-cli} and returns what it prints, stripped. */
  public String commandTls(Path ca, String... args) throws IOException {
    List<String> cmd =
        new ArrayList<>(
            List.of(
                "redis-cli",
                "--tls",
                "--cacert",
                ca.toString(),
                "-h",
                "127.0.0.1",
                "-p",
                Integer.toString(port)));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("redis-cli failed: " + out);
      }
      return out.strip();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        sb.append((char) c);
      }
    }
    if (c == -1 && sb.isEmpty()) {
      throw new IOException("connection closed without a reply");
    }
    return sb.toString();
  }

  @Override
  public void close() throws IOException {
    if (process != null) {
      try {
        kill();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("interrupted while stopping redis-server", e);
      }
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
