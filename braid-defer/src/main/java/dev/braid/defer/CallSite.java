package dev.braid.defer;

import dev.braid.defer.internal.CallSites;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a callback was added to a Deferred, recorded in debug mode: the Deferred method that was
 * called ({@code addCallback}, {@code addTimeout}...), the first frame outside {@link Deferred}
 * (its {@link #site()}), and, when that frame is in one of this library's own combinators ({@code
 * DeferredList}, {@code Async}...), the first frame outside the library too (its {@link
 * #userSite()}).
 *
 * <p>A lambda's class name ({@code Foo$$Lambda/0x…}) names only the class that wrote it, and a
 * non-serializable lambda does not say which method implements it; the line that added it does.
 *
 * <p>The stack is recorded with {@link CallSites}, debug mode's one helper for sites (ADR 0042): in
 * the JVM's compact form when the callback is added, its frames named and the method and sites
 * found only when a dump or a picture first reads them. {@link Stack} does the same for a whole
 * creation or firing stack.
 *
 * <p>Threading: recorded on any thread; safe to read from any thread once published safely (the
 * first read is synchronized).
 */
final class CallSite {
  /** Keeps Deferred's own frames: the last of them names the method that was called. */
  private static final CallSites ADDED = CallSites.skipping(CallSite.class);

  /** Creation and firing stacks start at the caller of Deferred. */
  private static final CallSites CALLED =
      CallSites.skipping(CallSite.class, DebugInfo.class, Deferred.class);

  private static final String DEFERRED = Deferred.class.getName();
  private static final String PACKAGE = Deferred.class.getPackageName() + ".";

  /**
   * Top-level classes of this package, by name: whether each is this library's (loaded from where
   * {@link Deferred} was), so that tests and examples written in the same package count as user
   * code. Filled only when sites are read.
   */
  private static final Map<String, Boolean> LIBRARY = new ConcurrentHashMap<>();

  /** An unknown site (links added before debug mode was turned on). */
  static final CallSite UNKNOWN = new CallSite(List.of());

  private List<StackTraceElement> recorded; // null once read
  private String method;
  private StackTraceElement site;
  private StackTraceElement userSite;

  private CallSite(List<StackTraceElement> recorded) {
    this.recorded = recorded;
  }

  /** {@return the site of the code that called into Deferred on this thread now} */
  static CallSite here() {
    return new CallSite(ADDED.here());
  }

  /** {@return the Deferred method called, such as {@code addCallback}; empty if unknown} */
  String method() {
    read();
    return method;
  }

  /** {@return the first frame outside Deferred; null if there was none} */
  StackTraceElement site() {
    read();
    return site;
  }

  /** {@return the first frame outside this library when {@link #site()} is inside it, else null} */
  StackTraceElement userSite() {
    read();
    return userSite;
  }

  private synchronized void read() {
    if (recorded == null) {
      return;
    }
    String calledMethod = "";
    StackTraceElement first = null;
    StackTraceElement user = null;
    for (StackTraceElement frame : recorded) {
      if (first == null && isDeferredFrame(frame.getClassName())) {
        calledMethod = frame.getMethodName();
      } else if (first == null) {
        first = frame;
        if (!isLibrary(frame)) {
          break;
        }
      } else if (!isLibrary(frame)) {
        user = frame;
        break;
      }
    }
    method = calledMethod;
    site = first;
    userSite = user;
    recorded = null;
  }

  /**
   * A stack without Deferred's own frames, innermost first, and where the user's code begins in it;
   * recorded now, read later.
   *
   * <p>Threading: as {@link CallSite}.
   */
  static final class Stack {
    static final Stack NONE = new Stack(List.of());

    private final List<StackTraceElement> frames;
    private int userIndex = -1;

    private Stack(List<StackTraceElement> frames) {
      this.frames = frames;
    }

    /** {@return the frames, from the caller of Deferred outwards} */
    List<StackTraceElement> frames() {
      return frames;
    }

    /** {@return the index of the first frame outside this library; 0 if there is none} */
    synchronized int userIndex() {
      if (userIndex < 0) {
        int index = 0;
        while (index < frames.size() && isLibrary(frames.get(index))) {
          index++;
        }
        userIndex = index < frames.size() ? index : 0;
      }
      return userIndex;
    }

    /** {@return the frame a person would look for first; null if there are no frames} */
    StackTraceElement userFrame() {
      return frames.isEmpty() ? null : frames.get(userIndex());
    }
  }

  /** {@return the whole stack of the code that called into Deferred on this thread now} */
  static Stack stack() {
    return new Stack(CALLED.here());
  }

  /** A frame of a class of this library (see {@link #LIBRARY}). */
  private static boolean isLibrary(StackTraceElement frame) {
    String name = frame.getClassName();
    if (!name.startsWith(PACKAGE) || name.indexOf('.', PACKAGE.length()) >= 0) {
      return false;
    }
    int nested = name.indexOf('$');
    return LIBRARY.computeIfAbsent(
        nested < 0 ? name : name.substring(0, nested), CallSite::loadedWithDeferred);
  }

  private static boolean loadedWithDeferred(String className) {
    try {
      Class<?> type = Class.forName(className, false, Deferred.class.getClassLoader());
      return Objects.equals(codeSource(type), codeSource(Deferred.class));
    } catch (ClassNotFoundException | LinkageError e) {
      return false; // not a class Deferred's loader sees: not this library's
    }
  }

  private static Object codeSource(Class<?> type) {
    var domain = type.getProtectionDomain();
    var source = domain == null ? null : domain.getCodeSource();
    return source == null ? null : source.getLocation();
  }

  /** Deferred itself and its nested classes and lambdas; not DeferredList or user classes. */
  static boolean isDeferredFrame(String className) {
    return className.startsWith(DEFERRED)
        && (className.length() == DEFERRED.length() || className.charAt(DEFERRED.length()) == '$');
  }

  /**
   * {@return a frame without its module and class loader: {@code com.example.Foo.bar(Foo.java:12)}}
   */
  static String format(StackTraceElement frame) {
    if (frame == null) {
      return "an unknown place";
    }
    String file = frame.getFileName();
    String where;
    if (frame.isNativeMethod()) {
      where = "Native Method";
    } else if (file == null) {
      where = "Unknown Source";
    } else if (frame.getLineNumber() >= 0) {
      where = file + ":" + frame.getLineNumber();
    } else {
      where = file;
    }
    return frame.getClassName() + "." + frame.getMethodName() + "(" + where + ")";
  }

  /**
   * {@return this site in words: the frame, followed by the user's frame when the callback was
   * added by one of this package's combinators}
   */
  String describe() {
    StackTraceElement frame = site();
    if (frame == null) {
      return "an unknown place";
    }
    return userSite() == null ? format(frame) : format(frame) + " from " + format(userSite());
  }
}
