package dev.braid.reactor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.braid.net.BaseProtocol;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ListeningPort;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * A Jazzer fuzz target for what reads bytes off a socket on the native transport: {@link
 * EpollStreamSocket#read} ({@code read(2)} into the reactor's direct buffer) and {@link
 * TcpTransport}'s read loop, which hands the bytes to {@code dataReceived} and tells an end of
 * stream from a reset. The input drives a peer on a real loopback connection to a native reactor:
 * writes of chosen sizes (1 byte to three times the reactor's 64 KiB buffer, and the sizes around
 * it) and contents, interleaved with pauses and resumptions of the reading transport ({@code
 * pauseProducing}/{@code resumeProducing}) and waits until the protocol has caught up, then one end
 * (the input chooses it first): a close (FIN), a half-close of the peer's write side, a reset
 * ({@code SO_LINGER} 0), or a half-close followed by a reset. For every input:
 *
 * <ul>
 *   <li>the protocol receives the bytes written, in order: all of them when the connection ends
 *       cleanly, a prefix of them when the peer reset it (a reset discards what the peer's kernel
 *       had not sent yet);
 *   <li>nothing reaches it after {@code connectionLost}, which comes exactly once: {@link
 *       ConnectionDone} for a close or a half-close, {@link ConnectionLost} "Connection reset" for
 *       a reset (after a half-close, either, depending on whether the FIN got there first: a clean
 *       end then with every byte);
 *   <li>the reactor keeps running (nothing thrown out of its loop; a warning or an error it logs
 *       fails the run through the build's log capture), holds no connection afterwards, and the
 *       process holds the same sockets as before ({@code /proc/self/fd}).
 * </ul>
 *
 * <p>One reactor and its listening port serve every input; each input is one connection and takes a
 * few milliseconds. Where the native transport cannot load (not Linux, no native access) the target
 * is skipped, saying why.
 *
 * <p>Without {@code JAZZER_FUZZ} (every build) the target runs on its checked-in inputs, under
 * {@code src/test/resources/dev/braid/reactor/NativeReadFuzzTestInputs/peerWrites/}, in this
 * module's {@code fuzz-regression} execution (64 MiB of heap). With {@code JAZZER_FUZZ=1} it is
 * fuzzed: {@code bench/run-fuzz 5m NativeReadFuzzTest#peerWrites}.
 */
class NativeReadFuzzTest {
  /** The most bytes one input writes, so that an input stays short. */
  private static final int MAX_TOTAL = 512 * 1024;

  /** Sizes around the reactor's read buffer and its per-event read limit. */
  private static final int[] BOUNDARY_SIZES = {
    SelectorReactor.IO_BUFFER_SIZE - 1,
    SelectorReactor.IO_BUFFER_SIZE,
    SelectorReactor.IO_BUFFER_SIZE + 1,
    2 * SelectorReactor.IO_BUFFER_SIZE,
    2 * SelectorReactor.IO_BUFFER_SIZE + 1,
    3 * SelectorReactor.IO_BUFFER_SIZE
  };

  /** How long any one step may take before the input counts as hung. */
  private static final long TIMEOUT_SECONDS = 10;

  private static SelectorReactor reactor;
  private static Thread reactorThread;
  private static final AtomicReference<Throwable> reactorFailure = new AtomicReference<>();
  private static final BlockingQueue<Reader> accepted = new LinkedBlockingQueue<>();
  private static ListeningPort port;
  private static InetSocketAddress address;
  private static Reader previous;

  /** How the peer ends the connection. */
  private enum End {
    CLOSE,
    HALF_CLOSE,
    RESET,
    HALF_CLOSE_THEN_RESET
  }

  /** The reading side: records what reaches it, and anything that comes out of order. */
  private static final class Reader extends BaseProtocol {
    private final ByteArrayOutputStream received = new ByteArrayOutputStream(); // guarded by this
    final CompletableFuture<ConnectionEnd> lost = new CompletableFuture<>();
    volatile String violation;

    @Override
    protected void connectionMade() {
      accepted.add(this);
    }

    @Override
    public void dataReceived(byte[] data) {
      if (lost.isDone()) {
        violation = data.length + " bytes after connectionLost";
      }
      synchronized (this) {
        received.write(data, 0, data.length);
        notifyAll();
      }
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      super.connectionLost(reason);
      if (!lost.complete(reason)) {
        violation = "connectionLost twice: " + lost.getNow(null) + ", then " + reason;
      }
    }

    synchronized byte[] received() {
      return received.toByteArray();
    }

    /** Waits until {@code count} bytes have arrived (the waits of a fuzz input are short). */
    synchronized void awaitReceived(int count) throws InterruptedException {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
      while (received.size() < count) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          fail("only " + received.size() + " of the " + count + " bytes written arrived");
        }
        TimeUnit.NANOSECONDS.timedWait(this, left);
      }
    }

    dev.braid.net.Transport connection() {
      return transport();
    }
  }

  @BeforeAll
  static void startReactor() throws Exception {
    assumeTrue(
        IoBackend.NATIVE.isAvailable(),
        () ->
            "the native transport cannot load here: "
                + IoBackend.NATIVE.unavailableReason().orElse(""));
    assumeTrue(Files.isDirectory(Path.of("/proc/self/fd")), "needs Linux's /proc/self/fd");
    reactor = SelectorReactor.create(IoBackend.NATIVE);
    reactorThread =
        new Thread(
            () -> {
              try {
                reactor.run();
              } catch (Throwable t) {
                reactorFailure.set(t);
              }
            },
            "native-read-fuzz-reactor");
    reactorThread.start();
    port = onReactor(() -> reactor.listenTCP(0, a -> new Reader(), 50, "127.0.0.1"));
    address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port.getHost().getPort());
    warmUp();
  }

  /**
   * One connection through the peer's calls before the first input counts descriptors: the JDK
   * opens a descriptor of its own, once, at the first close of a socket channel.
   */
  private static void warmUp() throws Exception {
    Reader reader;
    try (SocketChannel peer = SocketChannel.open(address)) {
      reader = accepted.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      assertThat(reader).as("the connection was accepted").isNotNull();
      peer.configureBlocking(false);
      peer.configureBlocking(true);
      peer.shutdownOutput();
      reader.lost.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      peer.setOption(StandardSocketOptions.SO_LINGER, 0);
    }
  }

  @AfterAll
  static void stopReactor() throws Exception {
    if (reactor == null) {
      return;
    }
    onReactor(() -> port.stopListening());
    reactor.stop();
    reactorThread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
    assertThat(reactorThread.isAlive()).as("the reactor thread stopped").isFalse();
    assertThat(reactorFailure.get()).as("what the reactor threw").isNull();
  }

  /** Runs {@code call} on the reactor thread and waits for its result. */
  private static <T> T onReactor(Callable<T> call) throws Exception {
    CompletableFuture<T> result = new CompletableFuture<>();
    reactor.callFromThread(
        () -> {
          try {
            result.complete(call.call());
          } catch (Throwable t) {
            result.completeExceptionally(t);
          }
        });
    try {
      return result.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("failed on the reactor thread", e.getCause());
    } catch (TimeoutException e) {
      throw new AssertionError("the reactor did not answer: " + reactorFailure.get(), e);
    }
  }

  /**
   * {@return the process's open sockets and epoll and event descriptors, each with its inode} Files
   * are left out: the JVM and Jazzer open and close jars (a cleaner may close one during an input).
   */
  private static Map<String, String> openSockets() throws IOException {
    Map<String, String> open = new TreeMap<>();
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(Path.of("/proc/self/fd"))) {
      for (Path fd : fds) {
        String target;
        try {
          target = Files.readSymbolicLink(fd).toString();
        } catch (NoSuchFileException e) {
          continue; // the directory stream's own descriptor, closed by now
        }
        if (target.startsWith("socket:") || target.startsWith("anon_inode:")) {
          open.put(fd.getFileName().toString(), target);
        }
      }
    }
    return open;
  }

  /** The byte at {@code position} of a large write's stream: any reordering shows. */
  private static byte patterned(long position, int seed) {
    return (byte) (position % 251 + seed);
  }

  @FuzzTest(maxDuration = "10m")
  void peerWrites(FuzzedDataProvider data) throws Exception {
    if (previous != null) {
      assertThat(previous.violation).as("the previous connection afterwards").isNull();
    }
    assertThat(reactorFailure.get()).as("what the reactor threw").isNull();
    Map<String, String> socketsBefore = openSockets();

    SocketChannel peer = SocketChannel.open(address);
    Reader reader = accepted.poll(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    assertThat(reader).as("the connection was accepted").isNotNull();
    previous = reader;
    ByteArrayOutputStream written = new ByteArrayOutputStream();
    boolean paused = false;
    End end = data.pickValue(End.values());
    try {
      while (data.remainingBytes() > 0) {
        switch (data.consumeInt(0, 5)) {
          case 0, 1 -> {
            byte[] chunk = data.consumeBytes(data.consumeInt(1, 512));
            if (chunk.length > 0 && written.size() + chunk.length <= MAX_TOTAL) {
              paused = write(peer, reader, chunk, paused);
              written.write(chunk, 0, chunk.length);
            }
          }
          case 2 -> {
            int size =
                data.consumeBoolean()
                    ? data.pickValue(BOUNDARY_SIZES)
                    : data.consumeInt(513, BOUNDARY_SIZES[BOUNDARY_SIZES.length - 1]);
            int seed = data.consumeInt();
            if (written.size() + size <= MAX_TOTAL) {
              byte[] chunk = new byte[size];
              for (int i = 0; i < size; i++) {
                chunk[i] = patterned(written.size() + i, seed);
              }
              paused = write(peer, reader, chunk, paused);
              written.write(chunk, 0, chunk.length);
            }
          }
          case 3 -> {
            if (!paused) {
              onReactor(
                  () -> {
                    reader.connection().pauseProducing();
                    return null;
                  });
              paused = true;
            }
          }
          case 4 -> {
            if (paused) {
              resume(reader);
              paused = false;
            }
          }
          default -> {
            if (!paused) {
              reader.awaitReceived(written.size()); // the next bytes come in a read of their own
            }
          }
        }
      }
      switch (end) {
        case CLOSE -> peer.close();
        case HALF_CLOSE -> peer.shutdownOutput();
        case RESET -> reset(peer);
        case HALF_CLOSE_THEN_RESET -> {
          peer.shutdownOutput();
          reset(peer);
        }
      }
      if (paused) {
        resume(reader); // a paused transport does not see the end until it reads again
      }
      ConnectionEnd reason;
      try {
        reason = reader.lost.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
      } catch (TimeoutException e) {
        throw new AssertionError(
            "no connectionLost after " + end + " (" + written.size() + " bytes written)", e);
      }
      peer.close();
      checkEnd(end, reason, written.toByteArray(), reader.received());
    } finally {
      peer.close();
    }
    assertThat(reader.violation).isNull();
    assertThat(onReactor(() -> reactor.openConnections())).isEmpty();
    assertThat(reactorFailure.get()).as("what the reactor threw").isNull();
    assertThat(openSockets()).as("sockets open after the connection").isEqualTo(socketsBefore);
  }

  /**
   * Writes {@code chunk} as the peer. A paused transport reads nothing, so what the kernel's
   * buffers do not take at once waits for a resumption; returns whether the transport is still
   * paused.
   */
  private static boolean write(SocketChannel peer, Reader reader, byte[] chunk, boolean paused)
      throws Exception {
    ByteBuffer buffer = ByteBuffer.wrap(chunk);
    if (paused) {
      peer.configureBlocking(false);
      peer.write(buffer);
      peer.configureBlocking(true);
      if (!buffer.hasRemaining()) {
        return true;
      }
      resume(reader);
    }
    while (buffer.hasRemaining()) {
      peer.write(buffer);
    }
    return false;
  }

  private static void resume(Reader reader) throws Exception {
    onReactor(
        () -> {
          reader.connection().resumeProducing();
          return null;
        });
  }

  /** Closes with {@code SO_LINGER} 0: the peer's kernel sends a reset, not a FIN. */
  private static void reset(SocketChannel peer) throws IOException {
    peer.setOption(StandardSocketOptions.SO_LINGER, 0);
    peer.close();
  }

  private static void checkEnd(End end, ConnectionEnd reason, byte[] written, byte[] received) {
    boolean clean =
        switch (end) {
          case CLOSE, HALF_CLOSE -> true;
          case RESET -> false;
          case HALF_CLOSE_THEN_RESET -> reason instanceof ConnectionDone;
        };
    if (clean) {
      assertThat(reason)
          .as("how the connection ended after " + end)
          .isInstanceOf(ConnectionDone.class);
      assertSameBytes(received, written, written.length);
    } else {
      assertThat(reason)
          .as("how the connection ended after " + end)
          .isExactlyInstanceOf(ConnectionLost.class)
          .hasMessage("Connection lost: Connection reset")
          .cause()
          .isInstanceOf(SocketException.class);
      assertThat(received.length)
          .as("bytes received of the %d written before the reset", written.length)
          .isLessThanOrEqualTo(written.length);
      assertSameBytes(received, written, received.length);
    }
  }

  /** {@code received} is the first {@code count} bytes of {@code written}, and nothing more. */
  private static void assertSameBytes(byte[] received, byte[] written, int count) {
    int mismatch = Arrays.mismatch(received, 0, received.length, written, 0, count);
    if (mismatch >= 0) {
      fail(
          "received %d bytes, expected the first %d of the %d written; they differ at byte %d",
          received.length, count, written.length, mismatch);
    }
  }
}
