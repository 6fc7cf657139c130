package dev.braid.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Requests are checked when built, before any I/O; bad URLs throw naming the URL. */
class RequestBuilderTest {

  @Test
  void aGetHasTheDefaults() {
    Request request = Request.get("http://example.com/poem");
    assertThat(request.method()).isEqualTo("GET");
    assertThat(request.uri()).hasToString("http://example.com/poem");
    assertThat(request.headers().map()).isEmpty();
    assertThat(request.timeout()).isEmpty();
    assertThat(request.connectTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(request.followsRedirects()).isFalse();
    assertThat(request).hasToString("GET http://example.com/poem");
  }

  @Test
  void theBuilderSetsHeadersBodyTimeoutsAndRedirects() {
    Request request =
        Request.builder("POST", "https://example.com/users")
            .header("Accept", "application/json")
            .headers(Map.of("X-Poet", List.of("Yeats", "Auden")))
            .body(new byte[] {1, 2, 3})
            .timeout(Duration.ofSeconds(5))
            .connectTimeout(Duration.ofSeconds(2))
            .followRedirects()
            .build();
    assertThat(request.headers().allValues("x-poet")).containsExactly("Yeats", "Auden");
    assertThat(request.headers().firstValue("accept")).contains("application/json");
    assertThat(request.timeout()).contains(Duration.ofSeconds(5));
    assertThat(request.connectTimeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(request.followsRedirects()).isTrue();
    assertThat(request.httpRequest().bodyPublisher().orElseThrow().contentLength()).isEqualTo(3);
  }

  @Test
  void plainHttpIsSpokenAsHttp11AndHttpsLeavesTheChoiceToAlpn() {
    assertThat(Request.get("http://example.com/").httpRequest().version())
        .contains(HttpClient.Version.HTTP_1_1);
    assertThat(Request.get("https://example.com/").httpRequest().version()).isEmpty();
  }

  @Test
  void badUrlsThrowIllegalArgumentExceptionNamingTheUrl() {
    assertThatThrownBy(() -> Request.get("ftp://example.com/poem"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an http or https URL: ftp://example.com/poem");
    assertThatThrownBy(() -> Request.get("/poem"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("not an absolute URL (no http:// or https://): /poem");
    assertThatThrownBy(() -> Request.get("http://exa mple.com/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("not a valid URL: http://exa mple.com/ (");
    assertThatThrownBy(() -> Request.get("http:///poem"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("URL without a valid host: http:///poem");
    assertThatThrownBy(() -> WebClient.getPage(null, "gopher://example.com/"))
        .isInstanceOf(NullPointerException.class);
  }

  @Test
  void badMethodsAndHeadersAndTimeoutsThrowAtOnce() {
    assertThatThrownBy(() -> Request.builder("GE T", "http://example.com/"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Request.builder("CONNECT", "http://example.com/"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("method not supported: CONNECT");
    Request.Builder builder = Request.builder("GET", "http://example.com/");
    assertThatThrownBy(() -> builder.header("Host", "elsewhere"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("Host");
    assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("timeout must be positive: PT0S");
    assertThatThrownBy(() -> builder.connectTimeout(Duration.ofSeconds(-1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("connectTimeout must be positive: PT-1S");
  }
}
