package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Reading a response: charset, text, status lines, and HttpError's message. No I/O. */
class ResponseTest {
  private static Response response(int status, String contentType, byte[] body) {
    HttpHeaders headers =
        HttpHeaders.of(
            contentType == null ? Map.of() : Map.of("Content-Type", List.of(contentType)),
            (name, value) -> true);
    return new Response(
        Request.get("http://example.com/poem"),
        new ResponseHead(status, headers, HttpClient.Version.HTTP_1_1),
        URI.create("http://example.com/poem"),
        body);
  }

  @Test
  void theCharsetComesFromContentTypeAndDefaultsToUtf8() {
    assertThat(Response.charsetOf("text/plain; charset=ISO-8859-1"))
        .isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(Response.charsetOf("text/html;CHARSET=\"utf-16\""))
        .isEqualTo(StandardCharsets.UTF_16);
    assertThat(Response.charsetOf("text/plain; format=flowed; charset=us-ascii"))
        .isEqualTo(StandardCharsets.US_ASCII);
    assertThat(Response.charsetOf("text/plain")).isEqualTo(StandardCharsets.UTF_8);
    assertThat(Response.charsetOf("text/plain; charset=no-such-charset"))
        .isEqualTo(StandardCharsets.UTF_8);
    assertThat(Response.charsetOf("text/plain; charset=")).isEqualTo(StandardCharsets.UTF_8);
    assertThat(response(200, null, new byte[0]).charset()).isEqualTo(StandardCharsets.UTF_8);
  }

  @Test
  void malformedTextBecomesReplacementCharacters() {
    Response r = response(200, "text/plain; charset=utf-8", new byte[] {'a', (byte) 0xff});
    assertThat(r.text()).isEqualTo("a\ufffd");
  }

  @Test
  void statusLinesUseTheStandardReasonPhrases() {
    assertThat(response(404, null, new byte[0]).head().statusLine()).isEqualTo("404 Not Found");
    assertThat(response(599, null, new byte[0]).head().statusLine()).isEqualTo("599");
    assertThat(response(204, null, new byte[0]).isSuccess()).isTrue();
    assertThat(response(301, null, new byte[0]).isSuccess()).isFalse();
  }

  @Test
  void anHttpErrorSaysStatusLineAndUrlAndCarriesTheResponse() {
    Response r = response(503, "text/plain", "later".getBytes(StandardCharsets.UTF_8));
    HttpError error = new HttpError(r);
    assertThat(error).hasMessage("503 Service Unavailable: http://example.com/poem");
    assertThat(error.status()).isEqualTo(503);
    assertThat(error.body()).isEqualTo("later".getBytes(StandardCharsets.UTF_8));
    assertThat(error.response().text()).isEqualTo("later");
    assertThat(error.headers().firstValue("content-type")).contains("text/plain");
  }
}
