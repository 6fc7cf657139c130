package dev.braid.reactor;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketOption;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A TCP connection on a {@link NioPoller}: a non-blocking {@link SocketChannel} and its {@link
 * SelectionKey}. Writes of a {@code byte[]} go through the reactor's direct buffer, as the JDK
 * would copy a heap buffer into one of its own anyway.
 *
 * <p>Threading: reactor thread only.
 */
final class NioStreamSocket implements StreamSocket {
  private final NioPoller poller;
  private final SocketChannel channel;
  private SelectionKey key;
  private boolean detached;

  NioStreamSocket(NioPoller poller, SocketChannel channel) {
    this.poller = poller;
    this.channel = channel;
  }

  @Override
  public void register() throws IOException {
    if (key == null) {
      channel.configureBlocking(false);
      key = channel.register(poller.selector(), 0);
    }
  }

  @Override
  public void attach(IoHandler handler) {
    key.attach(handler);
  }

  @Override
  public void interestOps(int ops) {
    if (key.isValid()) {
      key.interestOps(ops);
    }
  }

  @Override
  public int read(ByteBuffer dst) throws IOException {
    return channel.read(dst);
  }

  @Override
  public int write(ByteBuffer src) throws IOException {
    return channel.write(src);
  }

  @Override
  public int write(byte[] data, int offset, int length, ByteBuffer buffer) throws IOException {
    int written = 0;
    while (written < length) {
      int n = Math.min(buffer.capacity(), length - written);
      buffer.clear();
      buffer.put(data, offset + written, n);
      buffer.flip();
      int w = channel.write(buffer);
      written += w;
      if (w < n) {
        break;
      }
    }
    return written;
  }

  @Override
  public void bind(InetSocketAddress local) throws IOException {
    channel.bind(local);
  }

  @Override
  public boolean connect(InetSocketAddress remote) throws IOException {
    return channel.connect(remote);
  }

  @Override
  public boolean finishConnect() throws IOException {
    return channel.finishConnect();
  }

  @Override
  public InetSocketAddress localAddress() throws IOException {
    return (InetSocketAddress) channel.getLocalAddress();
  }

  @Override
  public InetSocketAddress remoteAddress() throws IOException {
    return (InetSocketAddress) channel.getRemoteAddress();
  }

  @Override
  public <T> void setOption(SocketOption<T> option, T value) throws IOException {
    channel.setOption(option, value);
  }

  @Override
  public void close() throws IOException {
    if (detached) {
      return; // the connection is another poller's now
    }
    if (key != null) {
      key.cancel();
    }
    channel.close();
  }

  @Override
  public boolean isOpen() {
    return !detached && channel.isOpen();
  }

  @Override
  public DetachedSocket detach() {
    if (key != null || detached || !channel.isOpen()) {
      throw new IllegalStateException("only a socket just accepted can be handed over: " + this);
    }
    detached = true;
    return new Detached(channel);
  }

  /** An accepted channel between two reactors; no selector has it yet. */
  private record Detached(SocketChannel channel) implements DetachedSocket {
    @Override
    public StreamSocket attachTo(Poller poller) throws IOException {
      if (poller instanceof NioPoller nio) {
        return new NioStreamSocket(nio, channel);
      }
      close();
      throw new IOException(
          "a connection accepted on java.nio cannot be served on " + poller.backend().cliName());
    }

    @Override
    public void close() {
      try {
        channel.close();
      } catch (IOException e) {
        // released anyway; nothing owns it to be told
      }
    }
  }

  /** {@return the channel, for tests} */
  SocketChannel channel() {
    return channel;
  }

  @Override
  public String toString() {
    return channel.toString();
  }
}
