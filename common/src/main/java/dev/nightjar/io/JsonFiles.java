package dev.nightjar.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Reads and writes small JSON documents (manifests, model metadata) on any Hadoop file system. */
public final class JsonFiles {
  private static final ObjectMapper MAPPER =
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private JsonFiles() {}

  public static void write(Configuration conf, Path path, Object value) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      try (OutputStream out = fs.create(path, true)) {
        MAPPER.writeValue(out, value);
      }
    } catch (IOException e) {
      throw new OutputWriteException(path, e);
    }
  }

  /**
   * Reads a document whole, then parses it: a failure to read is an {@link InputReadException},
   * worth another try; only content that does not parse is an {@link InputException}.
   */
  public static <T> T read(Configuration conf, Path path, Class<T> type) {
    return parse(readBytes(conf, path), type, path);
  }

  /**
   * Parses a document read from {@code path}; content that does not parse, or is JSON's {@code
   * null}, is an {@link InputException}.
   */
  public static <T> T parse(byte[] content, Class<T> type, Path path) {
    T value;
    try {
      value = MAPPER.readValue(content, type);
    } catch (IOException e) {
      throw new InputException(
          path + ": not a valid " + type.getSimpleName() + ": " + e.getMessage(), e);
    }
    if (value == null) {
      throw new InputException(path + ": not a valid " + type.getSimpleName() + ": null");
    }
    return value;
  }

  /** The whole of a small file; a missing file is an {@link InputException}. */
  public static byte[] readBytes(Configuration conf, Path path) {
    try {
      FileSystem fs = path.getFileSystem(conf);
      try (InputStream in = fs.open(path)) {
        return in.readAllBytes();
      }
    } catch (java.io.FileNotFoundException e) {
      throw new InputException(path + ": not found");
    } catch (IOException e) {
      throw new InputReadException(path, e);
    }
  }

  public static String toJson(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
