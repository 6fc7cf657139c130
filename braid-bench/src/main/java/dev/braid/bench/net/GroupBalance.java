package dev.braid.bench.net;

import dev.braid.net.BaseProtocol;
import dev.braid.net.ReactorTcp;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.PortSharing;
import dev.braid.reactor.ReactorGroup;
import dev.braid.reactor.SelectorReactor;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * How evenly a {@link ReactorGroup} spreads connections over its reactors, with each {@link
 * PortSharing}: for N = 2 and 4 reactors, connections from 4 client threads (blocking sockets on
 * loopback, each connection read to its end), counted by the reactor that served it. Prints one
 * line per case:
 *
 * <pre>
 * reactors=4 sharing=KERNEL connections=10000 per_reactor=[2516, 2490, 2475, 2519] max/min=1.02
 * reactors=4 sharing=KERNEL connections=16 x 50 runs: some reactor got none in 3 runs, max/min (median) 3.00
 * </pre>
 *
 * <p>Usage: {@code GroupBalance [CONNECTIONS]} (10,000 by default).
 */
public final class GroupBalance {
  private GroupBalance() {}

  /**
   * Runs every case.
   *
   * @param args the number of connections per large case, optional
   * @throws Exception if a server cannot start
   */
  public static void main(String[] args) throws Exception {
    int connections = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    for (int reactors : new int[] {2, 4}) {
      for (PortSharing sharing : PortSharing.values()) {
        long[] counts = run(reactors, sharing, connections);
        System.out.printf(
            "reactors=%d sharing=%s connections=%d per_reactor=%s max/min=%.2f%n",
            reactors, sharing, connections, Arrays.toString(counts), ratio(counts));
        int runs = 50;
        int starved = 0;
        double[] ratios = new double[runs];
        for (int i = 0; i < runs; i++) {
          long[] few = run(reactors, sharing, 16);
          if (Arrays.stream(few).anyMatch(n -> n == 0)) {
            starved++;
          }
          ratios[i] = ratio(few);
        }
        Arrays.sort(ratios);
        System.out.printf(
            "reactors=%d sharing=%s connections=16 x %d runs: some reactor got none in %d runs,"
                + " max/min (median) %.2f%n",
            reactors, sharing, runs, starved, ratios[runs / 2]);
      }
    }
  }

  /** max/min of the counts; infinite when a reactor got none. */
  private static double ratio(long[] counts) {
    long max = Arrays.stream(counts).max().orElse(0);
    long min = Arrays.stream(counts).min().orElse(0);
    return min == 0 ? Double.POSITIVE_INFINITY : (double) max / min;
  }

  /** Serves {@code connections} connections on a group and returns how many each reactor served. */
  private static long[] run(int reactors, PortSharing sharing, int connections) throws Exception {
    ReactorGroup group = ReactorGroup.create(reactors);
    AtomicLongArray served = new AtomicLongArray(reactors);
    List<SelectorReactor> members = group.reactors();
    GroupPort port =
        group.listenTCP(
            0,
            reactor -> {
              int index = members.indexOf(reactor);
              return address -> {
                served.incrementAndGet(index);
                return new BaseProtocol() {
                  @Override
                  protected void connectionMade() {
                    transport().loseConnection();
                  }
                };
              };
            },
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1",
            sharing);
    Thread runner = Thread.ofPlatform().start(group::run);
    int number = port.getHost().getPort();
    int clients = 4;
    List<Thread> threads = new ArrayList<>();
    for (int c = 0; c < clients; c++) {
      int share = connections / clients + (c < connections % clients ? 1 : 0);
      threads.add(
          Thread.ofPlatform()
              .start(
                  () -> {
                    for (int i = 0; i < share; i++) {
                      fetch(number);
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    port.stopListening().join();
    group.stop();
    runner.join();
    long[] counts = new long[reactors];
    for (int i = 0; i < reactors; i++) {
      counts[i] = served.get(i);
    }
    return counts;
  }

  private static void fetch(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      socket.setSoTimeout(10_000);
      InputStream in = socket.getInputStream();
      in.readAllBytes();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
