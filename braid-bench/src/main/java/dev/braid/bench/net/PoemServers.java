package dev.braid.bench.net;

import dev.braid.defer.Clock;
import dev.braid.net.Factory;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.reactor.SelectorReactor;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Starts one benchmark server on 127.0.0.1, each on one thread: Braid's are the real servers of
 * {@code braid-poetry}, Netty's the peers of this package, and prints {@code port N} once it
 * listens; it runs until the process is killed.
 *
 * <pre>
 * PoemServers braid|netty poetry FILE [--delay SECONDS --num-bytes N] [--port P]
 * PoemServers braid|netty transform [--port P]
 * </pre>
 *
 * <p>Socket options, the same on both sides: {@code SO_REUSEADDR} on the listening socket, the
 * system's maximum backlog ({@code somaxconn}), and on connections {@code TCP_NODELAY} off (Braid's
 * and Twisted's default; Netty turns it on unless told) and no other option.
 *
 * <p>The transform server compiles its transform before it listens ({@link Transforms#warmUp}), so
 * that the code both implementations share is compiled from the same profile in both processes.
 */
public final class PoemServers {
  private static final String HOST = "127.0.0.1";

  private PoemServers() {}

  /**
   * Starts the server.
   *
   * @param args see the class comment
   * @throws Exception if it cannot start
   */
  public static void main(String[] args) throws Exception {
    if (args.length < 2) {
      throw new IllegalArgumentException(
          "usage: PoemServers braid|netty poetry FILE [--delay S --num-bytes N] [--port P]"
              + " | PoemServers braid|netty transform [--port P]");
    }
    String impl = args[0];
    String kind = args[1];
    int next = 2;
    byte[] poem = null;
    if (kind.equals("poetry")) {
      poem = Files.readAllBytes(Path.of(args[2]));
      next = 3;
    } else if (!kind.equals("transform")) {
      throw new IllegalArgumentException("unknown server: " + kind);
    }
    double delay = 0;
    int numBytes = 10;
    int port = 0;
    for (int i = next; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--delay" -> delay = Double.parseDouble(args[i + 1]);
        case "--num-bytes" -> numBytes = Integer.parseInt(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    Pacing pacing = delay == 0 ? Pacing.atOnce() : Pacing.chunks(numBytes, Clock.toDuration(delay));
    if (poem == null) {
      Transforms.warmUp();
    }
    switch (impl) {
      case "braid" -> runBraid(poem, pacing, port);
      case "netty" -> runNetty(poem, pacing, port);
      default -> throw new IllegalArgumentException("unknown implementation: " + impl);
    }
  }

  /**
   * The real servers of {@code braid-poetry}, as {@code poetry serve} and {@code transform-server}.
   */
  private static void runBraid(byte[] poem, Pacing pacing, int port) {
    SelectorReactor reactor = SelectorReactor.create();
    Factory factory =
        poem == null
            ? TransformServerFactory.create(TransformService.standard())
            : PoetryServerFactory.create(PoetryService.of(poem, pacing), reactor);
    var listening = reactor.listenTCP(port, factory, ReactorTcp.DEFAULT_BACKLOG, HOST);
    System.out.println("port " + listening.getHost().getPort());
    System.out.flush();
    reactor.run();
  }

  private static void runNetty(byte[] poem, Pacing pacing, int port) throws InterruptedException {
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    ServerBootstrap bootstrap =
        new ServerBootstrap()
            .group(loop)
            .channel(NioServerSocketChannel.class)
            .option(ChannelOption.SO_REUSEADDR, true)
            .childOption(ChannelOption.TCP_NODELAY, false)
            .childHandler(
                new ChannelInitializer<SocketChannel>() {
                  @Override
                  protected void initChannel(SocketChannel channel) {
                    if (poem == null) {
                      channel
                          .pipeline()
                          .addLast(new NettyNetstringDecoder(), new NettyTransformHandler());
                    } else {
                      channel.pipeline().addLast(new NettyPoetryHandler(poem, pacing));
                    }
                  }
                });
    Channel server = bootstrap.bind(HOST, port).sync().channel();
    System.out.println("port " + ((InetSocketAddress) server.localAddress()).getPort());
    System.out.flush();
    server.closeFuture().sync();
  }
}
