package dev.braid.web;

import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionDone;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.ConnectionLost;
import dev.braid.net.PushProducer;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A streamed body: the JDK's client pushes it into this subscriber on its own threads, and every
 * signal is handed to the reactor thread, where the {@link BodyConsumer} gets it.
 *
 * <p>Backpressure: one item is requested at a time, and the next only after the reactor thread has
 * delivered the previous one to the consumer (and only while the consumer has not paused). So at
 * most one item (one read of the JDK's client) is ever held here, whatever the body's size; the
 * JDK's client stops reading the socket while nothing is requested, and the server's writes back
 * up.
 *
 * <p>Threading: the {@code Flow.Subscriber} methods run on the JDK's threads and only copy and hand
 * over; everything else, including every call on the subscription, runs on the reactor thread.
 */
final class BodyStream implements HttpResponse.BodySubscriber<Void>, PushProducer {
  private static final Logger LOG = LoggerFactory.getLogger(BodyStream.class);

  private final Exchange<ResponseHead> exchange;
  private final WebClient client;
  private final BodyConsumer consumer;
  private final ResponseHead head;
  private final CompletableFuture<Void> done = new CompletableFuture<>();

  // Reactor thread only.
  private Flow.Subscription subscription;
  private boolean ended;
  private boolean paused;
  private boolean awaiting;

  BodyStream(
      Exchange<ResponseHead> exchange, WebClient client, BodyConsumer consumer, ResponseHead head) {
    this.exchange = exchange;
    this.client = client;
    this.consumer = consumer;
    this.head = head;
  }

  // ---------------------------------------------------------------------------------------------
  // Flow.Subscriber: the JDK's threads

  @Override
  public CompletionStage<Void> getBody() {
    return done;
  }

  @Override
  public void onSubscribe(Flow.Subscription s) {
    client.reactor().callFromThread(() -> subscribed(s));
  }

  @Override
  public void onNext(List<ByteBuffer> items) {
    int size = 0;
    for (ByteBuffer item : items) {
      size += item.remaining();
    }
    byte[] data = new byte[size];
    int at = 0;
    for (ByteBuffer item : items) {
      int n = item.remaining();
      item.get(data, at, n);
      at += n;
    }
    client.bodyBytesReceived(size);
    client.reactor().callFromThread(() -> deliver(data));
  }

  @Override
  public void onError(Throwable error) {
    client.reactor().callFromThread(() -> failed(error));
    done.completeExceptionally(error);
  }

  @Override
  public void onComplete() {
    client.reactor().callFromThread(this::completed);
    done.complete(null);
  }

  // ---------------------------------------------------------------------------------------------
  // Reactor thread

  private void subscribed(Flow.Subscription s) {
    subscription = s;
    if (!exchange.attach(this)) {
      ended = true; // cancelled, timed out or shut down before the head got here
      s.cancel();
      return;
    }
    try {
      consumer.responseReceived(head, this);
    } catch (Throwable t) {
      consumerFailed(t);
      return;
    }
    requestMore();
  }

  private void deliver(byte[] data) {
    client.bodyBytesDelivered(data.length);
    awaiting = false;
    if (ended) {
      return;
    }
    if (data.length > 0) {
      try {
        consumer.dataReceived(data);
      } catch (Throwable t) {
        consumerFailed(t);
        return;
      }
    }
    requestMore();
  }

  private void requestMore() {
    if (!ended && !paused && !awaiting) {
      awaiting = true;
      subscription.request(1);
    }
  }

  private void completed() {
    if (ended) {
      return;
    }
    ended = true;
    tell(new ConnectionDone("the whole response body was received"));
    exchange.succeed(head);
  }

  /** The body broke off (from the subscriber, or from the exchange's future). */
  void failed(Throwable error) {
    if (ended) {
      return;
    }
    ended = true;
    ConnectionLost lost = Errors.bodyFailed(exchange.request(), error);
    tell(lost);
    exchange.fail(lost);
  }

  /** The exchange was aborted: stop the body and tell the consumer from the event loop. */
  void abort(ConnectionEnd reason) {
    if (ended) {
      return;
    }
    ended = true;
    subscription.cancel();
    client.reactor().callFromThread(() -> tell(reason));
  }

  private void consumerFailed(Throwable t) {
    exchange.abort(
        t, new ConnectionLost(exchange.request().uri() + ": the body consumer threw: " + t, t));
  }

  private void tell(ConnectionEnd reason) {
    try {
      consumer.connectionLost(reason);
    } catch (Throwable t) {
      LOG.error("BodyConsumer.connectionLost threw for {}", exchange.request(), t);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // PushProducer: the consumer's controls, reactor thread only

  @Override
  public void pauseProducing() {
    checkThread("pauseProducing()");
    paused = true;
  }

  @Override
  public void resumeProducing() {
    checkThread("resumeProducing()");
    if (paused) {
      paused = false;
      requestMore();
    }
  }

  @Override
  public void stopProducing() {
    checkThread("stopProducing()");
    exchange.abort(new ConnectionAborted(), new ConnectionAborted());
  }

  private void checkThread(String what) {
    if (!client.reactor().isReactorThread()) {
      throw new IllegalStateException(
          what
              + " must be called on the reactor thread, not on "
              + Thread.currentThread().getName());
    }
  }

  @Override
  public String toString() {
    return "body of " + exchange.request();
  }
}
