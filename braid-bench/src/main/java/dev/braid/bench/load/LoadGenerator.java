package dev.braid.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A load generator for request-per-connection servers that shares no code with Braid: plain NIO on
 * one thread. It makes {@code --requests} requests with {@code --concurrency} in flight, each one
 * connection: connect, write the request bytes (if any), read to end of stream, close. It checks
 * the byte count of every reply, and prints one line:
 *
 * <pre>
 * requests=20000 errors=0 seconds=1.92 rps=10416 p50_us=3870 p99_us=9120 server_cpu_us_per_req=61.5
 *   loadgen_cpu_share=0.98
 * </pre>
 *
 * <p>Latency runs from the start of the connect to the end of stream. With {@code --server-pid},
 * the server's CPU time (user + system of the whole process, from {@code /proc/PID/stat}) over the
 * run is divided by the requests. {@code loadgen_cpu_share} is the generator's own CPU time over
 * the run's wall time: near 1.0, its one thread is busy all the time and requests/s measures the
 * generator rather than the server. With {@code --on-all-connected CMD}, once every one of the
 * {@code --concurrency} connections has received its first bytes, {@code CMD} is run (through
 * {@code sh -c}, output inherited) while the connections stay open: the many-connections benchmark
 * measures the server's memory then. At most {@code --max-connecting} connects are pending at once,
 * so a burst of thousands does not overflow the server's accept queue.
 *
 * <p>With {@code --per-connection K}, each connection carries K requests instead, one after
 * another: it writes the request, reads exactly {@code --expect-bytes} of reply, and so on; after
 * the K-th reply it closes. {@code --requests} then counts requests (N/K connections), {@code
 * --concurrency} connections, and latency runs from writing a request to the end of its reply.
 *
 * <p>Usage: {@code LoadGenerator --port P [--host H] --requests N --concurrency C [--request-file
 * F] --expect-bytes B [--per-connection K] [--server-pid PID] [--on-all-connected CMD]
 * [--max-connecting M]}
 */
public final class LoadGenerator {
  private final InetSocketAddress address;
  private final int requests;
  private final int concurrency;
  private final byte[] request;
  private final long expectBytes;
  private final int maxConnecting;
  private final String onAllConnected;
  private final int perConnection;
  private final long[] latencies;
  private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
  private Selector selector;
  private int started;
  private int finished;
  private int errors;
  private int connecting;
  private int servedOnce;
  private int inFlight;
  private boolean commandStarted;
  private Thread command;
  private String firstError;

  private LoadGenerator(
      InetSocketAddress address,
      int requests,
      int concurrency,
      byte[] request,
      long expectBytes,
      int maxConnecting,
      String onAllConnected,
      int perConnection) {
    this.address = address;
    this.requests = requests;
    this.concurrency = concurrency;
    this.request = request;
    this.expectBytes = expectBytes;
    this.maxConnecting = maxConnecting;
    this.onAllConnected = onAllConnected;
    this.perConnection = perConnection;
    this.latencies = new long[requests];
  }

