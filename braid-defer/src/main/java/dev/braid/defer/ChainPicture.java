package dev.braid.defer;

import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Draws a Deferred's chain the way the Twisted tutorial draws it: the callback/errback pairs in
 * order, which side of each ran and what it passed along, the ones still to run, and the Deferreds
 * it waits on indented under the step that returned them. As text ({@link #text}) for logs and
 * dumps, and as Graphviz DOT ({@link #dot}) for a picture ({@code dot -Tsvg chain.dot >
 * chain.svg}).
 *
 * <pre>
 * Deferred@1b6d3586: waiting on Deferred@4554617c
 *   created 2.0 s ago at com.example.Poems.fetch(Poems.java:40)
 *   fired with 'poem' at com.example.Poems.lambda$fetch$0(Poems.java:44)
 *   1. callback added at com.example.Poems.fetch(Poems.java:41): ran, 'poem' -&gt; 'POEM'
 *   2. errback added at com.example.Poems.fetch(Poems.java:42): passed over 'POEM'
 *   3. callback added at com.example.Poems.fetch(Poems.java:43): ran, 'POEM' -&gt; Deferred@4554617c
 *      Deferred@4554617c: no result yet
 *        created 2.0 s ago at com.example.Transforms.cummingsify(Transforms.java:12)
 *        1. resume Deferred@1b6d3586: not run yet
 *   4. callback added at com.example.Main.run(Main.java:20): not run yet
 * </pre>
 *
 * <p>The sites of callbacks, the steps that ran and the creation sites are known only for Deferreds
 * created in {@linkplain Deferred#setDebugging debug mode}; for others the picture shows their
 * state and how many callbacks wait. A callback is named by the line that added it: a lambda's
 * class says only which class wrote it.
 *
 * <p>Threading: call it on the Deferred's thread for an exact picture. From another thread it reads
 * without locks and may draw a state that is a moment out of date; it never throws because of that.
 * Values are described briefly (a string's first 40 characters, an array's length, a collection's
 * size; other objects by a {@code toString()} cut to 60 characters).
 */
public final class ChainPicture {
  /** At most this many Deferreds deep. */
  static final int MAX_DEPTH = 12;

  /** At most this many entries still to run are drawn per Deferred. */
  static final int MAX_PENDING_LINKS = 20;

  /** At most this many things waited on are drawn per Deferred. */
  static final int MAX_WAITS = 5;

  private static final int MAX_STRING = 40;
  private static final int MAX_TEXT = 60;

  /** The longest description of a thing a Deferred waits on (its {@code toString()}). */
  private static final int MAX_THING = 200;

  private ChainPicture() {}

  /**
   * Draws {@code deferred}'s chain as text, nested Deferreds indented under the step that returned
   * them; no trailing newline.
   *
   * @param deferred the Deferred to draw
   * @return the picture, several lines
   */
  public static String text(Deferred<?> deferred) {
    return text(deferred, what -> null);
  }

  /**
   * Draws {@code deferred}'s chain as text, describing what it waits on with {@code describer}.
   *
   * @param deferred the Deferred to draw
   * @param describer describes a thing a Deferred {@linkplain PendingDeferreds#noteWaitingOn waits
   *     on} (a connection, a delayed call); returns null to fall back on its {@code toString()}
   * @return the picture, several lines
   */
  public static String text(Deferred<?> deferred, Function<Object, String> describer) {
    Objects.requireNonNull(deferred, "deferred");
    Objects.requireNonNull(describer, "describer");
    StringBuilder out = new StringBuilder();
    new TextRenderer(out, describer, System.nanoTime()).draw(deferred, "", 0);
    return out.toString().stripTrailing();
  }

  /**
   * Draws {@code deferred}'s chain, and the Deferreds it waits on, as a Graphviz DOT graph: one
   * table per Deferred with a row per callback/errback pair (green: the callback ran; red: the
   * errback ran; grey: passed over; white: not run yet), and an arrow from the step that returned
   * an inner Deferred to it.
   *
   * @param deferred the Deferred to draw
   * @return a {@code digraph}
   */
  public static String dot(Deferred<?> deferred) {
    return dot(List.of(deferred), what -> null);
  }

  /**
   * Draws several Deferreds, and those they wait on, as one Graphviz DOT graph.
   *
   * @param deferreds the Deferreds to draw
   * @param describer describes a thing a Deferred waits on; returns null to fall back on its {@code
   *     toString()}
   * @return a {@code digraph}
   */
  public static String dot(
      Collection<? extends Deferred<?>> deferreds, Function<Object, String> describer) {
    Objects.requireNonNull(deferreds, "deferreds");
    Objects.requireNonNull(describer, "describer");
    return new DotRenderer(describer, System.nanoTime()).draw(deferreds);
  }

  // ---------------------------------------------------------------------------------------------
  // Shared by both renderers

  /** {@return the short name of a Deferred: {@code Deferred@<identity hash>}} */
  static String name(Deferred<?> deferred) {
    return "Deferred@" + Integer.toHexString(System.identityHashCode(deferred));
  }

  /**
   * {@return a short description of a result or a value passed along a chain} Never throws, and
   * never calls {@code toString()} on arrays, collections or maps.
   */
  static String describeValue(Object value) {
    return describeValue(value, MAX_TEXT);
  }

  /**
   * {@return a description of a result or value, as {@link #describeValue(Object)}, a plain
   * object's {@code toString()} cut at {@code max} characters}
   */
  private static String describeValue(Object value, int max) {
    try {
      return switch (value) {
        case null -> "null";
        case String s -> quote(s);
        case Failure f ->
            "Failure(" + f.type().getSimpleName() + ": " + cut(f.getErrorMessage(), MAX_TEXT) + ")";
        case Deferred<?> d -> name(d);
        case Outcome.Success<?> success -> "Success(" + describeValue(success.value()) + ")";
        case Outcome.Failed<?> failed -> describeValue(failed.failure());
        case Number n -> n.toString();
        case Boolean b -> b.toString();
        case Character c -> quote(c.toString());
        case Enum<?> e -> e.getDeclaringClass().getSimpleName() + "." + e.name();
        case Collection<?> c -> c.getClass().getSimpleName() + "(" + c.size() + " elements)";
        case Map<?, ?> m -> m.getClass().getSimpleName() + "(" + m.size() + " entries)";
        default -> {
          if (value.getClass().isArray()) {
            yield value.getClass().getComponentType().getSimpleName()
                + "["
                + Array.getLength(value)
                + "]";
          }
          yield cut(String.valueOf(value), max);
        }
      };
    } catch (RuntimeException | LinkageError e) {
      return value.getClass().getName()
          + "@"
          + Integer.toHexString(System.identityHashCode(value))
          + " (toString() threw "
          + e.getClass().getSimpleName()
          + ")";
    }
  }

  private static String quote(String s) {
    String cut = cut(s, MAX_STRING);
    return "'" + cut.replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r") + "'";
  }

  private static String cut(String s, int max) {
    if (s == null) {
      return "null";
    }
    return s.length() <= max ? s : s.substring(0, max) + "...";
  }

  /** {@return a duration in seconds, with one decimal place} */
  static String seconds(long nanos) {
    return String.format(Locale.ROOT, "%.1f s", nanos / 1e9);
  }

  /** The kinds whose method name says nothing more. */
  private static boolean plainMethod(String method) {
    return switch (method) {
      case "",
          "addCallback",
          "addCallbackDeferred",
          "addErrback",
          "addErrbackDeferred",
          "addCallbacks",
          "addCallbacksDeferred",
          "addBoth",
          "addBothDeferred",
          "chainDeferred" ->
          true;
      default -> false;
    };
  }

  /** {@return "callback added at Foo.bar(Foo.java:12)", naming the method when it says more} */
  static String entry(String kind, CallSite site) {
    String method = plainMethod(site.method()) ? "" : " (" + site.method() + ")";
    if (site.site() == null) {
      return kind + method;
    }
    return kind + method + " added at " + site.describe();
  }

  /**
   * The callers worth showing after a creation frame: the next one, or while they are Braid's own
   * (a reactor's {@code deferLater}, say) up to the first that is not, at most three.
   */
  static List<StackTraceElement> callers(CallSite.Stack stack) {
    List<StackTraceElement> frames = stack.frames();
    List<StackTraceElement> shown = new ArrayList<>();
    for (int i = stack.userIndex() + 1; i < frames.size() && shown.size() < 3; i++) {
      StackTraceElement frame = frames.get(i);
      shown.add(frame);
      if (!isBraidCore(frames.get(i - 1)) || !isBraidCore(frame)) {
        break;
      }
    }
    return shown;
  }

  private static boolean isBraidCore(StackTraceElement frame) {
    String cls = frame.getClassName();
    return cls.startsWith("dev.braid.defer.")
        || cls.startsWith("dev.braid.reactor.")
        || cls.startsWith("dev.braid.net.");
  }

  /** What a Deferred is doing, in a few words. */
  static String state(Deferred<?> d) {
    if (d.isRunningCallbacks()) {
      return "running a step of its chain now";
    }
    Deferred<?> inner = d.waitingOn();
    if (inner != null) {
      return d.isCalled()
          ? "waiting on " + name(inner)
          : "to be fired by " + name(inner) + " (chainDeferred)";
    }
    if (!d.isCalled()) {
      return "no result yet";
    }
    String result = describeValue(d.peekResult());
    int pauses = d.pauseCount();
    if (pauses > 0) {
      return "paused (" + pauses + (pauses == 1 ? " pause" : " pauses") + "), holding " + result;
    }
    return "done, current result " + result;
  }

  /** The things {@code d} was noted to wait on that are not Deferreds already drawn. */
  static List<Object> waits(Deferred<?> d) {
    DebugInfo info = d.debugInfo();
    return info == null ? List.of() : info.waitsOn();
  }

  static String describeThing(Object what, Function<Object, String> describer) {
    String described = null;
    try {
      described = describer.apply(what);
    } catch (RuntimeException e) {
      // fall back on toString
    }
    if (described != null) {
      return described;
    }
    return what instanceof String text ? cut(text, MAX_THING) : describeValue(what, MAX_THING);
  }

  // ---------------------------------------------------------------------------------------------
  // Text

  /** Draws Deferreds as indented text, each Deferred once. */
  static final class TextRenderer {
    private final StringBuilder out;
    private final Function<Object, String> describer;
    private final long now;
    private final Map<Deferred<?>, Boolean> drawn = new IdentityHashMap<>();

    TextRenderer(StringBuilder out, Function<Object, String> describer, long now) {
      this.out = out;
      this.describer = describer;
      this.now = now;
    }

    /** The Deferreds drawn so far, at any depth. */
    boolean wasDrawn(Deferred<?> d) {
      return drawn.containsKey(d);
    }

    void draw(Deferred<?> d, String indent, int depth) {
      try {
        drawUnsafely(d, indent, depth);
      } catch (RuntimeException e) {
        // Read from another thread while it changed: say so rather than fail the whole dump.
        line(indent + "  (the chain changed while it was drawn: " + e + ")");
      }
    }

    private void drawUnsafely(Deferred<?> d, String indent, int depth) {
      if (drawn.put(d, Boolean.TRUE) != null) {
        line(indent + name(d) + ": drawn above");
        return;
      }
      line(indent + name(d) + ": " + state(d));
      String inner = indent + "  ";
      DebugInfo info = d.debugInfo();
      if (depth >= MAX_DEPTH) {
        line(inner + "(deeper Deferreds not drawn)");
        return;
      }
      if (info != null) {
        StackTraceElement created = info.creationFrame();
        if (created != null) {
          String age =
              info.createdNanos == 0 ? "" : " " + seconds(now - info.createdNanos) + " ago";
          line(inner + "created" + age + " at " + CallSite.format(created));
          for (StackTraceElement from : callers(info.creator)) {
            line(inner + "  from " + CallSite.format(from));
          }
        }
        String firedWith = info.firedWith;
        if (firedWith != null) {
          StackTraceElement firedAt = info.invoker.userFrame();
          line(
              inner
                  + "fired with "
                  + firedWith
                  + (firedAt == null ? "" : " at " + CallSite.format(firedAt)));
        }
      }
      Deferred<?> waitingOn = d.waitingOn();
      // Things it was noted to wait on: connections, delayed calls, other Deferreds.
      List<Object> waits = waits(d);
      int shown = 0;
      for (Object what : waits) {
        if (what == waitingOn || (what instanceof Deferred<?> w && !w.isPending())) {
          continue;
        }
        if (shown == MAX_WAITS) {
          line(inner + "waits on " + (waits.size() - shown) + " more things");
          break;
        }
        shown++;
        if (what instanceof Deferred<?> other) {
          line(inner + "waits on " + name(other) + ":");
          draw(other, inner + "  ", depth + 1);
        } else {
          line(inner + "waits on " + describeThing(what, describer));
        }
      }
      if (info != null && info.waitsOnCollected() > 0 && !d.isCalled()) {
        line(
            inner
                + "waited on something that has been garbage-collected: unless other code holds"
                + " it, nothing can fire it now");
      }
      int number = 0;
      boolean innerDrawn = false;
      if (info != null) {
        long dropped = info.stepsDropped();
        if (dropped > 0) {
          line(inner + "(" + dropped + " earlier steps not kept)");
        }
        number = (int) Math.min(dropped, Integer.MAX_VALUE - 1000);
        List<DebugInfo.Step> steps = info.steps();
        for (int i = 0; i < steps.size(); i++) {
          DebugInfo.Step step = steps.get(i);
          number++;
          String took =
              step.nanos() >= 1_000_000
                  ? String.format(Locale.ROOT, " (took %.1f ms)", step.nanos() / 1e6)
                  : "";
          String what =
              step.ran().equals("passed over")
                  ? "passed over " + step.input()
                  : step.ran() + ", " + step.input() + " -> " + step.output();
          if (step.kind().equals("resume") || step.kind().equals("chainDeferred")) {
            what = step.ran() + " with " + step.input();
          }
          line(inner + number + ". " + entry(step.kind(), step.site()) + ": " + what + took);
          Deferred<?> returned = step.inner() == null ? null : step.inner().get();
          if (returned != null && returned == waitingOn && i == steps.size() - 1) {
            draw(returned, inner + "   ", depth + 1);
            innerDrawn = true;
          }
        }
      }
      if (waitingOn != null && !innerDrawn) {
        draw(waitingOn, inner, depth + 1); // the state line says how it waits
      }
      List<Deferred.PendingLink> links = d.pendingLinks(MAX_PENDING_LINKS);
      for (Deferred.PendingLink link : links) {
        number++;
        String what =
            switch (link.kind()) {
              case "resume" -> "resume " + name(link.target()) + ": not run yet";
              case "chainDeferred" ->
                  entry(link.kind(), link.site()) + ": will fire " + name(link.target());
              default -> entry(link.kind(), link.site()) + ": not run yet";
            };
        line(inner + number + ". " + what);
      }
      int more = links.size() < MAX_PENDING_LINKS ? 0 : d.pendingLinkCount() - links.size();
      if (more > 0) {
        line(inner + "(and " + more + " more not run yet)");
      }
    }

    private void line(String text) {
      out.append(text).append('\n');
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Graphviz DOT

  /** Draws Deferreds as one DOT digraph, each Deferred once. */
  static final class DotRenderer {
    private final Function<Object, String> describer;
    private final long now;
    private final Map<Deferred<?>, String> ids = new IdentityHashMap<>();
    private final List<String> nodes = new ArrayList<>();
    private final List<String> edges = new ArrayList<>();
    private int things;

    DotRenderer(Function<Object, String> describer, long now) {
      this.describer = describer;
      this.now = now;
    }

    String draw(Collection<? extends Deferred<?>> deferreds) {
      for (Deferred<?> d : deferreds) {
        node(d, 0);
      }
      StringBuilder out = new StringBuilder();
      out.append("digraph deferreds {\n");
      out.append("  rankdir=LR;\n");
      out.append("  node [shape=plaintext, fontname=\"Helvetica\", fontsize=10];\n");
      out.append("  edge [fontname=\"Helvetica\", fontsize=9];\n");
      for (String node : nodes) {
        out.append("  ").append(node).append('\n');
      }
      for (String edge : edges) {
        out.append("  ").append(edge).append('\n');
      }
      out.append("}\n");
      return out.toString();
    }

    private String node(Deferred<?> d, int depth) {
      String known = ids.get(d);
      if (known != null) {
        return known;
      }
      String id = "d" + ids.size();
      ids.put(d, id);
      StringBuilder table = new StringBuilder();
      table.append("<<TABLE BORDER=\"0\" CELLBORDER=\"1\" CELLSPACING=\"0\" CELLPADDING=\"4\">");
      table
          .append("<TR><TD COLSPAN=\"2\" BGCOLOR=\"#dddddd\"><B>")
          .append(html(name(d)))
          .append("</B><BR/>")
          .append(html(state(d)));
      DebugInfo info = d.debugInfo();
      if (info != null && info.creationFrame() != null) {
        String age = info.createdNanos == 0 ? "" : " " + seconds(now - info.createdNanos) + " ago";
        table
            .append("<BR/>created")
            .append(html(age))
            .append(" at ")
            .append(html(shortFrame(info.creationFrame())));
      }
      if (info != null && info.firedWith != null) {
        table.append("<BR/>fired with ").append(html(info.firedWith));
      }
      table.append("</TD></TR>");
      try {
        rows(d, id, info, table, depth);
      } catch (RuntimeException e) {
        table.append("<TR><TD COLSPAN=\"2\">(changed while drawn)</TD></TR>");
      }
      table.append("</TABLE>>");
      nodes.add(id + " [label=" + table + "];");
      return id;
    }

    private void rows(Deferred<?> d, String id, DebugInfo info, StringBuilder table, int depth) {
      Deferred<?> waitingOn = d.waitingOn();
      int row = 0;
      boolean innerLinked = false;
      if (info != null) {
        List<DebugInfo.Step> steps = info.steps();
        for (int i = 0; i < steps.size(); i++) {
          DebugInfo.Step step = steps.get(i);
          String port = "r" + row++;
          String site = html(siteText(step.site()));
          String text;
          if (step.kind().equals("resume") || step.kind().equals("chainDeferred")) {
            text = html(step.ran() + " with " + step.input());
          } else if (step.ran().equals("passed over")) {
            text = site + "<BR/>passed over " + html(step.input());
          } else {
            text = site + "<BR/>" + html(step.input()) + " -&gt; " + html(step.output());
          }
          table.append(cells(step.kind(), step.ran(), text, port));
          Deferred<?> returned = step.inner() == null ? null : step.inner().get();
          if (returned != null && depth < MAX_DEPTH) {
            String target = node(returned, depth + 1);
            edges.add(
                id
                    + ":"
                    + port
                    + " -> "
                    + target
                    + " [label=\""
                    + (returned == waitingOn ? "returned, waiting" : "returned")
                    + "\"];");
            innerLinked |= returned == waitingOn;
          }
        }
      }
      for (Deferred.PendingLink link : d.pendingLinks(MAX_PENDING_LINKS)) {
        String port = "r" + row++;
        switch (link.kind()) {
          case "resume" -> {
            table
                .append("<TR><TD COLSPAN=\"2\" PORT=\"")
                .append(port)
                .append("\">resume ")
                .append(html(name(link.target())))
                .append("</TD></TR>");
            String outer = ids.get(link.target());
            if (outer != null) {
              edges.add(id + ":" + port + " -> " + outer + " [style=dashed, label=\"resumes\"];");
            }
          }
          case "chainDeferred" -> {
            table
                .append("<TR><TD COLSPAN=\"2\" PORT=\"")
                .append(port)
                .append("\">chainDeferred: will fire ")
                .append(html(name(link.target())))
                .append("</TD></TR>");
          }
          default ->
              table.append(
                  cells(link.kind(), "", html(siteText(link.site())) + "<BR/>not run yet", port));
        }
      }
      if (waitingOn != null && !innerLinked && depth < MAX_DEPTH) {
        String target = node(waitingOn, depth + 1);
        edges.add(
            id
                + " -> "
                + target
                + " [label=\""
                + (d.isCalled() ? "waiting on" : "fired by (chainDeferred)")
                + "\"];");
      }
      int shown = 0;
      for (Object what : waits(d)) {
        if (what == waitingOn || shown == MAX_WAITS) {
          continue;
        }
        if (what instanceof Deferred<?> other) {
          if (!other.isPending() || depth >= MAX_DEPTH) {
            continue;
          }
          edges.add(id + " -> " + node(other, depth + 1) + " [label=\"waits on\"];");
        } else {
          String thing = "t" + things++;
          nodes.add(
              thing
                  + " [shape=ellipse, label=\""
                  + dotString(describeThing(what, describer))
                  + "\"];");
          edges.add(id + " -> " + thing + " [label=\"waits on\"];");
        }
        shown++;
      }
    }

    /** One table row: a pair's two cells, or one wide cell for addBoth-style entries. */
    private static String cells(String kind, String ran, String text, String port) {
      String callbackColor = "white";
      String errbackColor = "white";
      if (ran.equals("passed over")) {
        callbackColor = "#eeeeee";
        errbackColor = "#eeeeee";
      } else if (ran.equals("errback ran") || (kind.equals("errback") && ran.equals("ran"))) {
        errbackColor = "#f4b6b6";
      } else if (!ran.isEmpty()) {
        callbackColor = "#b6e3b6";
      }
      return switch (kind) {
        case "callback" ->
            "<TR><TD PORT=\""
                + port
                + "\" BGCOLOR=\""
                + callbackColor
                + "\">callback<BR/>"
                + text
                + "</TD><TD BGCOLOR=\""
                + errbackColor
                + "\">-</TD></TR>";
        case "errback" ->
            "<TR><TD BGCOLOR=\""
                + callbackColor
                + "\">-</TD><TD PORT=\""
                + port
                + "\" BGCOLOR=\""
                + errbackColor
                + "\">errback<BR/>"
                + text
                + "</TD></TR>";
        case "callback/errback" ->
            "<TR><TD PORT=\""
                + port
                + "\" BGCOLOR=\""
                + callbackColor
                + "\">callback<BR/>"
                + text
                + "</TD><TD BGCOLOR=\""
                + errbackColor
                + "\">errback</TD></TR>";
        default ->
            "<TR><TD COLSPAN=\"2\" PORT=\""
                + port
                + "\" BGCOLOR=\""
                + (ran.isEmpty() ? "white" : ran.equals("passed over") ? "#eeeeee" : "#d6e4f5")
                + "\">"
                + html(kind)
                + "<BR/>"
                + text
                + "</TD></TR>";
      };
    }

    private static String siteText(CallSite site) {
      StackTraceElement frame = site.userSite() != null ? site.userSite() : site.site();
      String method = plainMethod(site.method()) ? "" : site.method() + " at ";
      return frame == null ? method + "?" : method + shortFrame(frame);
    }

    private static String shortFrame(StackTraceElement frame) {
      String cls = frame.getClassName();
      String simple = cls.substring(cls.lastIndexOf('.') + 1);
      return simple + "." + frame.getMethodName() + ":" + frame.getLineNumber();
    }

    private static String html(String s) {
      StringBuilder out = new StringBuilder(s.length());
      for (int i = 0; i < s.length(); i++) {
        char c = s.charAt(i);
        switch (c) {
          case '&' -> out.append("&amp;");
          case '<' -> out.append("&lt;");
          case '>' -> out.append("&gt;");
          case '"' -> out.append("&quot;");
          default -> {
            if (c < 0x20) {
              out.append(' ');
            } else {
              out.append(c);
            }
          }
        }
      }
      return out.toString();
    }

    private static String dotString(String s) {
      return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
  }
}
