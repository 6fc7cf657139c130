package dev.braid.poetry.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * What {@code poetry --version} prints: {@code poetry (Braid) VERSION}, the version coming from
 * {@code version.properties}, which the build writes beside this class from the project's version.
 * Read from this class's own module, so it works on the class path and on the module path alike.
 */
final class Version implements IVersionProvider {
  static final String RESOURCE = "version.properties";

  @Override
  public String[] getVersion() {
    return new String[] {"poetry (Braid) " + number()};
  }

  /** {@return the project's version, e.g. {@code 0.1.0-SNAPSHOT}} */
  static String number() {
    Properties properties = new Properties();
    try (InputStream in = Version.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing beside " + Version.class.getName());
      }
      properties.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String version = properties.getProperty("version");
    if (version == null || version.isBlank() || version.startsWith("${")) {
      throw new IllegalStateException(RESOURCE + " has no version: " + version);
    }
    return version;
  }
}
