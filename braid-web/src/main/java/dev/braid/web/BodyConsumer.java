package dev.braid.web;

import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.PushProducer;

/**
 * Receives a response body piece by piece instead of whole: the protocol of Twisted's {@code
 * Response.deliverBody}. Give one to {@link WebClient#stream}.
 *
 * <p>The calls come in this order, all on the reactor thread: {@link #responseReceived} once, when
 * the status and headers have arrived; {@link #dataReceived} for each piece of the body; then
 * {@link #connectionLost} exactly once. If the request fails before the status arrives (connection
 * refused, timeout, cancelled), none of them is called: only the Deferred fails.
 *
 * <h2>Backpressure</h2>
 *
 * At most one piece is on its way at any time: the next is asked of the JDK's client only after
 * {@code dataReceived} has returned, so a slow consumer slows the download (the server's writes
 * back up) instead of filling memory. {@link PushProducer#pauseProducing()} on the producer given
 * to {@code responseReceived} stops delivery until {@link PushProducer#resumeProducing()}; {@link
 * PushProducer#stopProducing()} aborts the response (its connection is closed).
 *
 * <p>Errors: an exception thrown by {@code responseReceived} or {@code dataReceived} aborts the
 * response and fails the Deferred with it; one thrown by {@code connectionLost} is logged.
 */
public interface BodyConsumer {
  /**
   * The status and headers have arrived; the body follows, unless the consumer pauses or stops the
   * producer here. Does nothing by default.
   *
   * @param head the status and headers
   * @param body controls the delivery of the body: pause, resume, stop; reactor thread only
   */
  default void responseReceived(ResponseHead head, PushProducer body) {}

  /**
   * A piece of the body arrived. Pieces follow no boundary of the content; they are at most the
   * size of one read of the JDK's client (kilobytes).
   *
   * @param data the bytes, never empty; the array belongs to the consumer
   */
  void dataReceived(byte[] data);

  /**
   * The body ended; called exactly once, after every {@code dataReceived}.
   *
   * @param reason {@link ConnectionDone} when the whole body arrived; a {@link ConnectionLost}
   *     naming the URL when the connection broke or the server ended the body early; {@link
   *     ConnectionAborted} when the response was aborted here (the Deferred cancelled, {@code
   *     stopProducing}, a timeout) or a {@link ConnectionLost} when the reactor shut down. After an
   *     abort it is called from the event loop, never from inside the call that aborted.
   */
  void connectionLost(ConnectionEnd reason);
}
