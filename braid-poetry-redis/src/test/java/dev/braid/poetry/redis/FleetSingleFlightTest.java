package dev.braid.poetry.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.braid.defer.Outcome;
import dev.braid.poetry.Poems;
import dev.braid.poetry.redis.testing.RedisServer;
import dev.braid.test.RunningReactor;
import dev.braid.test.log.LogCapture;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.event.Level;

/** A fleet of three proxies on one real Redis acts as one cache with one upstream fetch. */
@Tag("loopback")
class FleetSingleFlightTest {
  static final byte[] POEM = Poems.named("single_flight").bytes();
  static final int CLIENTS_PER_MEMBER = 1000;

  @Test
  void threeProxiesWithAThousandColdClientsEachMakeExactlyOneUpstreamFetch() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 3, b -> {})) {
      List<CompletableFuture<Outcome<byte[]>>> clients = new ArrayList<>();
      for (int i = 0; i < CLIENTS_PER_MEMBER; i++) {
        for (int m = 0; m < 3; m++) {
          clients.add(fleet.client(m));
        }
      }
      for (int m = 0; m < 3; m++) {
        fleet.awaitAsked(m, CLIENTS_PER_MEMBER);
      }
      fleet.awaitUpstreamConnections(1);
      long released = System.nanoTime();
      fleet.release(POEM);
      int exact = 0;
      for (CompletableFuture<Outcome<byte[]>> c : clients) {
        if (RunningReactor.get(c).get().length == POEM.length) {
          assertThat(RunningReactor.get(c).get()).isEqualTo(POEM);
          exact++;
        }
      }
      double seconds = (System.nanoTime() - released) / 1e9;
      assertThat(exact).isEqualTo(3 * CLIENTS_PER_MEMBER);
      assertThat(fleet.upstreamConnections()).as("upstream fetches").isEqualTo(1);
      long fetches = 0;
      long sharedHits = 0;
      for (Fleet.Member m : fleet.members) {
        fetches += m.r().call(m.cache()::fetchCount);
        sharedHits += m.r().call(m.cache()::sharedHitCount);
      }
      assertThat(fetches).isEqualTo(1);
      assertThat(sharedHits).as("the two members that waited found it in Redis").isEqualTo(2);
      System.out.printf(
          Locale.ROOT,
          "FleetSingleFlightTest: 3 proxies x %,d cold clients: %d upstream fetch, %,d of %,d"
              + " poems exact, all delivered %.3f s after the upstream sent the poem%n",
          CLIENTS_PER_MEMBER,
          fleet.upstreamConnections(),
          exact,
          clients.size(),
          seconds);
    }
  }

  @Test
  void aPoemCachedByOneMemberIsServedByTheOthersWithoutAFetch() throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 3, b -> {})) {
      CompletableFuture<Outcome<byte[]>> first = fleet.client(0);
      fleet.awaitUpstreamConnections(1);
      fleet.release(POEM);
      assertThat(RunningReactor.get(first).get()).isEqualTo(POEM);
      for (int m = 1; m < 3; m++) {
        assertThat(RunningReactor.get(fleet.client(m)).get()).isEqualTo(POEM);
      }
      assertThat(fleet.upstreamConnections()).isEqualTo(1);
      assertThat(redis.command("PTTL", fleet.member(0).cache().key()))
          .as("stored with the TTL (2 hours by default)")
          .matches(":7\\d{6}");
    }
  }

  @Test
  void aFailedFetchFailsTheWaitersOfEveryMemberAndCachesNothing(LogCapture logs) throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 3, b -> {})) {
      List<CompletableFuture<Outcome<byte[]>>> clients = new ArrayList<>();
      for (int m = 0; m < 3; m++) {
        for (int i = 0; i < 10; i++) {
          clients.add(fleet.client(m));
        }
      }
      for (int m = 0; m < 3; m++) {
        fleet.awaitAsked(m, 10);
      }
      fleet.awaitUpstreamConnections(1);
      // The two members that did not take the lease wait on it (a member whose claim came after
      // the failure would start a new fetch of its own, as a client after a failed fetch does).
      for (Fleet.Member m : fleet.members) {
        if (m.r().call(m.cache()::fetchCount) == 0) {
          m.r().await(m.cache()::whenWaitingOnAnotherMember);
        }
      }
      fleet.reset(POEM, POEM.length / 2);
      for (CompletableFuture<Outcome<byte[]>> c : clients) {
        assertThat(RunningReactor.get(c))
            .as("a failure, never half a poem")
            .isInstanceOf(Outcome.Failed.class);
      }
      assertThat(redis.command("EXISTS", fleet.member(0).cache().key())).isEqualTo(":0");
      List<String> warnings =
          logs.take(Level.WARN, RedisPoemCache.class).stream().map(e -> e.message()).toList();
      assertThat(warnings).hasSize(3);
      assertThat(warnings)
          .filteredOn(w -> w.startsWith("Fetching the poem failed: connection lost after"))
          .as("the fetching member's")
          .hasSize(1);
      assertThat(warnings)
          .filteredOn(
              w ->
                  w.startsWith(
                      "Fetching the poem failed: another proxy of the fleet says: connection lost"))
          .as("the waiting members'")
          .hasSize(2);
      // The next client fetches again, and its poem is shared.
      CompletableFuture<Outcome<byte[]>> next = fleet.client(1);
      fleet.awaitUpstreamConnections(2);
      fleet.release(POEM);
      assertThat(RunningReactor.get(next).get()).isEqualTo(POEM);
      assertThat(RunningReactor.get(fleet.client(2)).get()).isEqualTo(POEM);
      assertThat(fleet.upstreamConnections()).isEqualTo(2);
    }
  }

  @Test
  void aPoemOverTheSizeLimitIsServedButNotShared(LogCapture logs) throws Exception {
    try (RedisServer redis = RedisServer.start();
        Fleet fleet = Fleet.start(redis, 2, b -> b.maxCachedSize(100))) {
      CompletableFuture<Outcome<byte[]>> a = fleet.client(0);
      CompletableFuture<Outcome<byte[]>> b = fleet.client(1);
      fleet.awaitAsked(0, 1);
      fleet.awaitAsked(1, 1);
      fleet.awaitUpstreamConnections(1);
      fleet.release(POEM);
      // The holder serves it; the other member is told it was not shared and fetches its own.
      fleet.awaitUpstreamConnections(2);
      fleet.release(POEM);
      assertThat(RunningReactor.get(a).get()).isEqualTo(POEM);
      assertThat(RunningReactor.get(b).get()).isEqualTo(POEM);
      assertThat(redis.command("EXISTS", fleet.member(0).cache().key())).isEqualTo(":0");
      // Each member now serves its own copy from memory.
      assertThat(RunningReactor.get(fleet.client(0)).get()).isEqualTo(POEM);
      assertThat(RunningReactor.get(fleet.client(1)).get()).isEqualTo(POEM);
      assertThat(fleet.upstreamConnections()).isEqualTo(2);
      assertThat(logs.events())
          .filteredOn(
              e -> e.message().contains("is larger than the 100 bytes shared through Redis"))
          .hasSize(2);
    }
  }
}
