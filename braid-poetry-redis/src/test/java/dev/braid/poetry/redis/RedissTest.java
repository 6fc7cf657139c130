package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Outcome;
import dev.braid.poetry.PoemCache;
import dev.braid.poetry.PoemCacheProvider;
import dev.braid.poetry.Poems;
import dev.braid.poetry.PoetryClient;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code rediss://}: the cache talks TLS to a redis-server that serves only TLS, checking its
 * certificate against the authority named by {@code POETRY_REDIS_CA} (made here with openssl).
 */
@Tag("loopback")
class RedissTest {
  static final byte[] POEM = Poems.named("deferred").bytes();

  @Test
  void aRedissUrlSharesThePoemOverTlsCheckedAgainstTheGivenAuthority(@TempDir Path dir)
      throws Exception {
    Assumptions.assumeTrue(
        RedisServer.installed() && onPath("openssl"), "redis-server or openssl is not installed");
    makeCertificates(dir);
    try (RedisServer redis =
            RedisServer.startTls(
                dir.resolve("server.pem"), dir.resolve("server.key"), dir.resolve("ca.pem"));
        Fleet fleet = Fleet.start(redis, 0, b -> {})) {
      fleet.upstreamReactor.run(() -> fleet.upstream.serveAtOnce(POEM));
      RunningReactor r = fleet.clients;
      PoemCacheProvider provider = PoemCacheProvider.find("rediss://x").orElseThrow();
      PoemCache cache =
          r.call(
              () ->
                  provider.open(
                      "rediss://127.0.0.1:" + redis.port(),
                      new PoemCacheProvider.Settings(
                          r.reactor(),
                          PoetryClient.upstream(r.reactor(), "127.0.0.1", fleet.upstreamPort),
                          "127.0.0.1:" + fleet.upstreamPort,
                          Duration.ofMinutes(1),
                          Duration.ofSeconds(30),
                          1 << 20,
                          Map.of(
                              RedisPoemCacheProvider.CA_VARIABLE,
                              dir.resolve("ca.pem").toString()))));
      RedisPoemCache redisCache = (RedisPoemCache) cache;
      r.await(redisCache::whenRedisUp);
      Outcome<byte[]> o = r.outcomeOf(cache::getPoem);
      assertThat(o.get()).isEqualTo(POEM);
      assertThat(redis.commandTls(dir.resolve("ca.pem"), "EXISTS", redisCache.key()))
          .isEqualTo("1");
      r.await(redisCache::close);
    }
  }

  static boolean onPath(String binary) {
    for (String p : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
      if (Files.isExecutable(Path.of(p, binary))) {
        return true;
      }
    }
    return false;
  }

  /** A certificate authority, and a certificate for 127.0.0.1 that it signed. */
  static void makeCertificates(Path dir) throws Exception {
    run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=Braid test CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.pem");
    run(
        dir,
        "openssl",
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=127.0.0.1",
        "-keyout",
        "server.key",
        "-out",
        "server.csr");
    Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1\n");
    run(
        dir,
        "openssl",
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-days",
        "2",
        "-extfile",
        "san.ext",
        "-out",
        "server.pem");
  }

  static void run(Path dir, String... command) throws Exception {
    Process p =
        new ProcessBuilder(List.of(command))
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes());
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as("%s: %s", String.join(" ", command), out).isZero();
  }
}
