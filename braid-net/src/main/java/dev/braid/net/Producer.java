package dev.braid.net;

/**
 * A source of data written to a {@link Transport} at the pace the transport can take it: Twisted's
 * {@code IProducer}. Register one with {@link Transport#registerProducer}.
 *
 * <p>There are two kinds, and the type says which ({@code registerProducer}'s {@code streaming}
 * flag in Twisted): a {@link PushProducer} writes on its own until the transport pauses it, a
 * {@link PullProducer} writes only when the transport asks for more.
 *
 * <p>Threading: called on the reactor thread.
 */
public sealed interface Producer permits PushProducer, PullProducer {
  /** Stop for good: the consumer is gone (for a transport, the connection closed). */
  void stopProducing();
}
