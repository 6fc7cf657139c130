package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Outcome;
import dev.braid.poetry.Poems;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import dev.braid.test.log.LogEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/**
 * Redis killed and restarted, paused (SIGSTOP) and full (maxmemory, noeviction), under a fleet that
 * keeps serving: every poem whole and exact, nothing shared that Redis would not keep, each change
 * of state logged once, and no client held past the wait limit.
 */
@Tag("loopback")
class RedisFaultTest {
  static final byte[] POEM = Poems.named("single_flight").bytes();
  static final double SLACK = Double.parseDouble(System.getProperty("braid.test.slack", "5.0"));

  /** Lettuce's own lines about its reconnections, which the cache's lost/back lines summarise. */
  static void allowLettuceReconnectLines(LogCapture logs) {
    logs.allow(
        Level.WARN, io.lettuce.core.protocol.ConnectionWatchdog.class, "Cannot reconnect to");
  }

  record Tally(int exact, int other) {}

  /** One round: {@code perMember} clients on every member at once; counts the exact poems. */
  static List<CompletableFuture<Outcome<byte[]>>> round(Fleet fleet, int perMember) {
    List<CompletableFuture<Outcome<byte[]>>> clients = new ArrayList<>();
    for (int i = 0; i < perMember; i++) {
      for (int m = 0; m < fleet.members.size(); m++) {
        clients.add(fleet.client(m));
      }
    }
    return clients;
  }

  static Tally tally(List<CompletableFuture<Outcome<byte[]>>> clients) {
    int exact = 0;
    int other = 0;
    for (CompletableFuture<Outcome<byte[]>> c : clients) {
      Outcome<byte[]> o = RunningReactor.get(c);
      if (o instanceof Outcome.Success<byte[]> s && java.util.Arrays.equals(s.value(), POEM)) {
        exact++;
      } else {
        other++;
      }
    }
    return new Tally(exact, other);
  }

