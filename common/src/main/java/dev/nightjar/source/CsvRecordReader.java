package dev.nightjar.source;

import dev.nightjar.config.ConfigKeys;
import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;

/**
 * Cuts CSV text into records as RFC 4180 does: a field that starts with a quote may hold commas,
 * doubled quotes and line breaks. Lines may end in LF, CRLF or CR, and a leading byte-order mark is
 * dropped. It keeps at most {@code maxChars} of a record: a longer one is scanned to its end
 * without being kept and reported, so a hostile line costs no more memory than the limit and the
 * records after it are still read. Splitting a record into fields is the parser's job.
 */
final class CsvRecordReader implements Closeable {
  private static final char BOM = '\uFEFF';

  /**
   * One record: the line it starts on and its text without the line end, or why it has none.
   *
   * @param number the record's position in the file, 1 for the first, blank lines not counted
   */
  record Raw(long number, long line, String text, String problem) {}

  private final Reader in;
  private final int maxChars;
  private final boolean stopAtLimit;
  private final char[] buffer = new char[1 << 14];
  private int position;
  private int limit;
  private boolean started;
  private long line = 1;
  private long records;

  /**
   * @param stopAtLimit end reading at a record over the limit instead of skipping it (the driver
   *     reading a header need not scan a hostile file to its end)
   */
  CsvRecordReader(Reader in, int maxChars, boolean stopAtLimit) {
    this.in = in;
    this.maxChars = maxChars;
    this.stopAtLimit = stopAtLimit;
  }

  /** The next record that is not blank, or null at the end of the input. */
  Raw next() throws IOException {
    while (true) {
      long start = line;
      StringBuilder text = new StringBuilder();
      boolean quoted = false;
      boolean fieldStart = true;
      boolean over = false;
      boolean ended = false;
      int c;
      while ((c = read()) >= 0) {
        if (quoted) {
          over |= !append(text, c);
          if (c == '"') {
            if (peek() == '"') {
              over |= !append(text, read());
            } else {
              quoted = false;
            }
          } else if (c == '\n' || c == '\r') {
            if (c == '\r' && peek() == '\n') {
              over |= !append(text, read());
            }
            line++;
          }
          fieldStart = false;
        } else if (c == '\n' || c == '\r') {
          if (c == '\r' && peek() == '\n') {
            read();
          }
          line++;
          ended = true;
          break;
        } else {
          quoted = c == '"' && fieldStart;
          fieldStart = c == ',';
          over |= !append(text, c);
        }
        if (over && stopAtLimit) {
          return new Raw(++records, start, null, overLimit());
        }
      }
      if (over) {
        return new Raw(++records, start, null, overLimit());
      }
      if (quoted) {
        return new Raw(++records, start, null, "has a quote that is never closed");
      }
      if (!text.toString().isBlank()) {
        return new Raw(++records, start, text.toString(), null);
      }
      if (!ended) {
        return null;
      }
    }
  }

  private String overLimit() {
    return "is longer than the limit of "
        + maxChars
        + " characters ("
        + ConfigKeys.PREPARE_MAX_RECORD_CHARS
        + ")";
  }

  /** Appends while the record is within the limit; false once it is over. */
  private boolean append(StringBuilder text, int c) {
    if (text.length() >= maxChars) {
      return false;
    }
    text.append((char) c);
    return true;
  }

  private int read() throws IOException {
    int c = peek();
    if (c >= 0) {
      position++;
    }
    return c;
  }

  private int peek() throws IOException {
    if (position == limit) {
      int n = in.read(buffer, 0, buffer.length);
      if (n <= 0) {
        return -1;
      }
      position = 0;
      limit = n;
    }
    if (!started) {
      started = true;
      if (buffer[position] == BOM) {
        position++;
        return peek();
      }
    }
    return buffer[position];
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
