package dev.braid.poetry.cli;

import dev.braid.defer.Deferred;
import dev.braid.poetry.PoetryClient;
import dev.braid.reactor.Reactor;
import dev.braid.web.Request;
import dev.braid.web.WebClient;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * Where {@code poetry get} downloads a poem from: a poetry server ({@code [host:]port}, the poetry
 * protocol) or a web page ({@code http://} or {@code https://}, fetched with {@code braid-web}).
 *
 * <p>A web page differs from a poetry server in one way that matters: HTTP says how long the body
 * is, so a body cut short fails instead of passing for a whole poem.
 */
sealed interface Source permits Source.PoetryServer, Source.WebPage {
  /**
   * Parses what the user wrote: a URL when it starts with {@code http://} or {@code https://} (in
   * any case), else a {@code [host:]port} address.
   *
   * @throws IllegalArgumentException with a one-line message saying what is wrong
   */
  static Source parse(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://")) {
      Request.get(text.strip()); // validates, with a message naming the URL
      return new WebPage(text.strip());
    }
    return new PoetryServer(Address.parse(text, false));
  }

  /** Downloads the poem's bytes; cancelling the Deferred closes the connection. */
  Deferred<byte[]> fetch(Reactor reactor, LongConsumer progress);

  /** What messages call this source: {@code 127.0.0.1:10000} or the URL. */
  @Override
  String toString();

  /** A poetry server. */
  record PoetryServer(Address address) implements Source {
    @Override
    public Deferred<byte[]> fetch(Reactor reactor, LongConsumer progress) {
      return PoetryClient.fetch(reactor, address.host(), address.port(), progress);
    }

    @Override
    public String toString() {
      return address.toString();
    }
  }

  /** A web page, fetched with redirects followed; a status other than 2xx is a failure. */
  record WebPage(String url) implements Source {
    @Override
    public Deferred<byte[]> fetch(Reactor reactor, LongConsumer progress) {
      return WebClient.getPage(reactor, url);
    }

    @Override
    public String toString() {
      return url;
    }
  }
}
