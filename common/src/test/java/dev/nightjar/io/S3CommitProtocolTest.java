package dev.nightjar.io;

import dev.nightjar.testing.S3Server;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol on S3 (S3A against S3Proxy on 127.0.0.1), where nothing is renamed. */
class S3CommitProtocolTest extends CommitProtocolContract {
  @TempDir static java.nio.file.Path scratch;
  private static S3Server s3;
  private static Configuration conf;
  private static int roots;

  @BeforeAll
  static void start() throws IOException {
    s3 = S3Server.inMemory(scratch);
    conf = s3.configure(new Configuration());
    // Each test's root is new; the file system instance is shared, as a job's is.
    conf.setBoolean("fs.s3a.impl.disable.cache", false);
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  Configuration conf() {
    return conf;
  }

  @Override
  Path newRoot() {
    return new Path(s3.uri("nightjar-" + roots++));
  }

  /** Each commit is a few dozen requests; fewer of them keep the test short. */
  @Override
  int commits() {
    return 8;
  }
}
