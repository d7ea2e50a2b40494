package dev.nightjar.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import org.apache.hadoop.fs.FileAlreadyExistsException;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.ipc.RemoteException;

/**
 * Creates a file only if none exists, in one atomic step, on the file systems that can: of two
 * callers racing for the same name exactly one succeeds.
 *
 * <ul>
 *   <li>HDFS: {@code create(path, overwrite=false)} is decided by the NameNode under its lock.
 *   <li>Local disks: Hadoop's local {@code create(path, false)} checks {@code exists} and then
 *       opens, so two callers can both succeed; the file is created through java.nio's {@code
 *       CREATE_NEW} ({@code O_EXCL}) instead.
 *   <li>Object stores (s3a) check and write separately: not supported.
 * </ul>
 */
public final class ExclusiveFiles {
  private static final Set<String> SCHEMES = Set.of("file", "hdfs");

  private ExclusiveFiles() {}

  /** Whether files on {@code scheme} can be created exclusively. */
  public static boolean supports(String scheme) {
    return scheme != null && SCHEMES.contains(scheme);
  }

  /**
   * Creates {@code path} holding {@code content}; false when the file exists (or is being created).
   */
  public static boolean create(FileSystem fs, Path path, byte[] content) throws IOException {
    String scheme = fs.getUri().getScheme();
    if ("file".equals(scheme)) {
      return createLocal(java.nio.file.Paths.get(fs.makeQualified(path).toUri()), content);
    }
    if (!"hdfs".equals(scheme)) {
      throw new IOException(scheme + ":// cannot create a file exclusively: " + path);
    }
    try (OutputStream out = fs.create(path, false)) {
      out.write(content);
      return true;
    } catch (FileAlreadyExistsException e) {
      return false;
    } catch (RemoteException e) {
      // A racer's create still open: the NameNode refuses a second create of the same name.
      if (e.getClassName().endsWith("AlreadyBeingCreatedException")) {
        return false;
      }
      throw e;
    }
  }

  private static boolean createLocal(java.nio.file.Path file, byte[] content) throws IOException {
    try (FileChannel channel =
        FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      ByteBuffer buffer = ByteBuffer.wrap(content);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
      channel.force(true);
      return true;
    } catch (java.nio.file.FileAlreadyExistsException e) {
      return false;
    }
  }
}
