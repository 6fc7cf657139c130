package dev.braid.poetry.cli;

import dev.braid.defer.Deferred;
import dev.braid.defer.Deferreds;
import dev.braid.poetry.TransformProxy;
import dev.braid.poetry.Transformer;
import dev.braid.reactor.Reactor;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@code poetry get} does, shared with {@code poetry demo}: downloads every poem in parallel,
 * each with its own Deferred (the tutorial's client 6.0), transforms each through a transform
 * server when asked (a callback returning the transform's Deferred), falls back to the original
 * poem when the transform fails, and never fails itself: every address ends as a {@link Result}.
 *
 * <p>Threading: reactor thread only.
 */
final class Downloads {
  private Downloads() {}

  /** Which transform to apply, through which server. */
  record Xform(String name, Address server) {}

  /**
   * How one download ended.
   *
   * @param source where the poem came from
   * @param poem the poem (transformed if asked and it worked), or null if the download failed
   * @param bytes the bytes downloaded
   * @param error why the download failed, or null
   * @param note what went wrong with the transform, or null
   */
  record Result(Source source, String poem, long bytes, String error, String note) {
    boolean ok() {
      return poem != null;
    }
  }

  static Deferred<List<Result>> start(
      Reactor reactor,
      List<Source> sources,
      Xform xform,
      Duration timeout,
      ProgressDisplay progress) {
    Transformer transformer =
        xform == null
            ? null
            : TransformProxy.create(reactor, xform.server().host(), xform.server().port());
    List<Deferred<Result>> all = new ArrayList<>();
    for (int i = 0; i < sources.size(); i++) {
      all.add(one(reactor, i, sources.get(i), xform, transformer, timeout, progress));
    }
    return Deferreds.gatherResults(all);
  }

  private static Deferred<Result> one(
      Reactor reactor,
      int index,
      Source source,
      Xform xform,
      Transformer transformer,
      Duration timeout,
      ProgressDisplay progress) {
    Deferred<byte[]> download = source.fetch(reactor, n -> progress.update(index, n));
    if (timeout != null) {
      download.addTimeout(timeout, reactor);
    }
    return download.addCallbacksDeferred(
        bytes -> {
          progress.done(index, bytes.length);
          String poem = new String(bytes, StandardCharsets.UTF_8);
          if (transformer == null) {
            return Deferred.succeed(new Result(source, poem, bytes.length, null, null));
          }
          Deferred<String> transformed = transformer.xform(xform.name(), poem);
          if (timeout != null) {
            transformed.addTimeout(timeout, reactor);
          }
          return transformed.addCallbacks(
              text -> new Result(source, text, bytes.length, null, null),
              failure ->
                  new Result(
                      source,
                      poem,
                      bytes.length,
                      null,
                      "transform '"
                          + xform.name()
                          + "' failed ("
                          + Failures.describeTransform(failure)
                          + "); printing the original poem"));
        },
        failure -> {
          String why = Failures.describe(source.toString(), failure);
          progress.failed(index, why);
          return Deferred.succeed(new Result(source, null, 0, why, null));
        });
  }

  /**
   * Prints the results in order: poems to {@code out} (a blank line between two poems), errors and
   * notes to {@code err} as {@code ADDRESS: why}.
   *
   * @return how many downloads failed
   */
  static int print(List<Result> results, PrintStream out, PrintStream err) {
    int failed = 0;
    boolean first = true;
    for (Result r : results) {
      if (r.note() != null) {
        err.println(r.source() + ": " + r.note());
      }
      if (!r.ok()) {
        failed++;
        err.println(r.source() + ": " + r.error());
        continue;
      }
      if (!first) {
        out.println();
      }
      first = false;
      out.print(r.poem());
      if (!r.poem().endsWith("\n")) {
        out.println();
      }
    }
    out.flush();
    err.flush();
    return failed;
  }
}
