package dev.nightjar.source;

import com.univocity.parsers.common.TextParsingException;
import com.univocity.parsers.csv.CsvParser;
import com.univocity.parsers.csv.CsvParserSettings;
import com.univocity.parsers.csv.UnescapedQuoteHandling;
import java.util.Optional;

/**
 * Splits one CSV record, already cut out and bounded by {@link CsvRecordReader}, into its fields
 * with univocity's parser: quotes removed, doubled quotes undone, commas and line breaks inside
 * quotes kept. Values are not trimmed; a record with more than {@code maxColumns} fields is
 * refused.
 */
final class CsvFields {
  private final int maxColumns;
  private CsvParser parser;

  CsvFields(int maxColumns) {
    this.maxColumns = maxColumns;
    this.parser = new CsvParser(settings(maxColumns));
  }

  /** The record's fields, or empty when it has more than {@code maxColumns}. */
  Optional<String[]> split(String record) {
    try {
      return Optional.of(parser.parseLine(record));
    } catch (TextParsingException e) {
      // The parser stops on an error; the next record gets a fresh one.
      parser = new CsvParser(settings(maxColumns));
      return Optional.empty();
    }
  }

  int maxColumns() {
    return maxColumns;
  }

  private static CsvParserSettings settings(int maxColumns) {
    CsvParserSettings settings = new CsvParserSettings();
    settings.getFormat().setDelimiter(',');
    settings.getFormat().setQuote('"');
    settings.getFormat().setQuoteEscape('"');
    settings.getFormat().setLineSeparator("\n");
    settings.getFormat().setNormalizedNewline('\n');
    settings.setLineSeparatorDetectionEnabled(false);
    // A '#' starts a value, not a comment.
    settings.setCommentProcessingEnabled(false);
    settings.setIgnoreLeadingWhitespaces(false);
    settings.setIgnoreTrailingWhitespaces(false);
    settings.setIgnoreLeadingWhitespacesInQuotes(false);
    settings.setIgnoreTrailingWhitespacesInQuotes(false);
    settings.setNormalizeLineEndingsWithinQuotes(false);
    settings.setNullValue("");
    settings.setEmptyValue("");
    // A stray quote inside a quoted value ends it at the next comma or line end, where the record
    // reader ends it too, so both agree on where records end.
    settings.setUnescapedQuoteHandling(UnescapedQuoteHandling.STOP_AT_DELIMITER);
    // The record reader bounds the record, and so every value in it.
    settings.setMaxCharsPerColumn(-1);
    settings.setMaxColumns(maxColumns);
    settings.setInputBufferSize(1 << 14);
    settings.setReadInputOnSeparateThread(false);
    // Errors name no content: a value may be megabytes long, or private.
    settings.setErrorContentLength(0);
    return settings;
  }
}
