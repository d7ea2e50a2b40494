package dev.nightjar.jobs.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/** The table a job prints at the end: one row per stage with its time, throughput, accuracy and output. */
public final class SummaryTable {
  private static final String[] HEADER = {"stage", "wall time", "images/s", "test accuracy", "output"};
  private final List<String[]> rows = new ArrayList<>();

  public SummaryTable add(String stage, double seconds, double imagesPerSecond, double accuracy, String output) {
    rows.add(new String[] {
        stage,
        String.format("%.1f s", seconds),
        String.format("%,.0f", imagesPerSecond),
        Double.isNaN(accuracy) ? "-" : String.format("%.2f%%", accuracy * 100),
        output});
    return this;
  }

  /** A stage that did not run because it was already done. */
  public SummaryTable skipped(String stage, String why) {
    rows.add(new String[] {stage, "skipped", "-", "-", why});
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
