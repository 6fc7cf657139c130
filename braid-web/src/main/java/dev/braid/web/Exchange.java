package dev.braid.web;

import dev.braid.defer.Deferred;
import dev.braid.defer.DelayedCall;
import dev.braid.net.ConnectionAborted;
import dev.braid.net.ConnectionEnd;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * One request in flight: the JDK's future (followed through {@link Deferred#fromFuture}), the
 * Deferred handed to the caller, the timeout timer and, for a streamed response, the body. Every
 * method runs on the reactor thread; the future's outcome is handed over with {@code
 * callFromThread}.
 *
 * <p>It ends exactly once, in one of three ways: {@link #succeed}, {@link #fail}, or {@link
 * #abort}, which also cancels the Deferred that follows the JDK's future, and so the future with
 * {@code cancel(true)} (the only form of cancel that makes the JDK's client abort the exchange and
 * close its connection).
 *
 * @param <T> what the Deferred fires with
 */
final class Exchange<T> {
  private final WebClient client;
  private final Request request;
  private final Deferred<T> result;
  private Deferred<?> response;
  private DelayedCall timer;
  private BodyStream body;
  private boolean finished;

  Exchange(WebClient client, Request request) {
    this.client = client;
    this.request = request;
    this.result = Deferred.create(self -> cancelled());
  }

  Request request() {
    return request;
  }

  Deferred<T> result() {
    return result;
  }

  /**
   * Follows {@code future}; when it succeeds, {@code onResponse} (null for a streamed response,
   * whose body ends it) makes the Deferred's value.
   */
  <B> void begin(
      CompletableFuture<HttpResponse<B>> future, Function<HttpResponse<B>, T> onResponse) {
    Deferred<HttpResponse<B>> following =
        Deferred.fromFuture(future, client.reactor()::callFromThread);
    this.response = following;
    client.started(this);
    Optional<Duration> timeout = request.timeout();
    if (timeout.isPresent()) {
      timer =
          client
              .clock()
              .callLater(
                  timeout.get(),
                  () -> abort(Errors.timeout(request, timeout.get()), new ConnectionAborted()));
    }
    following.addCallbacks(
        value -> {
          completed(value, null, onResponse);
          return null;
        },
        failure -> {
          completed(null, failure.value(), onResponse);
          return null;
        });
  }

  /** The JDK's future completed (or was cancelled by an abort); now on the reactor thread. */
  private <B> void completed(
      HttpResponse<B> response, Throwable error, Function<HttpResponse<B>, T> onResponse) {
    if (finished) {
      return; // aborted meanwhile, or a streamed body already ended it
    }
    if (error != null) {
      if (body != null) {
        body.failed(error);
      } else {
        fail(Errors.translate(request, error));
      }
    } else if (onResponse != null) {
      succeed(onResponse.apply(response));
    }
  }

  /**
   * The body of a streamed response has begun: no more timeout. Returns false if this exchange has
   * already ended, so the body must be discarded.
   */
  boolean attach(BodyStream stream) {
    if (finished) {
      return false;
    }
    this.body = stream;
    cancelTimer();
    return true;
  }

  boolean isFinished() {
    return finished;
  }

  void succeed(T value) {
    if (end()) {
      result.callback(value);
    }
  }

  void fail(Throwable error) {
    if (end()) {
      result.errback(error);
    }
  }

  /**
   * Aborts the exchange: the JDK's client closes its connection, a streamed body's consumer is told
   * {@code forConsumer} from the event loop, and the Deferred fails with {@code error}.
   */
  void abort(Throwable error, ConnectionEnd forConsumer) {
    if (end()) {
      stop(forConsumer);
      result.errback(error);
    }
  }

  /** The Deferred's canceller: abort; the Deferred then fails with a CancelledException. */
  private void cancelled() {
    if (end()) {
      stop(new ConnectionAborted());
    }
  }

  private void stop(ConnectionEnd forConsumer) {
    if (response != null) {
      response.cancel(); // cancels the JDK's future with cancel(true)
    }
    if (body != null) {
      body.abort(forConsumer);
    }
  }

  /** Marks the end; returns false if it had already come. */
  private boolean end() {
    if (finished) {
      return false;
    }
    finished = true;
    cancelTimer();
    client.finished(this);
    return true;
  }

  private void cancelTimer() {
    if (timer != null) {
      if (timer.active()) {
        timer.cancel();
      }
      timer = null;
    }
  }

  @Override
  public String toString() {
    return "exchange " + request;
  }
}
