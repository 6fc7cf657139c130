package dev.braid.web;

import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.util.Objects;

/**
 * The status line and headers of a response, without its body: what a {@link BodyConsumer} is given
 * before the body arrives, and what {@link WebClient#stream} fires with.
 *
 * @param status the status code, such as 200 or 404
 * @param headers the headers; names are case-insensitive
 * @param version the protocol the response came over
 */
public record ResponseHead(int status, HttpHeaders headers, HttpClient.Version version) {
  /**
   * Checks the fields.
   *
   * @throws NullPointerException if {@code headers} or {@code version} is null
   */
  public ResponseHead {
    Objects.requireNonNull(headers, "headers");
    Objects.requireNonNull(version, "version");
  }

  /**
   * {@return the standard reason phrase of the status, such as "Not Found", or "" for a code
   * without one} The JDK's client does not expose the one the server sent.
   */
  public String reason() {
    return StatusReasons.of(status);
  }

  /** {@return true if the status is 2xx (200 to 299)} */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** {@return the status with its reason phrase, such as "404 Not Found"} */
  public String statusLine() {
    String reason = reason();
    return reason.isEmpty() ? Integer.toString(status) : status + " " + reason;
  }
}
