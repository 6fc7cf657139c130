package dev.braid.examples.cores;

import dev.braid.defer.Deferred;
import dev.braid.net.ReactorTcp;
import dev.braid.net.SystemEventPhase;
import dev.braid.poetry.Poems;
import dev.braid.poetry.TransformException;
import dev.braid.poetry.TransformService;
import dev.braid.protocols.LineOnlyReceiver;
import dev.braid.reactor.GroupPort;
import dev.braid.reactor.ReactorGroup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Shared state, the second way: a thread-safe structure that every reactor uses on its own thread,
 * its results delivered back on each caller's reactor. A memo of a poem's transforms, a {@link
 * ConcurrentHashMap} of futures: the first client to ask for a transform, on whichever reactor,
 * starts its computation on a worker thread; every client, the first included, waits for that same
 * future as a Deferred of its own reactor ({@code Deferred.fromFuture} with its reactor's {@code
 * callFromThread}), so each transform is computed once for the whole group, and no reactor ever
 * blocks or touches another's Deferreds.
 *
 * <p>{@code bin/example cores.SharedMemo [PORT]}: four reactors on port 10001 by default (0 for any
 * free port); a client sends a transform's name on a line ({@code shout}, {@code cummingsify},
 * {@code reverse}) and reads the poem, transformed.
 */
public final class SharedMemo {
  private SharedMemo() {}

  /**
   * Serves the memo until stopped.
   *
   * @param args the port, optional
   */
  public static void main(String[] args) {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 10001;
    String poem = Poems.named("cafe_at_midnight").text();
    TransformService transforms = TransformService.standard();
    ExecutorService workers =
        Executors.newFixedThreadPool(2, work -> Thread.ofPlatform().daemon().unstarted(work));
    ConcurrentHashMap<String, CompletableFuture<String>> memo = new ConcurrentHashMap<>();

    ReactorGroup group = ReactorGroup.create(4);
    GroupPort listening =
        group.listenTCP(
            port,
            reactor ->
                address ->
                    new LineOnlyReceiver() {
                      @Override
                      protected void lineReceived(byte[] line) {
                        String name = new String(line, StandardCharsets.UTF_8).strip();
                        CompletableFuture<String> transformed =
                            memo.computeIfAbsent(
                                name,
                                key ->
                                    CompletableFuture.supplyAsync(
                                        () -> {
                                          System.out.println("computing " + key + ", once");
                                          try {
                                            return transforms.transform(key, poem);
                                          } catch (TransformException e) {
                                            throw new CompletionException(e);
                                          }
                                        },
                                        workers));
                        // The future completes on a worker; the Deferred fires on this reactor.
                        Deferred.fromFuture(transformed, reactor::callFromThread)
                            .addCallbacks(
                                text -> {
                                  sendLine(text.getBytes(StandardCharsets.UTF_8));
                                  return null;
                                },
                                failure -> {
                                  sendLine(
                                      ("no: " + failure.getErrorMessage())
                                          .getBytes(StandardCharsets.UTF_8));
                                  return null;
                                })
                            .addFinally(outcome -> transport().loseConnection());
                      }
                    },
            ReactorTcp.DEFAULT_BACKLOG,
            "127.0.0.1");
    group.addSystemEventTrigger(
        SystemEventPhase.AFTER,
        () -> {
          workers.shutdownNow();
          return null;
        });
    System.out.println(
        "Transforming on port "
            + listening.getHost().getPort()
            + " with "
            + group.size()
            + " reactors");
    group.installShutdownHook(Duration.ofSeconds(10));
    group.run();
  }
}
