package dev.nightjar.io;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;

/**
 * Reads the records of one IDX file, plain or gzipped, from any Hadoop file system. Gzip is not
 * seekable, so {@link #skipRecords} decompresses and drops: cheap next to decoding for files the
 * size of Fashion-MNIST, and it lets every task read only its own range.
 */
public final class IdxReader implements Closeable {
  private static final int GZIP_MAGIC = 0x1f8b;

  /** Deflate's best ratio: no gzip stream expands to more than about 1032 times its size. */
  private static final long MAX_GZIP_RATIO = 1032;

  private final IdxHeader header;
  private final DataInputStream in;
  private final boolean gzip;
  private long position;

  private IdxReader(IdxHeader header, DataInputStream in, boolean gzip) {
    this.header = header;
    this.in = in;
    this.gzip = gzip;
  }

  /** Opens a file and checks its header. */
  public static IdxReader open(String uri, Configuration hadoopConf) throws IOException {
    Path path = new Path(uri);
    InputStream raw = new BufferedInputStream(path.getFileSystem(hadoopConf).open(path), 1 << 16);
    try {
      return open(raw, path.getName());
    } catch (IOException | RuntimeException e) {
      raw.close();
      throw e;
    }
  }

  /** Reads from a stream (gzip is detected by its magic bytes) and checks the header. */
  public static IdxReader open(InputStream raw, String name) throws IOException {
    InputStream buffered = raw.markSupported() ? raw : new BufferedInputStream(raw);
    buffered.mark(2);
    int first = buffered.read();
    int second = buffered.read();
    buffered.reset();
    boolean gzip = ((first << 8) | second) == GZIP_MAGIC;
    InputStream content;
    try {
      content =
          gzip
              ? new BufferedInputStream(new GZIPInputStream(buffered, 1 << 16), 1 << 16)
              : buffered;
    } catch (java.util.zip.ZipException | EOFException e) {
      throw new InputException(name + ": corrupt gzip header: " + e, e);
    }
    IdxHeader header;
    try {
      header = IdxHeader.read(content, name);
    } catch (java.util.zip.ZipException e) {
      throw new InputException(name + ": corrupt gzip stream: " + e.getMessage(), e);
    }
    return new IdxReader(header, new DataInputStream(content), gzip);
  }

  public IdxHeader header() {
    return header;
  }

  /**
   * Fails unless a file of {@code fileBytes} as stored can hold the records its header declares:
   * exactly when plain, within deflate's best ratio when gzipped. Check it before allocating by the
   * declared count.
   */
  public void checkLength(long fileBytes) {
    long declared = header.headerBytes() + (long) header.recordCount() * header.recordBytes();
    String declares =
        header.file()
            + ": its header declares "
            + header.recordCount()
            + " records of "
            + header.recordBytes()
            + " bytes";
    if (!gzip && declared > fileBytes) {
      throw new InputException(
          declares
              + " ("
              + declared
              + " bytes with the header), but the file has "
              + fileBytes
              + " bytes");
    }
    if (gzip && declared > fileBytes * MAX_GZIP_RATIO) {
      throw new InputException(
          declares
              + ", more than a gzip file of "
              + fileBytes
              + " bytes can hold ("
              + declared
              + " bytes against at most "
              + fileBytes * MAX_GZIP_RATIO
              + ")");
    }
  }

  /** Skips records without keeping them. */
  public void skipRecords(long count) throws IOException {
    long bytes = count * header.recordBytes();
    long skipped = 0;
    while (skipped < bytes) {
      long n = in.skip(bytes - skipped);
      if (n <= 0) {
        if (in.read() < 0) {
          throw truncated(position + skipped / header.recordBytes());
        }
        n = 1;
      }
      skipped += n;
    }
    position += count;
  }

  /** Reads the next record into {@code buffer}, which must hold {@link IdxHeader#recordBytes()}. */
  public void readRecord(byte[] buffer) throws IOException {
    if (position >= header.recordCount()) {
      throw new IllegalStateException(
          header.file() + ": read past the last record " + header.recordCount());
    }
    try {
      in.readFully(buffer, 0, header.recordBytes());
    } catch (EOFException e) {
      throw truncated(position);
    } catch (java.util.zip.ZipException e) {
      throw new InputException(
          header.file() + ": corrupt gzip stream at record " + position + ": " + e.getMessage(), e);
    }
    position++;
  }

  /** Index of the next record to be read. */
  public long position() {
    return position;
  }

  private InputException truncated(long record) {
    return new InputException(
        header.file()
            + ": truncated at record "
            + record
            + " of the "
            + header.recordCount()
            + " its header declares");
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
