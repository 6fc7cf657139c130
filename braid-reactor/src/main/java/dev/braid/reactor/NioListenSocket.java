package dev.braid.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * A listening TCP socket on a {@link NioPoller}: a non-blocking {@link ServerSocketChannel}.
 *
 * <p>Threading: reactor thread only.
 */
final class NioListenSocket implements ListenSocket {
  private final NioPoller poller;
  private final ServerSocketChannel channel;
  private SelectionKey key;

  NioListenSocket(NioPoller poller, ServerSocketChannel channel) {
    this.poller = poller;
    this.channel = channel;
  }

  @Override
  public void register(IoHandler handler) throws IOException {
    key = channel.register(poller.selector(), 0, handler);
  }

  @Override
  public void interestOps(int ops) {
    if (key.isValid()) {
      key.interestOps(ops);
    }
  }

  @Override
  public StreamSocket accept() throws IOException {
    SocketChannel accepted = channel.accept();
    return accepted == null ? null : new NioStreamSocket(poller, accepted);
  }

  @Override
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  @Override
  public void close() throws IOException {
    if (key != null) {
      key.cancel();
    }
    channel.close();
  }

  @Override
  public String toString() {
    return channel.toString();
  }
}
