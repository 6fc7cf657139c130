package dev.braid.bench.net;

import dev.braid.defer.Clock;
import dev.braid.net.Factory;
import dev.braid.net.ReactorTcp;
import dev.braid.poetry.Pacing;
import dev.braid.poetry.PoetryServerFactory;
import dev.braid.poetry.PoetryService;
import dev.braid.poetry.TransformServerFactory;
import dev.braid.poetry.TransformService;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.PortSharing;
import dev.braid.reactor.ReactorGroup;
import dev.braid.reactor.SelectorReactor;
import dev.braid.tls.Tls;
import dev.braid.tls.TlsServerOptions;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import javax.net.ssl.SSLException;

/**
 * Starts one benchmark server on 127.0.0.1: Braid's are the real servers of {@code braid-poetry},
 * Netty's the peers of this package, and prints {@code port N} once it listens; it runs until the
 * process is killed. {@code braid} is one {@link SelectorReactor} on the main thread, as before
 * reactor groups; {@code braid-group} a {@link ReactorGroup} of {@code --reactors} reactors sharing
 * the port as {@code --sharing} says ({@code kernel}, the default where the OS has it, or {@code
 * acceptor}); {@code netty} an event loop group of {@code --reactors} loops (1 by default), on
 * which Netty's NIO transport accepts on one loop and hands connections to the loops in turn.
 *
 * <pre>
 * PoemServers braid|braid-group|netty poetry FILE [--delay SECONDS --num-bytes N] [--port P]
 *     [--reactors N] [--sharing kernel|acceptor] [--tls CERT KEY]
 * PoemServers braid|braid-group|netty transform [--port P] [--reactors N] [--sharing ...]
 *     [--tls CERT KEY]
 * </pre>
 *
 * <p>With {@code --tls CERT KEY} (PEM files), the server speaks TLS only: Braid's through {@code
 * braid-tls} ({@code Tls.serverFactory}, as {@code poetry serve --tls-cert}), Netty's through its
 * {@code SslHandler} with {@code SslProvider.JDK}, so both run the JDK's {@code SSLEngine}; both
 * offer TLS 1.3 and 1.2.
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
    Path[] tls = null;
    int reactors = 1;
    PortSharing sharing = PortSharing.best();
    for (int i = next; i + 1 < args.length; i += 2) {
      switch (args[i]) {
        case "--delay" -> delay = Double.parseDouble(args[i + 1]);
        case "--num-bytes" -> numBytes = Integer.parseInt(args[i + 1]);
        case "--port" -> port = Integer.parseInt(args[i + 1]);
        case "--tls" -> {
          tls = new Path[] {Path.of(args[i + 1]), Path.of(args[i + 2])};
          i++;
        }
        case "--reactors" -> reactors = Integer.parseInt(args[i + 1]);
        case "--sharing" -> sharing = PortSharing.valueOf(args[i + 1].toUpperCase(Locale.ROOT));
        default -> throw new IllegalArgumentException("unknown option: " + args[i]);
      }
    }
    Pacing pacing = delay == 0 ? Pacing.atOnce() : Pacing.chunks(numBytes, Clock.toDuration(delay));
    if (poem == null) {
      Transforms.warmUp();
    }
    switch (impl) {
      case "braid" -> runBraid(poem, pacing, port, tls);
      case "braid-group" -> runBraidGroup(poem, pacing, port, reactors, sharing, tls);
      case "netty" -> runNetty(poem, pacing, port, reactors, tls);
      default -> throw new IllegalArgumentException("unknown implementation: " + impl);
    }
  }

  /**
   * The real servers of {@code braid-poetry}, as {@code poetry serve} and {@code transform-server}.
   */
  private static void runBraid(byte[] poem, Pacing pacing, int port, Path[] tls) {
    SelectorReactor reactor = SelectorReactor.create();
    Factory factory =
        poem == null
            ? TransformServerFactory.create(TransformService.standard())
            : PoetryServerFactory.create(PoetryService.of(poem, pacing), reactor);
    if (tls != null) {
      factory = Tls.serverFactory(reactor, TlsServerOptions.fromPem(tls[0], tls[1]), factory);
    }
    var listening = reactor.listenTCP(port, factory, ReactorTcp.DEFAULT_BACKLOG, HOST);
    System.out.println("port " + listening.getHost().getPort());
    System.out.flush();
    reactor.run();
  }

  /** The same servers on a group of reactors, each with its own factory. */
  private static void runBraidGroup(
      byte[] poem, Pacing pacing, int port, int reactors, PortSharing sharing, Path[] tls) {
    ReactorGroup group = ReactorGroup.create(reactors);
    TransformService transforms = TransformService.standard();
    PoetryService service = poem == null ? null : PoetryService.of(poem, pacing);
    TlsServerOptions options = tls == null ? null : TlsServerOptions.fromPem(tls[0], tls[1]);
    GroupPort listening =
        group.listenTCP(
            port,
            reactor -> {
              Factory factory =
                  service == null
                      ? TransformServerFactory.create(transforms)
                      : PoetryServerFactory.create(service, reactor);
              return tls == null ? factory : Tls.serverFactory(reactor, options, factory);
            },
            ReactorTcp.DEFAULT_BACKLOG,
            HOST,
            sharing);
    System.out.println("port " + listening.getHost().getPort());
    System.out.flush();
    group.run();
  }

  private static void runNetty(byte[] poem, Pacing pacing, int port, int loops, Path[] tls)
      throws InterruptedException, SSLException {
    SslContext ssl =
        tls == null
            ? null
            : SslContextBuilder.forServer(tls[0].toFile(), tls[1].toFile())
                .sslProvider(SslProvider.JDK)
                .protocols("TLSv1.3", "TLSv1.2")
                .build();
    EventLoopGroup loop = new MultiThreadIoEventLoopGroup(loops, NioIoHandler.newFactory());
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
                    if (ssl != null) {
                      channel.pipeline().addLast(ssl.newHandler(channel.alloc()));
                    }
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
