package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.FileNotFoundException;
import java.io.IOException;
import org.apache.hadoop.hdfs.protocol.DSQuotaExceededException;
import org.apache.hadoop.security.AccessControlException;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;

/**
 * The reason in words, from the exceptions HDFS and local disks really throw, however deep Spark
 * wraps them.
 */
class OutputWriteExceptionTest {
  private static final String QUOTA =
      "The DiskSpace quota of /nightjar is exceeded: quota = 12582912 B = 12 MB "
          + "but diskspace consumed = 12905446 B = 12.31 MB\n\tat org.apache.hadoop.hdfs.server.namenode.FSDirectory.verifyQuota";

  @Test
  void namesThePathAndTheRefusalInWordsWithTheFirstLineOfTheFileSystemsMessage() {
    OutputWriteException e =
        new OutputWriteException("hdfs://nn/nightjar/x.bin", new DSQuotaExceededException(QUOTA));
    assertThat(e)
        .hasMessage(
            "cannot write hdfs://nn/nightjar/x.bin: disk quota exceeded (The DiskSpace quota of "
                + "/nightjar is exceeded: quota = 12582912 B = 12 MB but diskspace consumed = 12905446 B = 12.31 MB)");
    assertThat(
            new OutputWriteException(
                "/x", new AccessControlException("Permission denied: user=analyst, access=WRITE")))
        .hasMessage(
            "cannot write /x: permission denied (Permission denied: user=analyst, access=WRITE)");
    assertThat(
            new OutputWriteException(
                "/x", new FileNotFoundException("/x/a.bin (Permission denied)")))
        .hasMessageContaining("/x: permission denied");
    assertThat(new OutputWriteException("/x", new IOException("No space left on device")))
        .hasMessage("cannot write /x: no space left on device (No space left on device)");
    assertThat(new OutputWriteException("/x", new IOException("could not rename /a to /b")))
        .hasMessage("cannot write /x: could not rename /a to /b");
  }

  @Test
  void findSurfacesATasksFailureOrNamesTheFolderOfARefusedSparkWrite() {
    OutputWriteException task =
        new OutputWriteException("hdfs://nn/out/part-1.bin", new DSQuotaExceededException(QUOTA));
    RuntimeException aborted =
        new RuntimeException(new SparkException("Job aborted due to stage failure: ...", task));
    assertThat(OutputWriteException.find("hdfs://nn/out", aborted))
        .get()
        .extracting(Throwable::getCause)
        .isSameAs(aborted);
    assertThat(OutputWriteException.find("hdfs://nn/out", aborted).orElseThrow())
        .hasMessageStartingWith(
            "cannot write hdfs://nn/out/part-1.bin: disk quota exceeded (The DiskSpace quota");

    SparkException parquet =
        new SparkException(
            "Job aborted",
            new SparkException(
                "[TASK_WRITE_FAILED] Task failed while writing rows to hdfs://nn/out.",
                new DSQuotaExceededException(QUOTA)));
    assertThat(OutputWriteException.find("hdfs://nn/out", parquet).orElseThrow())
        .hasMessageStartingWith(
            "cannot write hdfs://nn/out: disk quota exceeded (The DiskSpace quota");

    assertThat(
            OutputWriteException.find(
                "hdfs://nn/out", new IllegalStateException("not a write failure")))
        .isEmpty();
    assertThat(
            OutputWriteException.find(
                "hdfs://nn/out", new SparkException("Job aborted", new IOException("Broken pipe"))))
        .isEmpty();
  }
}
