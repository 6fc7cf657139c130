package dev.braid.web;

import java.net.URI;
import java.net.http.HttpHeaders;

/**
 * A response whose status is not 2xx, as a failure: Twisted's {@code twisted.web.error.Error}.
 * {@link WebClient#getPage} fails with it; it carries the status, the headers and the body (which
 * often explains the error). The message is the status line and the URL, such as {@code "404 Not
 * Found: http://example.com/missing"}.
 *
 * <pre>{@code
 * WebClient.getPage(reactor, url).addErrback(failure -> {
 *   failure.trap(HttpError.class);
 *   HttpError error = (HttpError) failure.value();
 *   return error.status() == 404 ? new byte[0] : error.body();
 * });
 * }</pre>
 */
public final class HttpError extends Exception {
  private static final long serialVersionUID = 1L;

  private final int status;
  private final URI uri;
  private final byte[] body;
  private final transient Response response;

  HttpError(Response response) {
    super(response.head().statusLine() + ": " + response.uri());
    this.status = response.status();
    this.uri = response.uri();
    this.body = response.body();
    this.response = response;
  }

  /** {@return the status code, such as 404} */
  public int status() {
    return status;
  }

  /** {@return the URL that answered: the final URL, after any redirect followed} */
  public URI uri() {
    return uri;
  }

  /** {@return the body of the error response: its bytes, not a copy (do not change them)} */
  public byte[] body() {
    return body;
  }

  /**
   * {@return the headers of the error response}
   *
   * @throws IllegalStateException if this error was deserialized (the response is not kept)
   */
  public HttpHeaders headers() {
    return response().headers();
  }

  /**
   * {@return the whole response, to read its body as text or JSON}
   *
   * @throws IllegalStateException if this error was deserialized (the response is not kept)
   */
  public Response response() {
    if (response == null) {
      throw new IllegalStateException("the response is not kept when an HttpError is serialized");
    }
    return response;
  }
}
