package dev.nightjar.optimize;

import dev.nightjar.metrics.Charts;
import java.awt.Color;
import java.awt.Font;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTextAnnotation;
import org.jfree.chart.axis.LogarithmicAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/**
 * The variants' test accuracy against their throughput, one colour per engine: throughput on a log
 * scale (the variants span two orders of magnitude), the band of accuracies within the tolerance of
 * the baseline shaded, the serving choice named, and every label placed where it covers no other
 * label and no point.
 */
final class VariantsPlot {
  private static final int WIDTH = 900;
  private static final int HEIGHT = 560;
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

  /** About the plot area's size in pixels, to keep labels apart in the chart's own proportions. */
  private static final double PLOT_WIDTH_PX = WIDTH - 90;

  private static final double PLOT_HEIGHT_PX = HEIGHT - 110;
  private static final double CHAR_WIDTH_PX = 5.6;
  private static final double LABEL_HEIGHT_PX = 13;

  private VariantsPlot() {}

  static byte[] png(
      List<VariantResult> results, ServingSelector.Choice choice, double tolerancePoints) {
    List<VariantResult> measured = results.stream().filter(VariantResult::hasAccuracy).toList();
    Map<String, XYSeries> byEngine = new LinkedHashMap<>();
    for (VariantResult r : measured) {
      byEngine
          .computeIfAbsent(r.engine(), e -> new XYSeries(e, false, true))
          .add(r.imagesPerSecond(), r.testAccuracy() * 100);
    }
    XYSeriesCollection dataset = new XYSeriesCollection();
    byEngine.values().forEach(dataset::addSeries);

    double baseline = choice.baseline().testAccuracy() * 100;
    double minY =
        Math.min(
            baseline - tolerancePoints,
            measured.stream().mapToDouble(r -> r.testAccuracy() * 100).min().orElse(0));
    double maxY =
        Math.max(
            baseline, measured.stream().mapToDouble(r -> r.testAccuracy() * 100).max().orElse(100));
    double spanY = Math.max(1, maxY - minY);
    Range y = new Range(minY - spanY * 0.06, maxY + spanY * 0.12);
    double minLog =
        measured.stream().mapToDouble(r -> Math.log10(r.imagesPerSecond())).min().orElse(0);
    double maxLog =
        measured.stream().mapToDouble(r -> Math.log10(r.imagesPerSecond())).max().orElse(1);
    double spanLog = Math.max(0.5, maxLog - minLog);
    // Room on the right for the labels, which start at their points.
    Range logX = new Range(minLog - spanLog * 0.08, maxLog + spanLog * 0.45);

    LogarithmicAxis throughput = new LogarithmicAxis("images/s, one thread (log scale)");
    throughput.setStrictValuesFlag(false);
    throughput.setRange(Math.pow(10, logX.lower()), Math.pow(10, logX.upper()));
    NumberAxis accuracy = new NumberAxis("test accuracy (%)");
    accuracy.setRange(y.lower(), y.upper());
    XYPlot plot =
        new XYPlot(dataset, throughput, accuracy, new XYLineAndShapeRenderer(false, true));

    IntervalMarker band = new IntervalMarker(baseline - tolerancePoints, y.upper());
    band.setPaint(new Color(205, 235, 205));
    band.setLabel(
        String.format("within %.2f points of the baseline's %.2f%%", tolerancePoints, baseline));
    band.setLabelFont(LABEL_FONT);
    band.setLabelAnchor(RectangleAnchor.BOTTOM_LEFT);
    band.setLabelTextAnchor(TextAnchor.BOTTOM_LEFT);
    plot.addRangeMarker(band, Layer.BACKGROUND);

    new LabelPlacer(logX, y, choice.chosen()).place(plot, measured);

    JFreeChart chart =
        new JFreeChart(
            "Model variants: test accuracy against throughput",
            JFreeChart.DEFAULT_TITLE_FONT,
            plot,
            true);
    return Charts.png(chart, WIDTH, HEIGHT);
  }

  /** An interval of an axis. */
  private record Range(double lower, double upper) {
    double share(double value) {
      return (value - lower) / (upper - lower);
    }
  }

  /**
   * Puts each label to the right of its point, moved up or down until it covers neither another
   * label nor a point; positions are shares of the plot area, so that the test matches the image.
   */
  private record LabelPlacer(Range logX, Range y, VariantResult serving) {
    void place(XYPlot plot, List<VariantResult> measured) {
      double height = LABEL_HEIGHT_PX / PLOT_HEIGHT_PX;
      List<double[]> taken = new ArrayList<>();
      for (VariantResult r : measured) {
        double[] point = point(r);
        taken.add(
            new double[] {point[0] - 0.006, point[1] - 0.01, point[0] + 0.006, point[1] + 0.01});
      }
      List<VariantResult> inOrder = new ArrayList<>(measured);
      inOrder.sort(Comparator.comparingDouble(VariantResult::imagesPerSecond));
      for (VariantResult r : inOrder) {
        boolean served = r == serving;
        String text = (served ? "SERVING: " : "") + r.name() + " (" + r.engine() + ")";
        double[] point = point(r);
        double width = (text.length() * CHAR_WIDTH_PX * (served ? 1.15 : 1) + 8) / PLOT_WIDTH_PX;
        double offset = 0;
        double[] box = box(point, width, height, offset);
        for (int step = 1; step < 40 && overlapsAny(taken, box); step++) {
          offset = (step % 2 == 1 ? 1 : -1) * ((step + 1) / 2) * height;
          box = box(point, width, height, offset);
        }
        taken.add(box);
        double labelY = y.lower() + (point[1] + offset) * (y.upper() - y.lower());
        XYTextAnnotation label = new XYTextAnnotation("  " + text, r.imagesPerSecond(), labelY);
        label.setFont(served ? LABEL_FONT.deriveFont(Font.BOLD, 11f) : LABEL_FONT);
        label.setTextAnchor(TextAnchor.CENTER_LEFT);
        plot.addAnnotation(label);
      }
    }

    private double[] point(VariantResult r) {
      return new double[] {
        logX.share(Math.log10(r.imagesPerSecond())), y.share(r.testAccuracy() * 100)
      };
    }

    private static double[] box(double[] point, double width, double height, double offset) {
      double centre = point[1] + offset;
      return new double[] {
        point[0] + 0.008, centre - height / 2, point[0] + 0.008 + width, centre + height / 2
      };
    }

    private static boolean overlapsAny(List<double[]> taken, double[] box) {
      return taken.stream()
          .anyMatch(t -> box[0] < t[2] && t[0] < box[2] && box[1] < t[3] && t[1] < box[3]);
    }
  }
}
