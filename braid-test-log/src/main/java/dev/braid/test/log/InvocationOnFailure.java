package dev.braid.test.log;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;

/**
 * Names the invocation of a parameterized or repeated test in its failure: Maven's console report
 * names a failed invocation by its index only ({@code theTest(Chunking)[3]}), while its display
 * name carries what is needed to replay it, such as a random chunking's seed ({@code random splits
 * up to 16, seed 123}). The display name is added to the failure as a suppressed {@link
 * InvocationName}, which the report prints under the failure's stack trace; the failure itself is
 * unchanged.
 *
 * <p>Braid's build registers it for every test through JUnit's extension auto-detection, as {@link
 * LogCaptureExtension}. Threading: JUnit's.
 */
public final class InvocationOnFailure implements TestExecutionExceptionHandler {
  /** For JUnit: through auto-detection or {@code @ExtendWith(InvocationOnFailure.class)}. */
  public InvocationOnFailure() {}

  @Override
  public void handleTestExecutionException(ExtensionContext context, Throwable failure)
      throws Throwable {
    boolean invocation =
        context.getTestMethod().isPresent()
            && context.getParent().flatMap(ExtensionContext::getTestMethod).isPresent();
    if (invocation) {
      failure.addSuppressed(new InvocationName(context.getDisplayName()));
    }
    throw failure;
  }

  /** The display name of the invocation that failed; carries no stack trace of its own. */
  public static final class InvocationName extends Throwable {
    private static final long serialVersionUID = 1L;

    /**
     * Creates the note.
     *
     * @param displayName the invocation's display name
     */
    public InvocationName(String displayName) {
      super("in the invocation " + displayName, null, false, false);
    }
  }
}
