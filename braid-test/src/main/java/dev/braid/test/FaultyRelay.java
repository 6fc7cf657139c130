package dev.braid.test;

import dev.braid.defer.Clock;
import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.net.ClientFactory;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Connector;
import dev.braid.net.Factory;
import dev.braid.net.ListeningPort;
import dev.braid.net.Protocol;
import dev.braid.net.ReactorTcp;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * A TCP relay that injects faults, for testing a client against a misbehaving server on real
 * sockets: it listens on a loopback port, and for each connection it accepts, connects to the real
 * server and relays bytes both ways, applying to what the server sends a {@link Fault} chosen for
 * that connection: a reset after some bytes, a clean close after some bytes, a hang, latency, or
 * tiny chunks. Toxiproxy's idea, in-process on a Braid reactor, with no dependencies.
 *
 * <pre>{@code
 * FaultyRelay relay =
 *     FaultyRelay.start(reactor, reactor, "127.0.0.1", serverPort,
 *         connection -> new FaultyRelay.Fault.ResetAfter(100));
 * Deferred<byte[]> poem = PoetryClient.fetch(reactor, "127.0.0.1", relay.port(), null);
 * ... // the poem fails after 100 bytes
 * relay.stop(); // a Deferred: fires once every relayed connection has ended
 * }</pre>
 *
 * <h2>How faults apply</h2>
 *
 * Only the server-to-client direction is faulted; what the client sends is relayed as it comes. The
 * fault counts the bytes the relay has passed to the client:
 *
 * <ul>
 *   <li>{@link Fault.Pass}: nothing happens; the server's close (clean or reset) is relayed.
 *   <li>{@link Fault.ResetAfter}: after that many bytes, the client's connection is reset
 *       (abortConnection, an RST) and the server's closed.
 *   <li>{@link Fault.CloseAfter}: after that many bytes, the client's connection is closed cleanly
 *       (a FIN, indistinguishable from the end of the stream) and the server's closed.
 *   <li>{@link Fault.HangAfter}: after that many bytes, nothing more reaches the client, and the
 *       connection stays open until the client closes it or the relay stops.
 *   <li>{@link Fault.Latency}: every read from the server reaches the client that much later, in
 *       order; so does the end of the stream.
 *   <li>{@link Fault.TinyChunks}: what the server sends reaches the client in pieces of that many
 *       bytes, one write each, the given gap apart (0: one turn of the reactor loop apart).
 * </ul>
 *
 * If the server ends the stream before a fault's byte count, its end is relayed as it is (after the
 * bytes before it). A server that cannot be reached resets the client's connection.
 *
 * <p>Threading: reactor thread only (before the reactor runs, any one thread may start it). Every
 * timer it schedules is cancelled when its connection ends, so a test that awaits {@link #stop()}
 * leaves nothing behind for the janitor.
 */
public final class FaultyRelay {
  /** What happens to the bytes the server sends on one relayed connection. */
  public sealed interface Fault {
    /** No fault: a plain relay. */
    record Pass() implements Fault {}

    /**
     * Resets the client's connection after {@code bytes} bytes.
     *
     * @param bytes how many bytes reach the client first; 0 for none
     */
    record ResetAfter(long bytes) implements Fault {
      /** Checks the count. */
      public ResetAfter {
        requireNotNegative(bytes);
      }
    }

    /**
     * Closes the client's connection cleanly after {@code bytes} bytes.
     *
     * @param bytes how many bytes reach the client first; 0 for none
     */
    record CloseAfter(long bytes) implements Fault {
      /** Checks the count. */
      public CloseAfter {
        requireNotNegative(bytes);
      }
    }

    /**
     * Stops relaying after {@code bytes} bytes and holds the connection open.
     *
     * @param bytes how many bytes reach the client first; 0 for none
     */
    record HangAfter(long bytes) implements Fault {
      /** Checks the count. */
      public HangAfter {
        requireNotNegative(bytes);
      }
    }

    /**
     * Delays everything the server sends, and its end, by {@code delay}.
     *
     * @param delay the delay, not negative
     */
    record Latency(Duration delay) implements Fault {
      /** Checks the delay. */
      public Latency {
        Objects.requireNonNull(delay, "delay");
        if (delay.isNegative()) {
          throw new IllegalArgumentException("delay must not be negative: " + delay);
        }
      }
    }

    /**
     * Relays in pieces of at most {@code size} bytes, {@code gap} apart.
     *
     * @param size the largest piece, at least 1
     * @param gap the time between two pieces, not negative
     */
    record TinyChunks(int size, Duration gap) implements Fault {
      /** Checks the size and gap. */
      public TinyChunks {
        if (size < 1) {
          throw new IllegalArgumentException("size must be at least 1: " + size);
        }
        Objects.requireNonNull(gap, "gap");
        if (gap.isNegative()) {
          throw new IllegalArgumentException("gap must not be negative: " + gap);
        }
      }
    }

    /**
     * Picks a fault at random, each kind equally likely, with byte counts below {@code
     * streamLength} (so that a reset, close or hang falls inside the stream) and delays up to
     * {@code maxDelay}.
     *
     * @param random the source; seed it to replay a run
     * @param streamLength how long the server's stream is, at least 1
     * @param maxDelay the longest latency or gap
     * @return a fault
     */
    static Fault random(Random random, int streamLength, Duration maxDelay) {
      if (streamLength < 1) {
        throw new IllegalArgumentException("streamLength must be at least 1: " + streamLength);
      }
      long maxNanos = Math.max(1, maxDelay.toNanos());
      return switch (random.nextInt(6)) {
        case 0 -> new Pass();
        case 1 -> new ResetAfter(random.nextInt(streamLength));
        case 2 -> new CloseAfter(random.nextInt(streamLength));
        case 3 -> new HangAfter(random.nextInt(streamLength));
        case 4 -> new Latency(Duration.ofNanos(random.nextLong(maxNanos)));
        default ->
            new TinyChunks(
                1 + random.nextInt(16), Duration.ofNanos(random.nextLong(maxNanos) / 16));
      };
    }

    private static void requireNotNegative(long bytes) {
      if (bytes < 0) {
        throw new IllegalArgumentException("bytes must not be negative: " + bytes);
      }
    }
  }

  private final ReactorTcp tcp;
  private final Clock clock;
  private final String host;
  private final int port;
  private final IntFunction<Fault> plan;
  private final Set<Relayed> open = new LinkedHashSet<>();
  private final List<Deferred<Void>> whenAllClosed = new ArrayList<>();
  private ListeningPort listening;
  private int connections;
  private long bytesToClients;

  private FaultyRelay(ReactorTcp tcp, Clock clock, String host, int port, IntFunction<Fault> plan) {
    this.tcp = tcp;
    this.clock = clock;
    this.host = host;
    this.port = port;
    this.plan = plan;
  }

  /**
   * Starts a relay on an ephemeral loopback port in front of {@code host:port}.
   *
   * @param tcp listens and connects (a real reactor, or a memory reactor)
   * @param clock times latency and gaps (the same reactor, or its virtual clock)
   * @param host the real server's host
   * @param port the real server's port
   * @param plan picks the fault of each accepted connection, given its number (0 for the first)
   * @return the relay, listening
   */
  public static FaultyRelay start(
      ReactorTcp tcp, Clock clock, String host, int port, IntFunction<Fault> plan) {
    FaultyRelay relay =
        new FaultyRelay(
            Objects.requireNonNull(tcp, "tcp"),
            Objects.requireNonNull(clock, "clock"),
            Objects.requireNonNull(host, "host"),
            port,
            Objects.requireNonNull(plan, "plan"));
    relay.listening =
        tcp.listenTCP(0, relay.new Accepting(), ReactorTcp.DEFAULT_BACKLOG, "127.0.0.1");
    return relay;
  }

  /** {@return the relay's loopback port, which clients connect to} */
  public int port() {
    return listening.getHost().getPort();
  }

  /** {@return how many connections the relay has accepted, each given one fault} */
  public int connectionCount() {
    return connections;
  }

  /** {@return how many relayed connections are open: whose client or server side is still open} */
  public int openCount() {
    return open.size();
  }

  /** {@return how many bytes the relay has written to its clients, over every connection} */
  public long bytesToClients() {
    return bytesToClients;
  }

  /**
   * Stops listening and resets every relayed connection still open.
   *
   * @return a Deferred that fires once the port is closed and every relayed connection has ended on
   *     both sides
   */
  public Deferred<Void> stop() {
    Deferred<Void> stopped = listening.stopListening();
    for (Relayed r : List.copyOf(open)) {
      r.abortBoth();
    }
    return stopped.addCallbackDeferred(v -> whenAllClosed());
  }

  private Deferred<Void> whenAllClosed() {
    if (open.isEmpty()) {
      return Deferred.succeed(null);
    }
    Deferred<Void> d = Deferred.create();
    whenAllClosed.add(d);
    return d;
  }

  private void ended(Relayed r) {
    if (open.remove(r) && open.isEmpty()) {
      List<Deferred<Void>> waiters = List.copyOf(whenAllClosed);
      whenAllClosed.clear();
      for (Deferred<Void> d : waiters) {
        d.callback(null);
      }
    }
  }

  @Override
  public String toString() {
    return "FaultyRelay{127.0.0.1:"
        + (listening == null ? "?" : port())
        + " -> "
        + host
        + ":"
        + port
        + ", "
        + connections
        + " connections, "
        + open.size()
        + " open}";
  }

  /** Builds the client-side protocol of each accepted connection. */
  private final class Accepting implements Factory {
    @Override
    public Protocol buildProtocol(InetSocketAddress address) {
      Relayed r = new Relayed(Objects.requireNonNull(plan.apply(connections), "fault"));
      connections++;
      open.add(r);
      return r.client;
    }
  }

  /** One relayed connection: its client side, its server side, and its fault. */
  private final class Relayed {
    final Fault fault;
    final ClientSide client = new ClientSide();
    final ServerSide server = new ServerSide();
    final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    final ArrayDeque<Double> due = new ArrayDeque<>();
    Connector connector;
    DelayedCall pump;
    double lastDue;
    long passed;
    boolean faulted;
    boolean clientGone;
    boolean serverGone;

    Relayed(Fault fault) {
      this.fault = fault;
    }

    void abortBoth() {
      if (!clientGone && client.transport != null) {
        client.transport.abortConnection();
      }
      if (!serverGone) {
        if (server.transport != null) {
          server.transport.abortConnection();
        } else if (connector != null) {
          connector.disconnect();
        }
      }
    }

    /** Bytes from the server: through the fault, then queued or written. */
    void fromServer(byte[] data) {
      if (faulted) {
        return;
      }
      long limit = limit();
      byte[] passing = data;
      if (passed + data.length >= limit) {
        passing = Arrays.copyOf(data, (int) (limit - passed));
        faulted = true;
      }
      passed += passing.length;
      if (fault instanceof Fault.TinyChunks tiny) {
        for (int at = 0; at < passing.length; at += tiny.size()) {
          byte[] piece =
              Arrays.copyOfRange(passing, at, Math.min(passing.length, at + tiny.size()));
          schedule(() -> toClient(piece));
        }
      } else if (passing.length > 0) {
        byte[] piece = passing;
        schedule(() -> toClient(piece));
      }
      if (faulted) {
        switch (fault) {
          case Fault.ResetAfter f ->
              schedule(
                  () -> {
                    client.transport.abortConnection();
                    closeServer();
                  });
          case Fault.CloseAfter f ->
              schedule(
                  () -> {
                    client.transport.loseConnection();
                    closeServer();
                  });
          default -> {} // a hang: nothing more, ever
        }
      }
    }

    /** The byte count after which the fault strikes; MAX_VALUE for faults without one. */
    long limit() {
      return switch (fault) {
        case Fault.ResetAfter f -> f.bytes();
        case Fault.CloseAfter f -> f.bytes();
        case Fault.HangAfter f -> f.bytes();
        default -> Long.MAX_VALUE;
      };
    }

    /** The server ended its stream: relayed in order, unless a fault already took over. */
    void serverEnded(ConnectionEnd reason) {
      serverGone = true;
      if (faulted || clientGone) {
        if (clientGone) {
          finished();
        }
        return;
      }
      schedule(
          () -> {
            if (reason instanceof ConnectionDone) {
              client.transport.loseConnection();
            } else {
              client.transport.abortConnection();
            }
          });
    }

    void toClient(byte[] piece) {
      bytesToClients += piece.length;
      client.transport.write(piece);
    }

    void closeServer() {
      if (!serverGone) {
        if (server.transport != null) {
          server.transport.abortConnection();
        } else if (connector != null) {
          connector.disconnect();
        }
      }
    }

    /** Runs {@code action} when the fault says: at once, later, or after the pieces before it. */
    void schedule(Runnable action) {
      double delay =
          switch (fault) {
            case Fault.Latency f -> Clock.toSeconds(f.delay());
            case Fault.TinyChunks f -> Clock.toSeconds(f.gap());
            default -> 0;
          };
      boolean spaced = fault instanceof Fault.TinyChunks;
      if (!spaced && delay == 0 && queue.isEmpty()) {
        action.run();
        return;
      }
      double now = clock.seconds();
      double when = spaced ? Math.max(now, lastDue + delay) : now + delay;
      when = Math.max(when, lastDue);
      lastDue = when;
      queue.add(action);
      due.add(when);
      if (pump == null) {
        pump = clock.callLater(Math.max(0, when - now), this::runDue);
      }
    }

    void runDue() {
      pump = null;
      double now = clock.seconds();
      while (!queue.isEmpty() && due.peek() <= now + 1e-9 && !clientGone) {
        due.poll();
        queue.poll().run();
        if (fault instanceof Fault.TinyChunks) {
          break; // one piece per turn, even with no gap
        }
      }
      if (!queue.isEmpty() && !clientGone) {
        pump = clock.callLater(Math.max(0, due.peek() - clock.seconds()), this::runDue);
      }
    }

    void clientEnded() {
      clientGone = true;
      queue.clear();
      due.clear();
      if (pump != null && pump.active()) {
        pump.cancel();
      }
      pump = null;
      closeServer();
      if (serverGone) {
        finished();
      }
    }

    void finished() {
      ended(this);
    }

    /** The side facing the client that connected to the relay. */
    final class ClientSide implements Protocol {
      Transport transport;

      @Override
      public void makeConnection(Transport t) {
        transport = t;
        t.pauseProducing(); // nothing to relay to until the server's side is up
        connector = tcp.connectTCP(host, port, server.factory);
      }

      @Override
      public void dataReceived(byte[] data) {
        if (server.transport != null && !serverGone) {
          server.transport.write(data);
        }
      }

      @Override
      public void connectionLost(ConnectionEnd reason) {
        clientEnded();
      }
    }

    /** The side facing the real server. */
    final class ServerSide implements Protocol {
      Transport transport;
      final ClientFactory factory =
          new ClientFactory() {
            @Override
            public Protocol buildProtocol(InetSocketAddress address) {
              return ServerSide.this;
            }

            @Override
            public void clientConnectionFailed(Connector c, ConnectError reason) {
              serverGone = true;
              if (clientGone) {
                finished();
              } else {
                client.transport.abortConnection();
              }
            }
          };

      @Override
      public void makeConnection(Transport t) {
        transport = t;
        if (clientGone) {
          t.abortConnection();
          return;
        }
        client.transport.resumeProducing();
        if (limit() == 0) {
          fromServer(new byte[0]); // a fault after 0 bytes strikes at once
        }
      }

      @Override
      public void dataReceived(byte[] data) {
        fromServer(data);
      }

      @Override
      public void connectionLost(ConnectionEnd reason) {
        serverEnded(reason);
      }
    }
  }
}
