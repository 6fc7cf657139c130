package dev.braid.test.log;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Captures the log of each test and fails a test that logged a warning or an error it did not
 * account for (see {@link LogCapture}); injects the test's {@link LogCapture} as a parameter.
 *
 * <p>A capture is opened before each test (before any {@code @BeforeEach} method) and checked after
 * it (after every {@code @AfterEach} method and every other extension's after-each callback, when
 * this extension is registered first, as auto-detection does). Another covers each test class's
 * {@code @BeforeAll} and {@code @AfterAll} methods. A failure found when the test has already
 * failed is added to that failure (JUnit adds it as suppressed), so nothing is lost.
 *
 * <p>Register it with {@code @ExtendWith(LogCaptureExtension.class)}, or for every test through
 * JUnit's extension auto-detection, as Braid's build does: {@code
 * junit.jupiter.extensions.autodetection.enabled=true} (this module lists the extension in {@code
 * META-INF/services}). The events come from {@link RecordingSlf4jProvider} and {@link
 * RecordingLoggerFinder}, which must be the logging backends on the test class path.
 *
 * <p>Threading: JUnit's; tests must not run in parallel within one JVM.
 */
public final class LogCaptureExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(LogCaptureExtension.class);

  /** For JUnit: through auto-detection or {@code @ExtendWith(LogCaptureExtension.class)}. */
  public LogCaptureExtension() {}

  @Override
  public void beforeAll(ExtensionContext context) {
    open(context);
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close(context);
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    open(context);
  }

  @Override
  public void afterEach(ExtensionContext context) {
    close(context);
  }

  private static void open(ExtensionContext context) {
    String owner =
        context.getTestMethod().isPresent()
            ? context.getRequiredTestClass().getSimpleName() + " > " + context.getDisplayName()
            : context.getDisplayName();
    LogCapture capture = LogRouter.INSTANCE.open(owner);
    context.getStore(NAMESPACE).put(context.getUniqueId(), capture);
  }

  private static void close(ExtensionContext context) {
    LogCapture capture =
        context.getStore(NAMESPACE).remove(context.getUniqueId(), LogCapture.class);
    if (capture != null) {
      LogRouter.INSTANCE.close(capture);
      capture.check();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LogCapture.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    for (ExtensionContext c = context; c != null; c = c.getParent().orElse(null)) {
      LogCapture capture = c.getStore(NAMESPACE).get(c.getUniqueId(), LogCapture.class);
      if (capture != null) {
        return capture;
      }
    }
    throw new org.junit.jupiter.api.extension.ParameterResolutionException(
        "no log capture is open for " + context.getDisplayName());
  }
}
