package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Deferred;
import dev.braid.defer.Outcome;
import dev.braid.defer.PendingDeferreds;
import dev.braid.poetry.Poems;
import dev.braid.poetry.ProxyShutdownException;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** The Redis cache's rules beyond single flight, against a real redis-server. */
@Tag("loopback")
class RedisPoemCacheTest {
  static final byte[] POEM = Poems.named("the_reactor").bytes();

  @Test
  void whenEveryClientOfTheFetchingMemberLeavesAnotherMemberTakesOverAtOnce(LogCapture logs)
      throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 2, b -> b.lease(Duration.ofSeconds(60)))) {
      Fleet.Member holder = fleet.member(0);
      AtomicReference<Deferred<byte[]>> leaving = new AtomicReference<>();
      holder.r().run(() -> leaving.set(holder.cache().getPoem()));
      fleet.awaitUpstreamConnections(1);
      CompletableFuture<Outcome<byte[]>> waiting = fleet.ask(1);
      fleet.member(1).r().await(() -> Deferred.succeed(null)); // its search has started
      holder.r().run(() -> leaving.get().addErrback(f -> null).cancel());
      // Not the 60 s lease: the holder gave it up ("abandoned") and the other took it.
      fleet.awaitUpstreamConnections(2);
      fleet.upstreamReactor.run(() -> fleet.upstream.serveAtOnce(POEM));
      fleet.release(POEM);
      assertThat(RunningReactor.get(waiting).get()).isEqualTo(POEM);
      assertThat(logs.events())
          .filteredOn(e -> e.message().equals("Every client left; cancelling the fetch."))
          .hasSize(1);
    }
  }

  @Test
  void inDebugModeAPendingDumpSaysWhatAClientWaitsOn() throws Exception {
    boolean before = Deferred.isDebugging();
    Deferred.setDebugging(true);
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 1, b -> {})) {
      Fleet.Member m = fleet.member(0);
      CompletableFuture<Outcome<byte[]>> waiting = fleet.ask(0);
      fleet.awaitUpstreamConnections(1); // it took the lease and is fetching
      String dump = m.r().call(() -> PendingDeferreds.of(Thread.currentThread()).dump());
      assertThat(dump)
          .contains(
              "the poem under "
                  + m.cache().key()
                  + ": fetching it from the upstream server, holding the fleet's lease");
      fleet.release(POEM);
      assertThat(RunningReactor.get(waiting).get()).isEqualTo(POEM);
      assertThat(m.r().call(() -> PendingDeferreds.of(Thread.currentThread()).dump()))
          .doesNotContain("the poem under ");
    } finally {
      Deferred.setDebugging(before);
    }
  }

  @Test
  void inDebugModeAPendingDumpNamesTheRedisCommandAClientWaitsOn() throws Exception {
    boolean before = Deferred.isDebugging();
    Deferred.setDebugging(true);
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 1, b -> b.redisTimeout(Duration.ofSeconds(5)))) {
      Fleet.Member m = fleet.member(0);
      CompletableFuture<Outcome<byte[]>> waiting;
      String dump;
      redis.pause(); // the look-up stays unanswered
      try {
        waiting = fleet.ask(0);
        // Handed to the reactor after the request: runs once the look-up has been sent.
        dump = m.r().call(() -> PendingDeferreds.of(Thread.currentThread()).dump());
      } finally {
        redis.resume();
      }
      assertThat(dump)
          .contains("the poem under " + m.cache().key() + ": looking it up in Redis")
          .contains("Redis at redis://127.0.0.1:" + redis.port())
          .contains(": GET and PTTL of " + m.cache().key());
      fleet.awaitUpstreamConnections(1);
      fleet.release(POEM);
      assertThat(RunningReactor.get(waiting).get()).isEqualTo(POEM);
    } finally {
      Deferred.setDebugging(before);
    }
  }

  @Test
  void shutDownFailsTheWaitingClientsAndEveryLaterOne() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 1, b -> {})) {
      CompletableFuture<Outcome<byte[]>> waiting = fleet.ask(0);
      fleet.awaitUpstreamConnections(1);
      Fleet.Member m = fleet.member(0);
      assertThat(m.r().call(m.cache()::shutDown)).isEqualTo(1);
      assertThat(((Outcome.Failed<byte[]>) RunningReactor.get(waiting)).failure().value())
          .isInstanceOf(ProxyShutdownException.class);
      assertThat(((Outcome.Failed<byte[]>) RunningReactor.get(fleet.ask(0))).failure().value())
          .isInstanceOf(ProxyShutdownException.class);
      assertThat(redis.command("EXISTS", m.cache().key() + ":lease"))
          .as("the lease was given up")
          .isEqualTo(":0");
    }
  }

  @Test
  void aValueUnderTheKeyThatIsNotAPoemIsNeverServedAndIsReplaced(LogCapture logs) throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 1, b -> {})) {
      String key = fleet.member(0).cache().key();
      assertThat(redis.command("SET", key, "not a poem")).isEqualTo("+OK");
      fleet.upstreamReactor.run(() -> fleet.upstream.serveAtOnce(POEM));
      assertThat(RunningReactor.get(fleet.ask(0)).get()).isEqualTo(POEM);
      assertThat(fleet.upstreamConnections()).isEqualTo(1);
      assertThat(redis.command("GET", key)).contains("BP1");
      assertThat(logs.take(Level.WARN, RedisPoemCache.class))
          .singleElement()
          .satisfies(e -> assertThat(e.message()).startsWith("Ignoring the value under " + key));
    }
  }

  @Test
  void aMemberStartedBeforeRedisServesOnItsOwnThenSharesOnceRedisAnswers(LogCapture logs)
      throws Exception {
    logs.allow(
        Level.WARN, io.lettuce.core.protocol.ConnectionWatchdog.class, "Cannot reconnect to");
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 0, b -> {})) {
      redis.kill();
      fleet.upstreamReactor.run(() -> fleet.upstream.serveAtOnce(POEM));
      RunningReactor r = RunningReactor.start();
      RedisPoemCache cache =
          r.call(
              () ->
                  RedisPoemCache.builder(
                          r.reactor(),
                          redis.endpoint(),
                          dev.braid.poetry.PoetryClient.upstream(
                              r.reactor(), "127.0.0.1", fleet.upstreamPort),
                          "127.0.0.1:" + fleet.upstreamPort)
                      .build());
      try {
        r.await(cache::whenRedisDown);
        assertThat(r.outcomeOf(cache::getPoem).get()).isEqualTo(POEM);
        assertThat(r.call(cache::fetchCount)).isEqualTo(1);
        redis.restart();
        r.await(cache::whenRedisUp);
        // Its own copy is served from memory; Redis has nothing until a member fetches again.
        assertThat(r.outcomeOf(cache::getPoem).get()).isEqualTo(POEM);
        assertThat(r.call(cache::memoryHitCount)).isEqualTo(1);
        assertThat(logs.take(Level.WARN, RedisPoemCache.class))
            .singleElement()
            .satisfies(e -> assertThat(e.message()).startsWith("Cannot reach Redis at"));
      } finally {
        r.await(cache::close);
        r.close();
      }
    }
  }
}