  /**
   * Runs one load and prints its line; exits 1 if any request failed.
   *
   * @param args see the class comment
   * @throws Exception if the load cannot run at all
   */
  public static void main(String[] args) throws Exception {
    String host = "127.0.0.1";
    int port = -1;
    int requests = 10_000;
    int concurrency = 50;
    byte[] request = new byte[0];
    long expect = -1;
    int pid = -1;
    int maxConnecting = 256;
    String onAllConnected = null;
    int perConnection = 0;
    for (int i = 0; i < args.length; i++) {
      String value = i + 1 < args.length ? args[i + 1] : "";
      switch (args[i]) {
        case "--host" -> host = value;
        case "--port" -> port = Integer.parseInt(value);
        case "--requests" -> requests = Integer.parseInt(value);
        case "--concurrency" -> concurrency = Integer.parseInt(value);
        case "--request-file" -> request = Files.readAllBytes(Path.of(value));
        case "--expect-bytes" -> expect = Long.parseLong(value);
        case "--server-pid" -> pid = Integer.parseInt(value);
        case "--max-connecting" -> maxConnecting = Integer.parseInt(value);
        case "--on-all-connected" -> onAllConnected = value;
        case "--per-connection" -> perConnection = Integer.parseInt(value);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
      i++;
    }
    if (port < 0 || expect < 0) {
      throw new IllegalArgumentException("--port and --expect-bytes are required");
    }
    if (perConnection > 0 && (request.length == 0 || expect == 0)) {
      throw new IllegalArgumentException(
          "--per-connection needs --request-file and --expect-bytes");
    }
    LoadGenerator load =
        new LoadGenerator(
            new InetSocketAddress(host, port),
            requests,
            Math.min(concurrency, requests),
            request,
            expect,
            maxConnecting,
            onAllConnected,
            perConnection);
    long cpuBefore = pid > 0 ? ProcessCpu.nanos(pid) : 0;
    long ownBefore = ProcessCpu.nanos((int) ProcessHandle.current().pid());
    long start = System.nanoTime();
    load.run();
    long elapsed = System.nanoTime() - start;
    long cpu = pid > 0 ? ProcessCpu.nanos(pid) - cpuBefore : -1;
    long own = ProcessCpu.nanos((int) ProcessHandle.current().pid()) - ownBefore;
    System.out.println(load.summary(elapsed, cpu, own));
    if (load.firstError != null) {
      System.out.println("first error: " + load.firstError);
    }
    load.joinCommand();
    System.exit(load.errors == 0 ? 0 : 1);
  }

  private void run() throws IOException {
    selector = Selector.open();
    while (finished < requests) {
      while (started < requests && inFlight < concurrency && connecting < maxConnecting) {
        startOne();
      }
      selector.select(this::handle, 1000);
      if (!commandStarted && onAllConnected != null && servedOnce == concurrency) {
        commandStarted = true;
        command = Thread.ofPlatform().start(this::runCommand);
      }
    }
    selector.close();
  }

  private void startOne() {
    int index = started;
    int count = perConnection > 0 ? Math.min(perConnection, requests - index) : 1;
    started += count;
    inFlight++;
    Connection c = new Connection(index, count, System.nanoTime());
    try {
      SocketChannel channel = SocketChannel.open();
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.SO_LINGER, -1);
      c.channel = channel;
      connecting++;
      c.connecting = true;
      if (channel.connect(address)) {
        connected(c, channel.register(selector, 0, c));
      } else {
        channel.register(selector, SelectionKey.OP_CONNECT, c);
      }
    } catch (IOException e) {
      fail(c, null, e);
    }
  }

  private void handle(SelectionKey key) {
    Connection c = (Connection) key.attachment();
    try {
      if (key.isConnectable()) {
        ((SocketChannel) key.channel()).finishConnect();
        connected(c, key);
      } else if (key.isWritable()) {
        writeRequest(c, key);
      } else if (key.isReadable()) {
        read(c, key);
      }
    } catch (IOException e) {
      fail(c, key, e);
    }
  }

  private void connected(Connection c, SelectionKey key) throws IOException {
    if (request.length == 0) {
      key.interestOps(SelectionKey.OP_READ);
    } else {
      c.toWrite = ByteBuffer.wrap(request);
      writeRequest(c, key);
    }
  }

  private void writeRequest(Connection c, SelectionKey key) throws IOException {
    if (c.toWrite.position() == 0) {
      c.requestStart = System.nanoTime();
    }
    c.channel.write(c.toWrite);
    key.interestOps(c.toWrite.hasRemaining() ? SelectionKey.OP_WRITE : SelectionKey.OP_READ);
  }

  private void read(Connection c, SelectionKey key) throws IOException {
    if (perConnection > 0) {
      readReplies(c, key);
      return;
    }
    while (true) {
      readBuffer.clear();
      int n = c.channel.read(readBuffer);
      if (n == 0) {
        return;
      }
      if (n < 0) {
        break;
      }
      if (c.received == 0) {
        firstBytes(c);
      }
      c.received += n;
    }
    key.cancel();
    c.channel.close();
    if (c.received != expectBytes) {
      failed(c, "reply of " + c.received + " bytes, expected " + expectBytes);
      return;
    }
    latencies[c.index] = System.nanoTime() - c.start;
    finished++;
    inFlight--;
  }

