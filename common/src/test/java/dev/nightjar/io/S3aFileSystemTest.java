package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.nightjar.config.ConfigLoader;
import dev.nightjar.spark.SessionSettings;
import dev.nightjar.testing.S3Server;
import dev.nightjar.testing.SparkTestSession;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.SparkConf;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * s3a:// against a real S3 API (S3Server): Hadoop's file system operations, and Spark tables
 * written through the S3A committers that {@link SessionSettings} chooses for an s3a:// output
 * root.
 */
@ExtendWith(SparkTestSession.class)
class S3aFileSystemTest {
  @TempDir static Path scratch;
  private static S3Server s3;

  @BeforeAll
  static void start() throws IOException {
    s3 = S3Server.inMemory(scratch);
  }

  @AfterAll
  static void stop() throws Exception {
    if (s3 != null) {
      s3.close();
    }
  }

  private static FileSystem fileSystem() throws IOException {
    return fileSystem(s3);
  }

  private static FileSystem fileSystem(S3Server server) throws IOException {
    return new org.apache.hadoop.fs.Path(server.uri("/"))
        .getFileSystem(server.configure(new Configuration()));
  }

  @Test
  void createListRenameAndDelete() throws IOException {
    createListRenameAndDelete(s3);
  }

  private static void createListRenameAndDelete(S3Server s3) throws IOException {
    FileSystem fs = fileSystem(s3);
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(s3.uri("fs/dir"));
    org.apache.hadoop.fs.Path file = new org.apache.hadoop.fs.Path(dir, "a.txt");
    try (OutputStream out = fs.create(file, false)) {
      out.write("hello s3".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(fs.getFileStatus(file).getLen()).isEqualTo(8);
    assertThat(fs.getFileStatus(dir).isDirectory()).isTrue();
    assertThat(fs.mkdirs(new org.apache.hadoop.fs.Path(dir, "sub"))).isTrue();
    assertThat(names(fs.listStatus(dir))).containsExactlyInAnyOrder("a.txt", "sub");

    org.apache.hadoop.fs.Path renamed = new org.apache.hadoop.fs.Path(s3.uri("fs/moved/b.txt"));
    assertThat(fs.rename(file, renamed)).isTrue();
    assertThat(fs.exists(file)).isFalse();
    try (InputStream in = fs.open(renamed)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("hello s3");
    }
    org.apache.hadoop.fs.Path movedDir = new org.apache.hadoop.fs.Path(s3.uri("fs/renamed-dir"));
    assertThat(fs.rename(dir, movedDir)).isTrue();
    assertThat(fs.exists(dir)).isFalse();
    assertThat(fs.getFileStatus(new org.apache.hadoop.fs.Path(movedDir, "sub")).isDirectory())
        .isTrue();

    assertThat(fs.delete(new org.apache.hadoop.fs.Path(s3.uri("fs")), true)).isTrue();
    assertThat(fs.exists(renamed)).isFalse();
    assertThat(fs.exists(movedDir)).isFalse();
  }

  @Test
  void aPartitionedTableIsWrittenThroughTheMagicCommitter(SparkSession shared) throws IOException {
    String root = s3.uri("night-magic");
    SparkSession spark = session(shared, root, new SparkConf(false));
    writeAndReadBack(spark, root + "/table", "magic");
  }

  @Test
  void theUsersCommitterWins(SparkSession shared) throws IOException {
    String root = s3.uri("night-directory");
    SparkSession spark =
        session(
            shared,
            root,
            new SparkConf(false).set("spark.hadoop.fs.s3a.committer.name", "directory"));
    writeAndReadBack(spark, root + "/table", "directory");
  }

  /** The shared test session with what SessionSettings sets for {@code outputRoot}. */
  private static SparkSession session(SparkSession shared, String outputRoot, SparkConf user) {
    SparkConf settings =
        SessionSettings.apply(
            s3.configure(user), ConfigLoader.fromOverrides("output-root=" + outputRoot));
    assertThat(settings.get("spark.sql.sources.commitProtocolClass"))
        .isEqualTo(SessionSettings.CLOUD_COMMIT_PROTOCOL);
    return SparkTestSession.withSettings(shared, settings);
  }

  private static void writeAndReadBack(SparkSession spark, String table, String committer)
      throws IOException {
    Dataset<Row> rows =
        spark.sql(
            "SELECT id, CAST(id % 3 AS INT) AS label, CONCAT('image-', id) AS name FROM range(0, 60, 1, 4)");
    rows.write().mode(SaveMode.Overwrite).partitionBy("label").parquet(table);

    List<String> expected = new ArrayList<>();
    for (long id = 0; id < 60; id++) {
      expected.add("[" + id + "," + (id % 3) + ",image-" + id + "]");
    }
    List<Row> back = spark.read().parquet(table).select("id", "label", "name").collectAsList();
    assertThat(sorted(back)).isEqualTo(expected.stream().sorted().toList());

    FileSystem fs = fileSystem();
    org.apache.hadoop.fs.Path dir = new org.apache.hadoop.fs.Path(table);
    assertThat(names(fs.listStatus(dir)))
        .containsExactlyInAnyOrder("_SUCCESS", "label=0", "label=1", "label=2");
    // The S3A committers' _SUCCESS is a JSON summary naming the committer; Spark's classic
    // committer writes an empty file.
    org.apache.hadoop.fs.Path success = new org.apache.hadoop.fs.Path(dir, "_SUCCESS");
    assertThat(fs.getFileStatus(success).getLen()).isPositive();
    JsonNode summary;
    try (InputStream in = fs.open(success)) {
      summary = new ObjectMapper().readTree(in);
    }
    assertThat(summary.path("committer").asText()).isEqualTo(committer);
    assertThat(summary.path("filenames").size()).isGreaterThanOrEqualTo(3);
    // Nothing of the commit is left behind: no __magic or _temporary paths, nothing but Parquet.
    List<String> files = new ArrayList<>();
    RemoteIterator<LocatedFileStatus> listing =
        fs.listFiles(new org.apache.hadoop.fs.Path(table).getParent(), true);
    while (listing.hasNext()) {
      files.add(listing.next().getPath().toString());
    }
    assertThat(files).noneMatch(path -> path.contains("__magic") || path.contains("_temporary"));
    assertThat(files)
        .allMatch(path -> path.endsWith("/_SUCCESS") || path.endsWith(".parquet"), "tables only");
  }

  private static List<String> names(FileStatus[] statuses) {
    return Arrays.stream(statuses).map(status -> status.getPath().getName()).toList();
  }

  private static List<String> sorted(List<Row> rows) {
    return rows.stream().map(Row::toString).sorted().toList();
  }
}
