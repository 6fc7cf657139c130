package dev.braid.defer.internal;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * Where code was called from, for debug mode's diagnostics: the stack of the caller of a library's
 * entry point, without the library's own frames on top. One helper for every place that records a
 * site: a {@code Deferred}'s creation and first firing, an {@code Async} body's start, a reactor
 * timer's scheduling (ADR 0042).
 *
 * <pre>{@code
 * private static final CallSites SITES = CallSites.skipping(Deferred.class);
 * ...
 * List<StackTraceElement> createdAt = SITES.here();   // first frame: the code that called in
 * }</pre>
 *
 * <h2>Cost</h2>
 *
 * Debug mode records a site for every Deferred, and reads one only when something goes wrong, so
 * recording is what must be cheap. {@link #here()} records the thread's stack in the JVM's compact
 * form (a {@link Throwable}'s backtrace: methods and bytecode indexes), and the site becomes {@link
 * StackTraceElement}s, its frames named, only when it is first read. Naming the frames is most of
 * the cost of {@code new Throwable().getStackTrace()}, which is what each site used to do at once.
 * Measured with {@code CallSiteBenchmark} (braid-bench, two runs; docs/benchmarks.md), recording
 * this way costs 4–13% of that whole walk; a {@link StackWalker} that names only the nearest 64
 * frames costs 32–76% of it, since it names the frames it keeps one by one after a fixed cost per
 * walk.
 *
 * <p>Not an API: this package is exported only to Braid's own modules.
 *
 * <p>Threading: immutable; {@link #here()} is safe from any thread and records the calling thread's
 * stack; a site may be read from any thread once published safely.
 */
public final class CallSites {
  private final String[] skipped;

  private CallSites(String[] skipped) {
    this.skipped = skipped;
  }

  /**
   * {@return a recorder of sites that skips, on top of the stack, the frames of {@code classes}, of
   * the classes nested in them and of their lambdas}
   *
   * @param classes the library's classes whose frames are not the site
   */
  public static CallSites skipping(Class<?>... classes) {
    String[] names = new String[classes.length + 1];
    names[0] = CallSites.class.getName();
    for (int i = 0; i < classes.length; i++) {
      names[i + 1] = Objects.requireNonNull(classes[i], "class").getName();
    }
    return new CallSites(names);
  }

  /**
   * {@return the calling thread's stack from the first frame that is not one of the skipped
   * classes', nearest first: the frames a {@link Throwable} made here would show below them}
   *
   * <p>The list is unmodifiable. It is recorded now and named on first read (see the class
   * comment).
   */
  public List<StackTraceElement> here() {
    return new Site(new Throwable(), skipped);
  }

  private static boolean isSkipped(String className, String[] skipped) {
    for (String name : skipped) {
      if (className.startsWith(name)
          && (className.length() == name.length() || className.charAt(name.length()) == '$')) {
        return true;
      }
    }
    return false;
  }

  /** A recorded stack, named on first read. */
  private static final class Site extends AbstractList<StackTraceElement> implements RandomAccess {
    private final String[] skipped;
    private Throwable recorded;
    private List<StackTraceElement> frames;

    Site(Throwable recorded, String[] skipped) {
      this.recorded = recorded;
      this.skipped = skipped;
    }

    @Override
    public StackTraceElement get(int index) {
      return frames().get(index);
    }

    @Override
    public int size() {
      return frames().size();
    }

    private synchronized List<StackTraceElement> frames() {
      if (frames == null) {
        StackTraceElement[] all = recorded.getStackTrace();
        int skip = 0;
        while (skip < all.length && isSkipped(all[skip].getClassName(), skipped)) {
          skip++;
        }
        frames = List.of(Arrays.copyOfRange(all, skip, all.length));
        recorded = null;
      }
      return frames;
    }
  }
}