  /** Keep-alive mode: reads the current request's reply, then sends the next request or closes. */
  private void readReplies(Connection c, SelectionKey key) throws IOException {
    while (true) {
      readBuffer.clear();
      int n = c.channel.read(readBuffer);
      if (n == 0) {
        return;
      }
      if (n < 0) {
        failed(c, "end of stream after " + c.received + " bytes of reply " + (c.done + 1));
        key.cancel();
        c.channel.close();
        return;
      }
      if (c.done == 0 && c.received == 0) {
        firstBytes(c);
      }
      c.received += n;
      if (c.received > expectBytes) {
        failed(c, "reply of more than " + expectBytes + " bytes");
        key.cancel();
        c.channel.close();
        return;
      }
      if (c.received == expectBytes) {
        latencies[c.index + c.done] = System.nanoTime() - c.requestStart;
        c.done++;
        finished++;
        c.received = 0;
        if (c.done == c.count) {
          key.cancel();
          c.channel.close();
          inFlight--;
          return;
        }
        c.toWrite = ByteBuffer.wrap(request);
        writeRequest(c, key);
        return;
      }
    }
  }

  private void firstBytes(Connection c) {
    if (c.connecting) {
      c.connecting = false;
      connecting--;
    }
    servedOnce++;
  }

  private void fail(Connection c, SelectionKey key, IOException e) {
    if (key != null) {
      key.cancel();
    }
    if (c.channel != null) {
      try {
        c.channel.close();
      } catch (IOException ignored) {
        // already failing
      }
    }
    failed(c, e.toString());
  }

  /** Counts the connection's requests not yet answered as failed, and ends it. */
  private void failed(Connection c, String why) {
    if (c.connecting) {
      c.connecting = false;
      connecting--;
    }
    if (firstError == null) {
      firstError = why;
    }
    int left = c.count - c.done;
    errors += left;
    for (int i = c.done; i < c.count; i++) {
      latencies[c.index + i] = -1;
    }
    finished += left;
    c.done = c.count;
    inFlight--;
  }

  private void runCommand() {
    try {
      Process p = new ProcessBuilder("sh", "-c", onAllConnected).inheritIO().start();
      p.waitFor();
    } catch (IOException e) {
      System.err.println("--on-all-connected failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void joinCommand() throws InterruptedException {
    if (command != null) {
      command.join();
    }
  }

  private String summary(long elapsedNanos, long serverCpuNanos, long ownCpuNanos) {
    long[] ok = Arrays.stream(latencies).filter(l -> l >= 0).sorted().toArray();
    double seconds = elapsedNanos / 1e9;
    int succeeded = requests - errors;
    StringBuilder line =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "requests=%d errors=%d seconds=%.2f rps=%.0f p50_us=%d p99_us=%d",
                requests,
                errors,
                seconds,
                succeeded / seconds,
                percentile(ok, 0.50) / 1000,
                percentile(ok, 0.99) / 1000));
    if (serverCpuNanos >= 0) {
      line.append(
          String.format(
              Locale.ROOT,
              " server_cpu_us_per_req=%.1f",
              serverCpuNanos / 1000.0 / Math.max(1, succeeded)));
    }
    line.append(
        String.format(
            Locale.ROOT,
            " loadgen_cpu_share=%.2f",
            ownCpuNanos / (double) elapsedNanos)); // of one core: near 1.0, it is the bottleneck
    return line.toString();
  }

  private static long percentile(long[] sorted, double p) {
    if (sorted.length == 0) {
      return -1;
    }
    int index = (int) Math.ceil(p * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }

  /** One connection in flight, with its requests (one unless {@code --per-connection}). */
  private static final class Connection {
    final int index;
    final int count;
    final long start;
    SocketChannel channel;
    ByteBuffer toWrite;
    long received;
    long requestStart;
    int done;
    boolean connecting;

    Connection(int index, int count, long start) {
      this.index = index;
      this.count = count;
      this.start = start;
    }
  }
}
