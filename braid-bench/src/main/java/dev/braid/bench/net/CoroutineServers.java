package dev.braid.bench.net;

import dev.braid.defer.Async;
import dev.braid.defer.DeferredQueue;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.Factory;
import dev.braid.net.ReactorTcp;
import dev.braid.protocols.NetstringReceiver;
import dev.braid.reactor.SelectorReactor;

/**
 * A netstring echo server on one {@link SelectorReactor}, written two ways, for the coroutine goal
 * of {@code docs/benchmarks.md}: CPU per request of a coroutine per connection against the same
 * protocol written with callbacks. Each netstring received is answered with a netstring of the same
 * payload; the connection stays open until the client closes it.
 *
 * <ul>
 *   <li>{@code callbacks}: {@code stringReceived} sends the reply;
 *   <li>{@code async}: {@code connectionMade} starts an {@link Async} body that loops {@code
 *       sendString(Async.await(inbox.get()))}, so every request is one resumption of a suspended
 *       coroutine by the reactor thread (the body ends when the connection does).
 * </ul>
 *
 * <pre>
 * CoroutineServers callbacks|async [--reactor-thread platform|virtual] [--port P]
 * </pre>
 *
 * <p>With {@code --reactor-thread virtual} the reactor loop itself runs on a virtual thread (of the
 * JDK's scheduler), so a body and the loop hand the turn to each other between virtual threads.
 * Prints {@code port N} once it listens; runs until the process is killed.
 */
public final class CoroutineServers {
  private static final String HOST = "127.0.0.1";
  private static final byte[] END = new byte[0];

  private CoroutineServers() {}

  /**
   * Starts the server.
   *
   * @param args see the class comment
   * @throws InterruptedException if interrupted while the reactor runs on a virtual thread
   */
  public static void main(String[] args) throws InterruptedException {
    if (args.length < 1) {
      throw new IllegalArgumentException(
          "usage: CoroutineServers callbacks|async [--reactor-thread platform|virtual] [--port P]");
    }
    boolean async =
        switch (args[0]) {
          case "callbacks" -> false;
          case "async" -> true;
          default -> throw new IllegalArgumentException("unknown style: " + args[0]);
        };
    boolean virtual = false;
    int port = 0;
    for (int i = 1; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--reactor-thread" -> virtual = args[i + 1].equals("virtual");
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    SelectorReactor reactor = SelectorReactor.create();
    Factory factory = address -> async ? new CoroutineEcho() : new CallbackEcho();
    var listening = reactor.listenTCP(port, factory, ReactorTcp.DEFAULT_BACKLOG, HOST);
    System.out.println("port " + listening.getHost().getPort());
    System.out.flush();
    if (virtual) {
      Thread.ofVirtual().name("reactor").start(reactor::run).join();
    } else {
      reactor.run();
    }
  }

  /** The callback style. */
  private static final class CallbackEcho extends NetstringReceiver {
    @Override
    protected void stringReceived(byte[] string) {
      sendString(string);
    }
  }

  /** A coroutine per connection. */
  private static final class CoroutineEcho extends NetstringReceiver {
    private final DeferredQueue<byte[]> inbox = DeferredQueue.unbounded();

    @Override
    protected void connectionMade() {
      Async.run(
          () -> {
            while (true) {
              byte[] request = Async.await(inbox.get());
              if (request == END) {
                return null;
              }
              sendString(request);
            }
          });
    }

    @Override
    protected void stringReceived(byte[] string) {
      inbox.put(string);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {
      inbox.put(END);
    }
  }
}
