package dev.nightjar.source;

import dev.nightjar.config.ConfigException;
import dev.nightjar.config.ConfigKeys;
import dev.nightjar.io.InputException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.util.TaskCompletionListener;

/**
 * A UTF-8 CSV file with a header line: the header, read on the driver, and the data records, read
 * one at a time on an executor. Every record is bounded by {@code maxChars}; a record over it, or
 * one that cannot be parsed, becomes a refused row, not a failure.
 */
final class CsvFile {
  private CsvFile() {}

  /**
   * The column names of {@code file}'s header, trimmed. A header over the limit fails, naming the
   * file.
   */
  static List<String> header(Path file, Configuration hadoopConf, int maxChars) {
    try (CsvRecordReader reader =
        new CsvRecordReader(reader(file.getFileSystem(hadoopConf).open(file)), maxChars, true)) {
      CsvRecordReader.Raw first = reader.next();
      if (first == null) {
        throw new ConfigException(
            ConfigKeys.DATA_SOURCE + ": " + file + " is empty; a CSV source needs a header line");
      }
      if (first.problem() != null) {
        throw new InputException(
            file + ": the header (line " + first.line() + ") " + first.problem());
      }
      return Arrays.stream(headerFields(first.text())).map(String::trim).toList();
    } catch (IOException e) {
      throw new ConfigException(
          ConfigKeys.DATA_SOURCE + ": cannot read " + file + ": " + e.getMessage(), e);
    }
  }

  /**
   * The data records of the file at {@code uri}, read lazily. A file whose header differs from
   * {@code header} is refused whole, as one row standing for all its records.
   */
  static Iterator<CsvRow> rows(
      String uri, Configuration hadoopConf, List<String> header, int maxChars) {
    Path path = new Path(uri);
    try {
      CsvRecordReader reader =
          new CsvRecordReader(reader(path.getFileSystem(hadoopConf).open(path)), maxChars, false);
      TaskContext task = TaskContext.get();
      if (task != null) {
        task.addTaskCompletionListener((TaskCompletionListener) context -> close(reader));
      }
      return new Rows(uri, reader, header);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + uri + ": " + e.getMessage(), e);
    }
  }

  /** The records of a stream, for tests and tools that hold the bytes. */
  static Iterator<CsvRow> rows(String name, InputStream in, List<String> header, int maxChars) {
    return new Rows(name, new CsvRecordReader(reader(in), maxChars, false), header);
  }

  private static InputStreamReader reader(InputStream in) {
    return new InputStreamReader(in, StandardCharsets.UTF_8);
  }

  /** A header's fields: it has at most one more field than characters. */
  private static String[] headerFields(String text) {
    return new CsvFields(text.length() + 1).split(text).orElseThrow();
  }

  private static void close(CsvRecordReader reader) {
    try {
      reader.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static final class Rows implements Iterator<CsvRow> {
    private final String file;
    private final CsvRecordReader reader;
    private final List<String> header;

    /**
     * Fields beyond the header's are refused unkept; one more is allowed, to say how many there
     * are.
     */
    private final CsvFields fields;

    private boolean headerRead;
    private CsvRow next;
    private boolean done;

    Rows(String file, CsvRecordReader reader, List<String> header) {
      this.file = file;
      this.reader = reader;
      this.header = List.copyOf(header);
      this.fields = new CsvFields(header.size() + 1);
    }

    @Override
    public boolean hasNext() {
      if (next == null && !done) {
        try {
          next = read();
        } catch (IOException e) {
          throw new UncheckedIOException(file + ": " + e.getMessage(), e);
        }
        if (next == null) {
          done = true;
          close(reader);
        }
      }
      return next != null;
    }

    @Override
    public CsvRow next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      CsvRow row = next;
      next = null;
      return row;
    }

    private CsvRow read() throws IOException {
      if (!headerRead) {
        headerRead = true;
        CsvRecordReader.Raw first = reader.next();
        if (first == null) {
          return null;
        }
        String problem =
            first.problem() != null
                ? "the header " + first.problem()
                : !isHeader(headerFields(first.text()))
                    ? "the header differs from the first file's: " + header
                    : null;
        if (problem != null) {
          return new CsvRow(file, 0, first.line(), null, problem, countRest());
        }
      }
      while (true) {
        CsvRecordReader.Raw raw = reader.next();
        if (raw == null) {
          return null;
        }
        long number = raw.number() - 1;
        if (raw.problem() != null) {
          return new CsvRow(file, number, raw.line(), null, raw.problem(), 1);
        }
        Optional<String[]> values = fields.split(raw.text());
        if (values.isEmpty()) {
          return new CsvRow(
              file,
              number,
              raw.line(),
              null,
              "has more than " + fields.maxColumns() + " fields, the header has " + header.size(),
              1);
        }
        // A header repeated inside the file (files concatenated) is no record.
        if (!isHeader(values.get())) {
          return new CsvRow(file, number, raw.line(), values.get(), null, 1);
        }
      }
    }

    private boolean isHeader(String[] values) {
      if (values.length != header.size()) {
        return false;
      }
      for (int i = 0; i < values.length; i++) {
        if (!values[i].trim().equals(header.get(i))) {
          return false;
        }
      }
      return true;
    }

    /** The records left in the file, read and dropped. */
    private int countRest() throws IOException {
      int count = 0;
      while (reader.next() != null) {
        count++;
      }
      return Math.max(count, 1);
    }
  }
}
