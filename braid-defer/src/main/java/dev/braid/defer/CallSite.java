package dev.braid.defer;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a callback was added to a Deferred, recorded in debug mode: the Deferred method that was
 * called ({@code addCallback}, {@code addTimeout}...), the first frame outside {@link Deferred}
 * (its {@code site}), and, when that frame is in one of this library's own combinators ({@code
 * DeferredList}, {@code Async}...), the first frame outside the library too (its {@code userSite}).
 *
 * <p>A lambda's class name ({@code Foo$$Lambda/0x…}) names only the class that wrote it, and a
 * non-serializable lambda does not say which method implements it; the line that added it does.
 * Taken with a {@link StackWalker} that stops at the first frames it needs.
 *
 * @param method the Deferred method called, such as {@code addCallback}
 * @param site the first frame outside Deferred; null if there was none
 * @param userSite the first frame outside this library when {@code site} is inside it, else null
 */
record CallSite(String method, StackTraceElement site, StackTraceElement userSite) {
  private static final StackWalker WALKER =
      StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);
  private static final String DEFERRED = Deferred.class.getName();

  /**
   * Classes of this library: in this package and loaded from where {@link Deferred} was (so that
   * tests and examples written in the same package count as user code).
   */
  private static final ClassValue<Boolean> LIBRARY =
      new ClassValue<>() {
        @Override
        protected Boolean computeValue(Class<?> type) {
          return type.getPackageName().equals(Deferred.class.getPackageName())
              && Objects.equals(codeSource(type), codeSource(Deferred.class));
        }
      };

  /** An unknown site (links added before debug mode was turned on). */
  static final CallSite UNKNOWN = new CallSite("", null, null);

  /** {@return the site of the code that called into Deferred on this thread now} */
  static CallSite here() {
    return WALKER.walk(
        frames -> {
          String method = "";
          StackTraceElement site = null;
          var it = frames.limit(64).iterator();
          while (it.hasNext()) {
            StackWalker.StackFrame frame = it.next();
            Class<?> type = frame.getDeclaringClass();
            if (site == null && method.isEmpty() && isRecorder(type)) {
              continue;
            }
            if (site == null && isDeferredFrame(frame.getClassName())) {
              method = frame.getMethodName();
              continue;
            }
            if (site == null) {
              site = frame.toStackTraceElement();
              if (!isLibrary(type)) {
                return new CallSite(method, site, null);
              }
            } else if (!isLibrary(type)) {
              return new CallSite(method, site, frame.toStackTraceElement());
            }
          }
          return new CallSite(method, site, null);
        });
  }

  /**
   * A stack without Deferred's own frames, innermost first, and where the user's code begins in it.
   *
   * @param frames the frames, from the caller of Deferred outwards
   * @param userIndex the index of the first frame outside this library; 0 if there is none
   */
  record Stack(List<StackTraceElement> frames, int userIndex) {
    static final Stack NONE = new Stack(List.of(), 0);

    /** {@return the frame a person would look for first; null if there are no frames} */
    StackTraceElement userFrame() {
      return frames.isEmpty() ? null : frames.get(userIndex);
    }
  }

  /** {@return the whole stack of the code that called into Deferred on this thread now} */
  static Stack stack() {
    return WALKER.walk(
        frames -> {
          List<StackTraceElement> kept = new ArrayList<>();
          int user = -1;
          boolean started = false;
          for (var it = frames.iterator(); it.hasNext(); ) {
            StackWalker.StackFrame frame = it.next();
            Class<?> type = frame.getDeclaringClass();
            if (!started && (isRecorder(type) || isDeferredFrame(frame.getClassName()))) {
              continue;
            }
            started = true;
            if (user < 0 && !isLibrary(type)) {
              user = kept.size();
            }
            kept.add(frame.toStackTraceElement());
          }
          return new Stack(List.copyOf(kept), Math.max(user, 0));
        });
  }

  /** This class and the debug records that call it. */
  private static boolean isRecorder(Class<?> type) {
    return type == CallSite.class || type == DebugInfo.class || type == Stack.class;
  }

  /** A class of this library (see {@link #LIBRARY}). */
  private static boolean isLibrary(Class<?> type) {
    return LIBRARY.get(type);
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
    if (site == null) {
      return "an unknown place";
    }
    return userSite == null ? format(site) : format(site) + " from " + format(userSite);
  }
}
