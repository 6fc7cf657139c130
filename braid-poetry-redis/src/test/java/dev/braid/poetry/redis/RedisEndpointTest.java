package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedisEndpointTest {
  @Test
  void aUrlGivesHostPortDatabaseAndPassword() {
    RedisEndpoint e = RedisEndpoint.parse("redis://:s%40cret@redis.internal:6380/2", Map.of());
    assertThat(e).isEqualTo(new RedisEndpoint("redis.internal", 6380, 2, false, null, "s@cret"));
    assertThat(e.toString()).isEqualTo("redis://redis.internal:6380/2").doesNotContain("cret");
  }

  @Test
  void portAndDatabaseHaveDefaults() {
    assertThat(RedisEndpoint.parse("redis://127.0.0.1", Map.of()))
        .isEqualTo(new RedisEndpoint("127.0.0.1", 6379, 0, false, null, null));
    assertThat(RedisEndpoint.parse("rediss://[::1]:7000/", Map.of()))
        .isEqualTo(new RedisEndpoint("::1", 7000, 0, true, null, null));
  }

  @Test
  void aUserAndPasswordAreForRedisAcls() {
    assertThat(RedisEndpoint.parse("redis://poet:verse@h", Map.of()))
        .isEqualTo(new RedisEndpoint("h", 6379, 0, false, "poet", "verse"));
    assertThat(RedisEndpoint.parse("redis://justapassword@h", Map.of()).password())
        .isEqualTo("justapassword");
  }

  @Test
  void thePasswordComesFromTheEnvironmentWhenTheUrlHasNone() {
    Map<String, String> env = Map.of(RedisEndpoint.PASSWORD_VARIABLE, "from-env");
    assertThat(RedisEndpoint.parse("redis://h:1", env).password()).isEqualTo("from-env");
    assertThat(RedisEndpoint.parse("redis://:in-url@h:1", env).password()).isEqualTo("in-url");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "http://h:1 | the scheme must be redis:// or rediss://",
        "redis://h:0 | the port must be from 1 to 65535",
        "redis://h:1/zero | the path must be a database number",
        "redis://h:1/0?timeout=5 | a query or fragment is not understood",
        "redis:///0 | no host",
        "redis://:pw@h:1/a b | not a URL"
      })
  void aBadUrlIsOneLineNamingItWithoutItsPassword(String url, String why) {
    assertThatThrownBy(() -> RedisEndpoint.parse(url.strip(), Map.of()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(why.strip())
        .hasMessageNotContaining("pw")
        .hasMessageStartingWith("invalid Redis URL '")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }
}
