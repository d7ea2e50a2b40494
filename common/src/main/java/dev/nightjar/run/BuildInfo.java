package dev.nightjar.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** What build this is: the git revision the jar was built from, recorded with every run. */
public final class BuildInfo {
  private static final String RESOURCE = "/nightjar-build.properties";

  private BuildInfo() {}

  public static String gitRevision() {
    try (InputStream in = BuildInfo.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        return "unknown";
      }
      Properties properties = new Properties();
      properties.load(in);
      String revision = properties.getProperty("git.commit.id", "").trim();
      String dirty = properties.getProperty("git.dirty", "false").trim();
      if (revision.isEmpty() || revision.startsWith("${")) {
        return "unknown";
      }
      return "true".equals(dirty) ? revision + "-dirty" : revision;
    } catch (IOException e) {
      return "unknown";
    }
  }
}
