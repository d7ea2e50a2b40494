package dev.nightjar.io;

import dev.nightjar.testing.MiniHdfs;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The commit protocol on HDFS (MiniDFSCluster, one DataNode). */
class HdfsCommitProtocolTest extends CommitProtocolContract {
  @TempDir static java.nio.file.Path base;
  private static MiniHdfs hdfs;
  private static int roots;

  @BeforeAll
  static void start() throws IOException {
    hdfs = MiniHdfs.start(base, 1);
  }

  @AfterAll
  static void stop() {
    if (hdfs != null) {
      hdfs.close();
    }
  }

  @Override
  Configuration conf() {
    try {
      return hdfs.fileSystem().getConf();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Override
  Path newRoot() {
    return hdfs.path("/nightjar-" + roots++);
  }
}