  @Test
  void redisKilledMidRunAndRestartedTheFleetServesEveryPoemWholeAndSharesAgain(LogCapture logs)
      throws Exception {
    allowLettuceReconnectLines(logs);
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 3, b -> b.redisTimeout(Duration.ofMillis(500)))) {
      fleet.upstreamReactor.run(() -> fleet.upstream.serveAtOnce(POEM));
      int exact = 0;
      int other = 0;
      int rounds = 9;
      for (int round = 1; round <= rounds; round++) {
        List<CompletableFuture<Outcome<byte[]>>> clients = round(fleet, 20);
        if (round == 4) {
          redis.kill(); // with this round's clients in flight
        }
        if (round == 7) {
          redis.restart(); // empty
        }
        Tally t = tally(clients);
        exact += t.exact();
        other += t.other();
      }
      for (Fleet.Member m : fleet.members) {
        m.r().await(m.cache()::whenRedisUp);
      }
      Tally last = tally(round(fleet, 20));
      exact += last.exact();
      other += last.other();
      assertThat(other).as("wrong, partial or failed poems").isZero();
      assertThat(redis.command("EXISTS", fleet.member(0).cache().key()))
          .as("shared again after the restart")
          .isEqualTo(":1");
      assertThat(fleet.upstreamConnections())
          .as("one fetch before the kill, one after the restart emptied Redis")
          .isEqualTo(2);
      List<LogEvent> lost = logs.take(Level.WARN, RedisPoemCache.class);
      assertThat(lost)
          .filteredOn(e -> e.message().startsWith("Lost Redis at"))
          .as("one line per member when Redis was lost")
          .hasSize(3);
      assertThat(lost).as("nothing else").hasSize(3);
      assertThat(logs.events())
          .filteredOn(e -> e.message().contains("is back; sharing the cache again"))
          .as("one line per member when it came back")
          .hasSize(3);
      System.out.printf(
          Locale.ROOT,
          "RedisFaultTest: Redis killed mid-run and restarted: %,d poems, %,d exact, %d wrong,"
              + " partial or failed; %d upstream fetches%n",
          exact + other,
          exact,
          other,
          fleet.upstreamConnections());
    }
  }

  @Test
  void aPausedRedisDelaysAClientByTheRedisTimeoutOnlyThenTheMemberServesOnItsOwn(LogCapture logs)
      throws Exception {
    allowLettuceReconnectLines(logs);
    Duration redisTimeout = Duration.ofMillis(200);
    try (RedisServer redis = RedisServer.start();
        Fleet fleet =
            Fleet.start(
                redis, 1, b -> b.redisTimeout(redisTimeout).waitLimit(Duration.ofSeconds(2)))) {
      fleet.upstreamReactor.run(() -> fleet.upstream.serveAtOnce(POEM));
      redis.pause();
      try {
        long start = System.nanoTime();
        assertThat(RunningReactor.get(fleet.client(0)).get()).isEqualTo(POEM);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(seconds).isGreaterThanOrEqualTo(0.2).isLessThan(2 + SLACK);
        assertThat(logs.take(Level.WARN, RedisPoemCache.class))
            .singleElement()
            .satisfies(e -> assertThat(e.message()).startsWith("Lost Redis at").contains("200"));
        // Known lost: the next client is served from memory without asking Redis.
        long again = System.nanoTime();
        assertThat(RunningReactor.get(fleet.client(0)).get()).isEqualTo(POEM);
        double fromMemory = (System.nanoTime() - again) / 1e9;
        assertThat(fleet.member(0).r().call(fleet.member(0).cache()::memoryHitCount)).isEqualTo(1);
        System.out.printf(
            Locale.ROOT,
            "RedisFaultTest: Redis paused: the first cold client served in %.3f s (Redis timeout"
                + " %.1f s), the next from memory in %.3f s%n",
            seconds,
            redisTimeout.toMillis() / 1000.0,
            fromMemory);
      } finally {
        redis.resume();
      }
      Fleet.Member m = fleet.member(0);
      m.r().await(m.cache()::whenRedisUp);
      assertThat(fleet.upstreamConnections()).isEqualTo(1);
    }
  }

  @Test
  void aPausedRedisAndAHungUpstreamFailTheClientAtTheWaitLimitNotLater(LogCapture logs)
      throws Exception {
    allowLettuceReconnectLines(logs);
    Duration waitLimit = Duration.ofSeconds(1);
    try (RedisServer redis = RedisServer.start();
        Fleet fleet =
            Fleet.start(
                redis, 1, b -> b.redisTimeout(Duration.ofMillis(200)).waitLimit(waitLimit))) {
      redis.pause();
      try {
        long start = System.nanoTime();
        CompletableFuture<Outcome<byte[]>> client = fleet.ask(0);
        Outcome<byte[]> o = RunningReactor.get(client);
        double seconds = (System.nanoTime() - start) / 1e9;
        assertThat(o).isInstanceOf(Outcome.Failed.class);
        assertThat(((Outcome.Failed<byte[]>) o).failure().value())
            .isInstanceOf(TimeoutException.class)
            .hasMessageContaining("did not send the whole poem within 1 second");
        assertThat(seconds).isGreaterThanOrEqualTo(1.0).isLessThan(1.0 + SLACK);
        System.out.printf(
            Locale.ROOT,
            "RedisFaultTest: Redis paused and the upstream hung: the client failed after %.3f s"
                + " (wait limit 1 s)%n",
            seconds);
        List<LogEvent> warnings = logs.take(Level.WARN, RedisPoemCache.class);
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(0).message()).startsWith("Lost Redis at");
        assertThat(warnings.get(1).message()).startsWith("Fetching the poem failed: the upstream");
      } finally {
        redis.resume();
      }
      fleet.member(0).r().await(fleet.member(0).cache()::whenRedisUp);
    }
  }

  @Test
  void aFullRedisServesEveryPoemButSharesNone(LogCapture logs) throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 2, b -> {})) {
      // The first member takes the lease and fetches; the second waits on it.
      CompletableFuture<Outcome<byte[]>> a = fleet.client(0);
      fleet.awaitUpstreamConnections(1);
      CompletableFuture<Outcome<byte[]>> b = fleet.client(1);
      fleet.awaitAsked(1, 1);
      fill(redis);
      fleet.upstreamReactor.run(() -> fleet.upstream.serveAtOnce(POEM));
      fleet.release(POEM);
      assertThat(RunningReactor.get(a).get()).isEqualTo(POEM);
      assertThat(RunningReactor.get(b).get()).isEqualTo(POEM);
      assertThat(redis.command("EXISTS", fleet.member(0).cache().key())).isEqualTo(":0");
      assertThat(fleet.upstreamConnections())
          .as("Redis kept neither the poem nor a lease: the second member fetched its own")
          .isEqualTo(2);
      assertThat(logs.events())
          .filteredOn(e -> e.message().startsWith("Redis did not store the poem (OOM"))
          .hasSize(1);
      assertThat(logs.events())
          .filteredOn(e -> e.message().startsWith("Redis refused the lease (OOM"))
          .hasSize(1);
      // Each member serves its own copy from memory from now on; Redis was never lost.
      assertThat(RunningReactor.get(fleet.client(0)).get()).isEqualTo(POEM);
      assertThat(RunningReactor.get(fleet.client(1)).get()).isEqualTo(POEM);
      assertThat(fleet.upstreamConnections()).isEqualTo(2);
      assertThat(fleet.member(0).r().call(fleet.member(0).cache()::isRedisUp)).isTrue();
    }
  }

  /** Sets a memory limit with noeviction and writes until Redis refuses a write. */
  static void fill(RedisServer redis) throws Exception {
    long used = usedMemory(redis);
    assertThat(redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction")).isEqualTo("+OK");
    assertThat(redis.command("CONFIG", "SET", "maxmemory", Long.toString(used + (1 << 20))))
        .isEqualTo("+OK");
    // Large values first, then small ones: a large write can be refused only for its own
    // request buffer, while a small one still fits.
    int i = 0;
    for (int size : new int[] {64 * 1024, 1024, 16}) {
      String junk = "x".repeat(size);
      while (!redis.command("SET", "junk:" + i++, junk).startsWith("-OOM")) {
        assertThat(i).as("Redis never refused a write").isLessThan(100_000);
      }
    }
    // At the limit, memory moves by a few bytes either way and a small write may pass: settle it
    // below what is used, so every write is refused from now on.
    assertThat(
            redis.command(
                "CONFIG", "SET", "maxmemory", Long.toString(usedMemory(redis) - (256 << 10))))
        .isEqualTo("+OK");
  }

  static long usedMemory(RedisServer redis) throws Exception {
    for (String line : redis.command("INFO", "memory").split("\n")) {
      if (line.startsWith("used_memory:")) {
        return Long.parseLong(line.substring("used_memory:".length()).strip());
      }
    }
    throw new AssertionError("no used_memory in INFO memory");
  }
}
