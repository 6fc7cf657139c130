package dev.braid.defer;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Objects;

/**
 * A failed result: wraps the {@link Throwable} that a Deferred failed with, and adds Twisted's
 * helpers ({@code twisted.python.failure.Failure}): {@link #trap}, {@link #check}, {@link
 * #getErrorMessage}, {@link #value}.
 *
 * <p>Java exceptions already carry their stack traces, so a {@code Failure} does not capture frames
 * of its own (Braid's decision 10). In debug mode ({@link Deferred#setDebugging}) it also carries
 * the sites where the Deferred that first held it was created and fired, and a picture of the chain
 * that left it unhandled.
 *
 * <p>A Failure is immutable apart from those debug records: the sites are recorded once, the chain
 * picture each time a chain ends with this failure. It may be shared between threads once published
 * safely.
 */
public final class Failure {
  private final Throwable value;

  /**
   * What debug mode recorded; {@link #NONE} outside it. One field, so that a Failure is no bigger
   * for it (24 bytes).
   */
  private DebugRecord debug = DebugRecord.NONE;

  /**
   * The sites of the Deferred that first held the failure, and the last chain that ended with it.
   */
  private record DebugRecord(
      List<StackTraceElement> creationSite, List<StackTraceElement> firingSite, String chain) {
    static final DebugRecord NONE = new DebugRecord(List.of(), List.of(), "");
  }

  private Failure(Throwable value) {
    this.value = value;
  }

  /**
   * Wraps an exception. If {@code value} is itself the carrier of a Failure (never the case for
   * ordinary exceptions), it is wrapped as is.
   *
   * @param value the exception; never null
   * @return a new Failure whose {@link #value} is {@code value}
   * @throws NullPointerException if {@code value} is null
   */
  public static Failure of(Throwable value) {
    return new Failure(Objects.requireNonNull(value, "value"));
  }

  /**
   * {@return the wrapped exception: the same object that was thrown or passed to {@code errback}}
   */
  public Throwable value() {
    return value;
  }

  /**
   * {@return the class of the wrapped exception, {@code value().getClass()}} It is Twisted's {@code
   * Failure.type}.
   */
  public Class<? extends Throwable> type() {
    return value.getClass();
  }

  /**
   * Returns the first of {@code types} that the wrapped exception is an instance of, in the order
   * given, or null when none matches. {@code check(IllegalStateException.class,
   * RuntimeException.class)} on an {@code IllegalStateException} returns {@code
   * IllegalStateException.class}; with the arguments swapped it returns {@code
   * RuntimeException.class}.
   *
   * @param types the exception classes to look for
   * @return the first matching class, or null
   */
  public Class<?> check(Class<?>... types) {
    for (Class<?> type : types) {
      if (type.isInstance(value)) {
        return type;
      }
    }
    return null;
  }

  /**
   * Like {@link #check}, but when nothing matches it rethrows the wrapped exception, so that the
   * next errback in the chain receives it. Used at the top of an errback that handles only some
   * errors:
   *
   * <pre>{@code
   * d.addErrback(f -> {
   *   f.trap(ConnectException.class); // anything else goes on down the chain
   *   return "fallback";
   * });
   * }</pre>
   *
   * @param types the exception classes this errback handles
   * @return the first matching class
   * @throws Exception the wrapped exception itself when nothing matches (an {@link Error} is
   *     rethrown as is; a bare {@link Throwable} is wrapped in an {@link Exception})
   */
  public Class<?> trap(Class<?>... types) throws Exception {
    Class<?> match = check(types);
    if (match == null) {
      raiseException();
    }
    return match;
  }

  /**
   * Rethrows the wrapped exception. Declared to return a value so an errback can pass the failure
   * on with {@code return f.raiseException();}.
   *
   * @param <R> any type; the method never returns
   * @return never
   * @throws Exception the wrapped exception (an {@link Error} is rethrown as is; a bare {@link
   *     Throwable} is wrapped in an {@link Exception})
   */
  public <R> R raiseException() throws Exception {
    if (value instanceof Exception e) {
      throw e;
    }
    if (value instanceof Error e) {
      throw e;
    }
    throw new Exception(value);
  }

  /**
   * {@return the wrapped exception's message, or its class's simple name when it has no message} A
   * one-line description of the error, as Twisted's {@code str(value)}.
   */
  public String getErrorMessage() {
    String message = value.getMessage();
    if (message == null || message.isEmpty()) {
      return value.getClass().getSimpleName();
    }
    return message;
  }

  /**
   * {@return the wrapped exception's stack trace, followed in debug mode by the creation and firing
   * sites of the Deferred that held this failure and the {@linkplain #chainPicture() picture} of
   * the chain that left it unhandled} A multi-line description for logs.
   */
  public String getTraceback() {
    StringWriter out = new StringWriter();
    PrintWriter writer = new PrintWriter(out);
    value.printStackTrace(writer);
    DebugRecord record = debug;
    appendSite(writer, "Deferred was created", record.creationSite());
    appendSite(writer, "Deferred was first fired", record.firingSite());
    String picture = record.chain();
    if (!picture.isEmpty()) {
      writer.println("Chain of the Deferred that left it unhandled:");
      picture.lines().forEach(line -> writer.println("\t" + line));
    }
    writer.flush();
    return out.toString();
  }

  /**
   * {@return in debug mode, the stack at which the Deferred that first held this failure was
   * created, innermost frame first; otherwise an empty list}
   */
  public List<StackTraceElement> creationSite() {
    return debug.creationSite();
  }

  /**
   * {@return in debug mode, the stack at which the Deferred that first held this failure was fired,
   * innermost frame first; otherwise an empty list}
   */
  public List<StackTraceElement> firingSite() {
    return debug.firingSite();
  }

  /**
   * {@return in debug mode, a {@linkplain ChainPicture#text picture} of the chain of the Deferred
   * that last ended a run of its chain with this failure, drawn at that moment; otherwise an empty
   * string}
   */
  public String chainPicture() {
    return debug.chain();
  }

  void recordChain(String picture) {
    DebugRecord record = debug;
    debug = new DebugRecord(record.creationSite(), record.firingSite(), picture);
  }

  /** Copies the debug sites and chain picture of {@code other}, which describes the same error. */
  void copyDebugFrom(Failure other) {
    recordSites(other.creationSite(), other.firingSite());
    recordChain(other.chainPicture());
  }

  void recordSites(List<StackTraceElement> created, List<StackTraceElement> fired) {
    DebugRecord record = debug;
    if (record.creationSite().isEmpty() && record.firingSite().isEmpty()) {
      debug = new DebugRecord(created, fired, record.chain());
    }
  }

  private static void appendSite(PrintWriter writer, String title, List<StackTraceElement> site) {
    if (site.isEmpty()) {
      return;
    }
    writer.println(title + ":");
    for (StackTraceElement frame : site) {
      writer.println("\tat " + frame);
    }
  }

  /** {@return the type and message, as {@code [Failure com.example.SomeException: message]}} */
  @Override
  public String toString() {
    return "[Failure " + value.getClass().getName() + ": " + getErrorMessage() + "]";
  }
}
