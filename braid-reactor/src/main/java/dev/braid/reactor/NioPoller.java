package dev.braid.reactor;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link Poller} on the JDK's {@link Selector} and channels: the {@code java.nio} backend, which
 * runs wherever Java does. Ready keys are visited with {@link Selector#select(Consumer, long)} (no
 * selected-key set, no iterator); a key's attachment is its {@link IoHandler}.
 *
 * <p>Threading: reactor thread only, except {@link #wakeup()}.
 */
final class NioPoller implements Poller {
  private static final Logger LOG = LoggerFactory.getLogger(NioPoller.class);

  /** How the sockets of connection attempts are opened; a test's opener provokes failures. */
  @FunctionalInterface
  interface ChannelOpener {
    SocketChannel open() throws IOException;
  }

  private final Selector selector;
  private final ChannelOpener opener;
  private Poller.Dispatcher dispatcher;
  private final Consumer<SelectionKey> onReady =
      key -> dispatcher.dispatch((IoHandler) key.attachment(), key.readyOps());

  private NioPoller(Selector selector, ChannelOpener opener) {
    this.selector = selector;
    this.opener = opener;
  }

  /**
   * Opens a selector.
   *
   * @param opener opens the sockets of connection attempts
   * @throws IOException if it cannot be opened
   */
  static NioPoller open(ChannelOpener opener) throws IOException {
    return new NioPoller(Selector.open(), opener);
  }

  /** {@return the selector} */
  Selector selector() {
    return selector;
  }

  @Override
  public IoBackend backend() {
    return IoBackend.NIO;
  }

  @Override
  public void poll(long timeoutMillis, Poller.Dispatcher dispatcher) throws IOException {
    this.dispatcher = dispatcher;
    if (timeoutMillis == 0) {
      selector.selectNow(onReady);
    } else if (timeoutMillis < 0) {
      selector.select(onReady);
    } else {
      selector.select(onReady, timeoutMillis);
    }
  }

  @Override
  public void wakeup() {
    selector.wakeup();
  }

  @Override
  public StreamSocket openStream(InetAddress destination) throws IOException {
    SocketChannel channel = opener.open();
    try {
      channel.configureBlocking(false);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    return new NioStreamSocket(this, channel);
  }

  @Override
  public ListenSocket listen(InetSocketAddress address, int backlog, boolean reusePort)
      throws IOException {
    ServerSocketChannel channel = ServerSocketChannel.open();
    try {
      channel.configureBlocking(false);
      channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
      if (reusePort) {
        channel.setOption(StandardSocketOptions.SO_REUSEPORT, true);
      }
      channel.bind(address, backlog);
    } catch (IOException | RuntimeException e) {
      closeQuietly(channel);
      throw e;
    }
    return new NioListenSocket(this, channel);
  }

  @Override
  public void releaseClosed() {
    try {
      selector.selectNow(); // the JDK closes a registered channel's socket at the next select
    } catch (IOException | RuntimeException e) {
      LOG.debug("final select failed", e);
    }
  }

  @Override
  public void close() {
    try {
      for (SelectionKey key : selector.keys()) {
        closeQuietly(key.channel()); // closing twice does nothing
      }
    } catch (ClosedSelectorException closed) {
      // its keys are gone with it
    }
    try {
      selector.close();
    } catch (IOException | RuntimeException e) {
      LOG.debug("closing the selector failed", e);
    }
  }

  static void closeQuietly(java.nio.channels.Channel channel) {
    try {
      channel.close();
    } catch (IOException e) {
      LOG.debug("closing {} failed", channel, e);
    }
  }

  @Override
  public String toString() {
    return "java.nio poller " + selector;
  }
}
