package dev.nightjar.source;

import java.io.Serializable;

/**
 * One record of a CSV file: its fields, or why it has none.
 *
 * @param number the record's position in its file, 1 for the first after the header
 * @param line the line it starts on
 * @param fields its values, null when it is refused
 * @param problem why it is refused, null when it is not
 * @param records how many records the refusal stands for (a file whose header is wrong: all of
 *     them)
 */
record CsvRow(String file, long number, long line, String[] fields, String problem, int records)
    implements Serializable {
  String location() {
    return number == 0 ? "line " + line : "record " + number + " (line " + line + ")";
  }
}
