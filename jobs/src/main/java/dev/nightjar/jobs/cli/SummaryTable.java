package dev.nightjar.jobs.cli;

import dev.nightjar.stage.Stage;
import dev.nightjar.stage.SummaryRow;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * The table a job prints at the end: one row per stage with its time, throughput, accuracy and
 * output.
 */
public final class SummaryTable {
  private static final String[] HEADER = {
    "stage", "wall time", "images/s", "test accuracy", "output"
  };
  private final List<String[]> rows = new ArrayList<>();

  public SummaryTable add(SummaryRow row) {
    rows.add(
        new String[] {
          row.stage().label(),
          String.format("%.1f s", row.seconds()),
          String.format("%,.0f", row.imagesPerSecond()),
          Double.isNaN(row.accuracy()) ? "-" : String.format("%.2f%%", row.accuracy() * 100),
          row.output()
        });
    return this;
  }

  /** A stage that did not run because it was already done. */
  public SummaryTable skipped(Stage stage, String why) {
    rows.add(new String[] {stage.label(), "skipped", "-", "-", why});
    return this;
  }

  public void print(PrintStream out) {
    int[] widths = new int[HEADER.length];
    for (int i = 0; i < HEADER.length; i++) {
      widths[i] = HEADER[i].length();
      for (String[] row : rows) {
        widths[i] = Math.max(widths[i], row[i].length());
      }
    }
    out.println();
    printRow(out, HEADER, widths);
    StringBuilder rule = new StringBuilder();
    for (int width : widths) {
      rule.append("-".repeat(width)).append("  ");
    }
    out.println(rule.toString().stripTrailing());
    rows.forEach(row -> printRow(out, row, widths));
    out.flush();
  }

  private static void printRow(PrintStream out, String[] cells, int[] widths) {
    StringBuilder line = new StringBuilder();
    for (int i = 0; i < cells.length; i++) {
      boolean numeric = i >= 1 && i <= 3;
      String format = numeric ? "%" + widths[i] + "s  " : "%-" + widths[i] + "s  ";
      line.append(String.format(format, cells[i]));
    }
    out.println(line.toString().stripTrailing());
  }
}
