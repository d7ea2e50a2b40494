package dev.nightjar.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.nightjar.testing.FlakyFileSystem;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.FilterFileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.util.Progressable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Local files read and written past Hadoop's local file system, as Hadoop would. */
class LocalFilesTest {
  @TempDir Path dir;
  private final Configuration conf = new Configuration();

  private org.apache.hadoop.fs.Path hadoop(Path path) {
    return new org.apache.hadoop.fs.Path(path.toUri());
  }

  @Test
  void listsAFolderAsHadoopsLocalFileSystemDoes() throws Exception {
    Files.writeString(dir.resolve("a b.png"), "12345");
    Files.writeString(dir.resolve("c:d.jpg"), "");
    Files.createDirectories(dir.resolve("sub"));
    FileSystem fs = FileSystem.getLocal(conf);
    assertThat(fs).isInstanceOf(LocalFileSystem.class);

    List<FileStatus> ours = sorted(LocalFiles.listStatus(fs, hadoop(dir)));
    List<FileStatus> hadoops = sorted(fs.listStatus(hadoop(dir)));
    assertThat(ours).hasSize(3);
    for (int i = 0; i < ours.size(); i++) {
      assertThat(ours.get(i).getPath()).isEqualTo(hadoops.get(i).getPath());
      assertThat(ours.get(i).getPath().toString()).isEqualTo(hadoops.get(i).getPath().toString());
      assertThat(ours.get(i).isFile()).isEqualTo(hadoops.get(i).isFile());
      assertThat(ours.get(i).isDirectory()).isEqualTo(hadoops.get(i).isDirectory());
      if (ours.get(i).isFile()) {
        assertThat(ours.get(i).getLen()).isEqualTo(hadoops.get(i).getLen());
      }
    }
    assertThatThrownBy(() -> LocalFiles.listStatus(fs, hadoop(dir.resolve("absent"))))
        .isInstanceOf(FileNotFoundException.class)
        .hasMessageContaining("absent");
  }

  @Test
  void readsALocalFileWithoutItsChecksumAndOtherFileSystemsThroughHadoop() throws Exception {
    Path file = Files.writeString(dir.resolve("image.png"), "pixels");
    // A checksum file that does not match: Hadoop's local file system would refuse the read.
    Files.write(dir.resolve(".image.png.crc"), new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
    FileSystem fs = FileSystem.getLocal(conf);
    try (InputStream in = LocalFiles.open(fs, hadoop(file))) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("pixels");
    }
    Configuration flaky = FlakyFileSystem.register(new Configuration());
    org.apache.hadoop.fs.Path flakyPath = FlakyFileSystem.path(file);
    assertThat(LocalFiles.localFile(flakyPath.getFileSystem(flaky), flakyPath)).isNull();
  }

  @Test
  void replacesAFileWholeLeavingNoTemporaryAndNoStaleChecksum() throws Exception {
    FileSystem fs = FileSystem.getLocal(conf);
    org.apache.hadoop.fs.Path target = hadoop(dir.resolve("shards/train/part-00000-00000.bin"));
    // Written first through Hadoop, with its checksum file.
    try (var out = fs.create(target, true)) {
      out.write("old content".getBytes(StandardCharsets.UTF_8));
    }
    assertThat(dir.resolve("shards/train/.part-00000-00000.bin.crc")).exists();

    LocalFiles.writeReplacing(fs, target, out -> out.write("new".getBytes(StandardCharsets.UTF_8)));

    assertThat(dir.resolve("shards/train/part-00000-00000.bin")).hasContent("new");
    try (Listing files = new Listing(Files.list(dir.resolve("shards/train")))) {
      assertThat(files.names()).containsExactly("part-00000-00000.bin");
    }
    // And Hadoop reads it back.
    try (InputStream in = fs.open(target)) {
      assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("new");
    }
    LocalFiles.writeReplacing(
        fs,
        hadoop(dir.resolve("fresh/folder/file.bin")),
        out -> out.write("x".getBytes(StandardCharsets.UTF_8)));
    assertThat(dir.resolve("fresh/folder/file.bin")).hasContent("x");
  }

  /**
   * HDFS's output stream, after a write it refused (a quota exceeded), throws the same exception
   * again when closed: the write fails with that exception, not with Java's "self-suppression not
   * permitted" (found by HdfsWriteFailureTest).
   */
  @Test
  void aWriteRefusedAgainOnCloseFailsWithTheRefusal() throws Exception {
    IOException refusal = new IOException("The DiskSpace quota of /nightjar is exceeded");
    FileSystem refusing =
        new FilterFileSystem(FileSystem.getLocal(conf)) {
          @Override
          public FSDataOutputStream create(
              org.apache.hadoop.fs.Path f,
              FsPermission permission,
              boolean overwrite,
              int bufferSize,
              short replication,
              long blockSize,
              Progressable progress)
              throws IOException {
            return new FSDataOutputStream(
                new OutputStream() {
                  @Override
                  public void write(int b) throws IOException {
                    throw refusal;
                  }

                  @Override
                  public void close() throws IOException {
                    throw refusal;
                  }
                },
                null);
          }
        };

    assertThatThrownBy(
            () ->
                LocalFiles.writeReplacing(
                    refusing, hadoop(dir.resolve("shard.bin")), out -> out.write(1)))
        .isSameAs(refusal);
  }

  private static List<FileStatus> sorted(FileStatus[] statuses) {
    return Arrays.stream(statuses)
        .sorted(Comparator.comparing(s -> s.getPath().getName()))
        .toList();
  }

  /** A listing's file names, closing the listing. */
  private record Listing(java.util.stream.Stream<Path> stream) implements AutoCloseable {
    List<String> names() {
      return stream.map(p -> p.getFileName().toString()).sorted().toList();
    }

    @Override
    public void close() {
      stream.close();
    }
  }
}
