package dev.nightjar.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;

/**
 * The libraries the job jar embeds, as the Maven descriptors inside it name them, are exactly those
 * reviewed in {@code submit/security/DEPENDENCIES.md}. That includes the copies of Jackson, Guava
 * and protobuf shaded into ND4J's own jars, which the enforcer rule on Maven coordinates cannot
 * see: a new library or version fails here until its known vulnerabilities are looked at and it is
 * listed.
 */
class JobJarInventoryIT {
  private static final Path REVIEW =
      Path.of(System.getProperty("user.dir"))
          .getParent()
          .resolve("submit/security/DEPENDENCIES.md");
  private static final String INVENTORY_HEADING = "## What the job jar embeds";
  private static final Pattern DESCRIPTOR =
      Pattern.compile("META-INF/maven/[^/]+/[^/]+/pom\\.properties");
  private static final Pattern LISTED = Pattern.compile("`([\\w.-]+:[\\w.-]+:[\\w.-]+)`");

  @Test
  void everyEmbeddedLibraryIsReviewed() throws IOException {
    Set<String> embedded = embeddedLibraries(Path.of(System.getProperty("nightjar.jobJar")));
    assertThat(embedded).as("libraries embedded in the job jar").isNotEmpty();
    assertThat(listedInInventory()).as("the inventory in %s", REVIEW).isEqualTo(embedded);
  }

  /**
   * {@code group:artifact:version} of each library whose descriptor is in the jar, Nightjar's own
   * aside.
   */
  private static Set<String> embeddedLibraries(Path jar) throws IOException {
    Set<String> libraries = new TreeSet<>();
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      for (ZipEntry entry : Collections.list(zip.entries())) {
        if (DESCRIPTOR.matcher(entry.getName()).matches()) {
          Properties descriptor = new Properties();
          try (InputStream in = zip.getInputStream(entry)) {
            descriptor.load(in);
          }
          String groupId = descriptor.getProperty("groupId");
          if (!groupId.equals("dev.nightjar")) {
            libraries.add(
                groupId
                    + ":"
                    + descriptor.getProperty("artifactId")
                    + ":"
                    + descriptor.getProperty("version"));
          }
        }
      }
    }
    return libraries;
  }

  private static Set<String> listedInInventory() throws IOException {
    String review = Files.readString(REVIEW);
    int start = review.indexOf(INVENTORY_HEADING);
    assertThat(start).as("%s has a section '%s'", REVIEW, INVENTORY_HEADING).isNotNegative();
    int end = review.indexOf("\n## ", start + INVENTORY_HEADING.length());
    Matcher listed = LISTED.matcher(review.substring(start, end < 0 ? review.length() : end));
    Set<String> libraries = new TreeSet<>();
    while (listed.find()) {
      libraries.add(listed.group(1));
    }
    return libraries;
  }
}
