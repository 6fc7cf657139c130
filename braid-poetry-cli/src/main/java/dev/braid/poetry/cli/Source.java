package dev.braid.poetry.cli;

import dev.braid.defer.Deferred;
import dev.braid.net.ConnectionEnd;
import dev.braid.net.PushProducer;
import dev.braid.net.Reactor;
import dev.braid.poetry.PoemTooLargeException;
import dev.braid.poetry.PoetryClient;
import dev.braid.tls.TlsClientOptions;
import dev.braid.web.BodyConsumer;
import dev.braid.web.Request;
import dev.braid.web.ResponseHead;
import dev.braid.web.WebClient;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.function.LongConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where {@code poetry get} downloads a poem from: a poetry server ({@code [host:]port}, the poetry
 * protocol) or a web page ({@code http://} or {@code https://}, fetched with {@code braid-web}).
 *
 * <p>A web page differs from a poetry server in one way that matters: HTTP says how long the body
 * is, so a body cut short fails instead of passing for a whole poem.
 *
 * <p>Both are held to the same limit: a poem longer than {@code maxPoemBytes}, or one that does not
 * fit in the heap, fails with {@link PoemTooLargeException} and its download is stopped.
 */
sealed interface Source permits Source.PoetryServer, Source.WebPage {
  /**
   * Parses what the user wrote: a URL when it starts with {@code http://} or {@code https://} (in
   * any case), else a {@code [host:]port} address.
   *
   * @throws IllegalArgumentException with a one-line message saying what is wrong
   */
  static Source parse(String text) {
    return parse(text, null);
  }

  /**
   * Parses what the user wrote, as {@link #parse(String)}; a {@code tls:[host:]port} server and an
   * {@code https://} page are verified against {@code trust}'s roots ({@code --tls-ca}), or the
   * JDK's default roots if {@code trust} is null.
   *
   * @throws IllegalArgumentException with a one-line message saying what is wrong
   */
  static Source parse(String text, TlsClientOptions trust) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      try {
        Request.get(text.strip()); // validates, with a message naming the URL
      } catch (IllegalArgumentException e) {
        if (e.getCause() instanceof URISyntaxException u) {
          // The JDK's "... at index 11: URL" is the parser's view; say what is wrong, in words.
          String why = u.getReason();
          throw new IllegalArgumentException(
              "not a valid URL: "
                  + text.strip()
                  + " ("
                  + Character.toLowerCase(why.charAt(0))
                  + why.substring(1)
                  + ")",
              e);
        }
        throw e;
      }
      return new WebPage(text.strip(), trust);
    }
    Matcher scheme = SCHEME.matcher(lower);
    if (scheme.lookingAt()) {
      throw new IllegalArgumentException(
          "unsupported URL scheme '"
              + scheme.group(1)
              + "' in '"
              + text.strip()
              + "': a SOURCE is a poetry server, [host:]port or tls:[host:]port, or a web page,"
              + " http:// or https://");
    }
    return new PoetryServer(Address.parse(text, false), trust);
  }

  /** The start of a URL, {@code scheme://} (RFC 3986's scheme syntax). */
  Pattern SCHEME = Pattern.compile("([a-z][a-z0-9+.-]*)://");

  /**
   * Downloads the poem's bytes, reporting the bytes received so far to {@code progress}; cancelling
   * the Deferred closes the connection.
   */
  Deferred<byte[]> fetch(Reactor reactor, LongConsumer progress, long maxPoemBytes);

  /** What messages call this source: {@code 127.0.0.1:10000} or the URL. */
  @Override
  String toString();

  /**
   * A poetry server, over TLS if its address says {@code tls:}, trusting {@code trust}'s roots (the
   * JDK's if null).
   */
  record PoetryServer(Address address, TlsClientOptions trust) implements Source {
    /** A plain poetry server (or one trusting the JDK's default roots). */
    PoetryServer(Address address) {
      this(address, null);
    }

    @Override
    public Deferred<byte[]> fetch(Reactor reactor, LongConsumer progress, long maxPoemBytes) {
      return PoetryClient.fetch(
          address.dialer(reactor, trust), address.host(), address.port(), progress, maxPoemBytes);
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  /**
   * A web page, fetched with redirects followed, trusting {@code trust}'s roots for HTTPS (the
   * JDK's if null); a status other than 2xx is a failure whose message is the status line ({@code
   * 404 Not Found}). The body is streamed, so that its size is checked as it arrives and its
   * progress shown.
   */
  record WebPage(String url, TlsClientOptions trust) implements Source {
    /** A page fetched with the JDK's default TLS settings. */
    WebPage(String url) {
      this(url, null);
    }

    @Override
    public Deferred<byte[]> fetch(Reactor reactor, LongConsumer progress, long maxPoemBytes) {
      Body body = new Body(progress, maxPoemBytes);
      WebClient client = WebClient.forReactor(reactor);
      if (trust != null) {
        client = client.withTls(trust);
      }
      return client.stream(Request.builder("GET", url).followRedirects().build(), body)
          .addCallback(body::poem)
          .addErrback(
              failure -> {
                // The consumer could only throw it unchecked; the download failed with it.
                if (failure.value() instanceof UncheckedIOException u
                    && u.getCause() instanceof PoemTooLargeException tooLarge) {
                  throw tooLarge;
                }
                return failure.raiseException();
              });
    }

    @Override
    public String toString() {
      return url;
    }
  }

  /** A web page's body, held whole up to the limit (the body of an error status is not kept). */
  final class Body implements BodyConsumer {
    private final LongConsumer progress;
    private final long maxPoemBytes;
    private ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private boolean success;
    private long received;

    Body(LongConsumer progress, long maxPoemBytes) {
      this.progress = progress;
      this.maxPoemBytes = maxPoemBytes;
    }

    @Override
    public void responseReceived(ResponseHead head, PushProducer body) {
      success = head.isSuccess();
    }

    @Override
    public void dataReceived(byte[] data) {
      if (!success) {
        return;
      }
      received += data.length;
      if (received > maxPoemBytes) {
        bytes = null;
        throw new UncheckedIOException(new PoemTooLargeException(maxPoemBytes, received));
      }
      try {
        bytes.writeBytes(data);
      } catch (OutOfMemoryError e) {
        bytes = null;
        throw new UncheckedIOException(new PoemTooLargeException(maxPoemBytes, received, e));
      }
      progress.accept(received);
    }

    @Override
    public void connectionLost(ConnectionEnd reason) {}

    byte[] poem(ResponseHead head) throws IOException {
      if (!head.isSuccess()) {
        throw new IOException(head.statusLine());
      }
      try {
        return bytes.toByteArray();
      } catch (OutOfMemoryError e) {
        throw new PoemTooLargeException(maxPoemBytes, received, e);
      } finally {
        bytes = null;
      }
    }
  }
}
