package dev.braid.protocols;

import dev.braid.net.ConnectionEnd;
import dev.braid.net.Producer;
import dev.braid.net.Protocol;
import dev.braid.net.Transport;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * A protocol that passes every event to the protocol it wraps and tells a {@link Policy} about them
 * (Twisted's {@code policies.ProtocolWrapper}). The wrapped protocol gets a transport that also
 * reports its writes. Frame progress ({@link Framed}) is passed through, so wrappers stack.
 */
final class ProtocolWrapper implements Protocol, Framed {
  /** What a policy sees of one connection; one instance per connection. */
  interface Policy {
    default void connectionMade(ProtocolWrapper connection) {}

    default void beforeDataReceived(ProtocolWrapper connection) {}

    default void afterDataReceived(ProtocolWrapper connection) {}

    default void dataWritten(ProtocolWrapper connection) {}

    default void connectionLost(ProtocolWrapper connection, ConnectionEnd reason) {}
  }

  private final Protocol wrapped;
  private final Policy policy;
  private Transport transport;

  ProtocolWrapper(Protocol wrapped, Policy policy) {
    this.wrapped = wrapped;
    this.policy = policy;
  }

  Protocol wrapped() {
    return wrapped;
  }

  /** The real transport, for the policy to close. */
  Transport transport() {
    return transport;
  }

  @Override
  public void makeConnection(Transport realTransport) {
    this.transport = realTransport;
    policy.connectionMade(this);
    wrapped.makeConnection(new WritingTransport(realTransport));
  }

  @Override
  public void dataReceived(byte[] data) {
    policy.beforeDataReceived(this);
    wrapped.dataReceived(data);
    policy.afterDataReceived(this);
  }

  @Override
  public void connectionLost(ConnectionEnd reason) {
    policy.connectionLost(this, reason);
    wrapped.connectionLost(reason);
  }

  @Override
  public long partialFrameStart() {
    return wrapped instanceof Framed framed ? framed.partialFrameStart() : -1;
  }

  @Override
  public String toString() {
    return "ProtocolWrapper{" + wrapped + "}";
  }

  /** The transport the wrapped protocol sees: the real one, with writes reported. */
  private final class WritingTransport implements Transport {
    private final Transport real;

    WritingTransport(Transport real) {
      this.real = real;
    }

    @Override
    public void write(byte[] data) {
      real.write(data);
      policy.dataWritten(ProtocolWrapper.this);
    }

    @Override
    public void writeSequence(List<byte[]> data) {
      real.writeSequence(data);
      policy.dataWritten(ProtocolWrapper.this);
    }

    @Override
    public void loseConnection() {
      real.loseConnection();
    }

    @Override
    public void abortConnection() {
      real.abortConnection();
    }

    @Override
    public boolean isDisconnecting() {
      return real.isDisconnecting();
    }

    @Override
    public InetSocketAddress getPeer() {
      return real.getPeer();
    }

    @Override
    public InetSocketAddress getHost() {
      return real.getHost();
    }

    @Override
    public void registerProducer(Producer producer) {
      real.registerProducer(producer);
    }

    @Override
    public void unregisterProducer() {
      real.unregisterProducer();
    }

    @Override
    public void setTcpNoDelay(boolean noDelay) {
      real.setTcpNoDelay(noDelay);
    }

    @Override
    public void setTcpKeepAlive(boolean keepAlive) {
      real.setTcpKeepAlive(keepAlive);
    }

    @Override
    public void pauseProducing() {
      real.pauseProducing();
    }

    @Override
    public void resumeProducing() {
      real.resumeProducing();
    }

    @Override
    public void stopProducing() {
      real.stopProducing();
    }

    @Override
    public String toString() {
      return real.toString();
    }
  }
}
