package dev.braid.web;

import dev.braid.defer.Clock;
import dev.braid.net.ConnectError;
import dev.braid.net.ConnectTimeoutError;
import dev.braid.net.ConnectionLost;
import dev.braid.net.ConnectionRefusedError;
import dev.braid.net.DnsLookupError;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

/**
 * Turns what the JDK's client fails with into Braid's errors, each naming the URL: the {@link
 * ConnectError} family for connection attempts (as {@code connectTCP} reports them), {@link
 * HttpTimeoutException} for the overall timeout, and an {@link IOException} naming the URL around
 * anything else.
 */
final class Errors {
  private Errors() {}

  static Throwable translate(Request request, Throwable error) {
    Throwable e = unwrap(error);
    String name = request.uri().toString();
    if (e instanceof HttpConnectTimeoutException) {
      return new ConnectTimeoutError(
          name + ": connection timed out after " + Clock.describe(request.connectTimeout()), e);
    }
    if (has(e, UnresolvedAddressException.class) || has(e, UnknownHostException.class)) {
      return new DnsLookupError(name + ": DNS lookup failed for " + request.uri().getHost(), e);
    }
    if (e instanceof ConnectException) {
      if (mentions(e, "refused") || lostReason(e)) {
        return new ConnectionRefusedError(name + ": connection refused", e);
      }
      return new ConnectError(name + ": " + describe(e), e);
    }
    if (e instanceof IOException) {
      return new IOException(name + ": " + describe(e), e);
    }
    return e;
  }

  static HttpTimeoutException timeout(Request request, Duration timeout) {
    return new HttpTimeoutException(
        request.uri() + ": no response within " + Clock.describe(timeout));
  }

  static ConnectionLost shuttingDown(Request request) {
    return new ConnectionLost(request.uri() + ": the reactor is shutting down", null);
  }

  static IOException closed(Request request) {
    return new IOException(request.uri() + ": the web client is closed: its reactor has shut down");
  }

  static ConnectionLost bodyFailed(Request request, Throwable error) {
    Throwable e = unwrap(error);
    return new ConnectionLost(request.uri() + ": the response body broke off: " + describe(e), e);
  }

  /** The message of {@code e} and of its causes, or its class name if none has one. */
  static String describe(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return t.getMessage();
      }
    }
    return e.getClass().getName();
  }

  private static Throwable unwrap(Throwable error) {
    Throwable e = error;
    while ((e instanceof CompletionException || e instanceof ExecutionException)
        && e.getCause() != null) {
      e = e.getCause();
    }
    return e;
  }

  private static boolean has(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The JDK's client (21 to 25 at least) retries a connect that failed once, on the channel the
   * failure closed, and so reports a bare {@code ConnectException} caused by a {@code
   * ClosedChannelException}: the reason ("Connection refused") is lost. Nearly always it was a
   * refusal (the other case is the kernel's own connect timeout, when no connect timeout is set),
   * so such a failure is reported as one.
   */
  private static boolean lostReason(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && !t.getMessage().isBlank()) {
        return false;
      }
    }
    return has(e, ClosedChannelException.class);
  }

  private static boolean mentions(Throwable e, String word) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t.getMessage() != null && t.getMessage().toLowerCase(Locale.ROOT).contains(word)) {
        return true;
      }
    }
    return false;
  }
}
