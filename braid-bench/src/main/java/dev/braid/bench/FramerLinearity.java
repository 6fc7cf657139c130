package dev.braid.bench;

import dev.braid.net.Producer;
import dev.braid.net.Transport;
import dev.braid.protocols.LineFormat;
import dev.braid.protocols.LineReceiver;
import dev.braid.protocols.NetstringFramer;
import dev.braid.protocols.NetstringReceiver;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.function.IntToLongFunction;

/**
 * Whether the framing receivers take linear time: the time to parse 2N bytes divided by the time
 * for N bytes (1.0 would be free, 2.0 linear, 4.0 quadratic), for {@link LineReceiver} and {@link
 * NetstringReceiver}, each fed in two shapes: one frame of N bytes arriving one byte at a time, and
 * N bytes of tiny frames ({@code ab\r\n}, {@code 2:ab,}) arriving in one read. Each time is the
 * best of {@value #ROUNDS} rounds after a warm-up. Twisted's {@code LineReceiver} grows about ×4
 * per doubling in both shapes ({@code bench/twisted_linearity.py} measures it).
 *
 * <p>Usage: {@code FramerLinearity [N]} (default 4 MiB). Prints one line per case.
 */
public final class FramerLinearity {
  private static final int ROUNDS = 5;

  private FramerLinearity() {}

  /**
   * Measures and prints.
   *
   * @param args optionally N, in bytes
   */
  public static void main(String[] args) {
    int n = args.length > 0 ? Integer.parseInt(args[0]) : 4 << 20;
    report("LineReceiver, one line, 1 byte per read", n, FramerLinearity::lineOneByteAtATime);
    report("LineReceiver, 4-byte lines, one read", n, FramerLinearity::tinyLinesInOneRead);
    report(
        "NetstringReceiver, one netstring, 1 byte per read", n, FramerLinearity::netstringOneByte);
    report("NetstringReceiver, 5-byte netstrings, one read", n, FramerLinearity::tinyNetstrings);
  }

  private static void report(String name, int n, IntToLongFunction run) {
    for (int i = 0; i < 3; i++) { // warm-up at both sizes
      run.applyAsLong(n);
      run.applyAsLong(2 * n);
    }
    long one = best(run, n);
    long two = best(run, 2 * n);
    System.out.printf(
        Locale.ROOT,
        "%-52s N=%d: %.2f ms   2N: %.2f ms   ratio %.2f%n",
        name,
        n,
        one / 1e6,
        two / 1e6,
        (double) two / one);
  }

  private static long best(IntToLongFunction run, int n) {
    long best = Long.MAX_VALUE;
    for (int i = 0; i < ROUNDS; i++) {
      best = Math.min(best, run.applyAsLong(n));
    }
    return best;
  }

  private static long lineOneByteAtATime(int n) {
    CountingLines receiver = new CountingLines(LineFormat.crlf().withMaxLength(n));
    receiver.makeConnection(new NullTransport());
    long start = System.nanoTime();
    for (int i = 0; i < n; i++) {
      receiver.dataReceived(new byte[] {'a'}); // each read is a new array, as from a transport
    }
    receiver.dataReceived("\r\n".getBytes(StandardCharsets.US_ASCII));
    long elapsed = System.nanoTime() - start;
    check(receiver.lines == 1, "one line");
    return elapsed;
  }

  private static long tinyLinesInOneRead(int n) {
    byte[] data = repeat("ab\r\n", n);
    CountingLines receiver = new CountingLines(LineFormat.crlf());
    receiver.makeConnection(new NullTransport());
    long start = System.nanoTime();
    receiver.dataReceived(data);
    long elapsed = System.nanoTime() - start;
    check(receiver.lines == n / 4, "all lines");
    return elapsed;
  }

  private static long netstringOneByte(int n) {
    byte[] header = (n + ":").getBytes(StandardCharsets.US_ASCII);
    CountingNetstrings receiver = new CountingNetstrings(n);
    receiver.makeConnection(new NullTransport());
    long start = System.nanoTime();
    for (byte b : header) {
      receiver.dataReceived(new byte[] {b}); // each read is a new array, as from a transport
    }
    for (int i = 0; i < n; i++) {
      receiver.dataReceived(new byte[] {'a'});
    }
    receiver.dataReceived(new byte[] {','});
    long elapsed = System.nanoTime() - start;
    check(receiver.strings == 1, "one netstring");
    return elapsed;
  }

  private static long tinyNetstrings(int n) {
    byte[] data = repeat("2:ab,", n);
    CountingNetstrings receiver = new CountingNetstrings(NetstringFramer.DEFAULT_MAX_LENGTH);
    receiver.makeConnection(new NullTransport());
    long start = System.nanoTime();
    receiver.dataReceived(data);
    long elapsed = System.nanoTime() - start;
    check(receiver.strings == n / 5, "all netstrings");
    return elapsed;
  }

  /** {@code unit} repeated to about {@code n} bytes (whole units only). */
  private static byte[] repeat(String unit, int n) {
    return unit.repeat(n / unit.length()).getBytes(StandardCharsets.US_ASCII);
  }

  private static void check(boolean ok, String what) {
    if (!ok) {
      throw new AssertionError("the receiver did not deliver " + what);
    }
  }

  private static final class CountingLines extends LineReceiver {
    int lines;

    CountingLines(LineFormat format) {
      super(format);
    }

    @Override
    protected void lineReceived(byte[] line) {
      lines++;
    }
  }

  private static final class CountingNetstrings extends NetstringReceiver {
    int strings;

    CountingNetstrings(int maxLength) {
      super(maxLength);
    }

    @Override
    protected void stringReceived(byte[] string) {
      strings++;
    }
  }

  /** A transport that drops what is written; the receivers only need one to exist. */
  private static final class NullTransport implements Transport {
    @Override
    public void write(byte[] data) {}

    @Override
    public void writeSequence(List<byte[]> data) {}

    @Override
    public void loseConnection() {
      throw new AssertionError("the receiver rejected the input");
    }

    @Override
    public void abortConnection() {}

    @Override
    public boolean isDisconnecting() {
      return false;
    }

    @Override
    public InetSocketAddress getPeer() {
      return new InetSocketAddress(0);
    }

    @Override
    public InetSocketAddress getHost() {
      return new InetSocketAddress(0);
    }

    @Override
    public void registerProducer(Producer producer) {}

    @Override
    public void unregisterProducer() {}

    @Override
    public void setTcpNoDelay(boolean noDelay) {}

    @Override
    public void setTcpKeepAlive(boolean keepAlive) {}

    @Override
    public void pauseProducing() {}

    @Override
    public void resumeProducing() {}

    @Override
    public void stopProducing() {}
  }
}
