package dev.nightjar.metrics;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The plots of reports and stages, as PNG bytes. */
public final class Charts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 400;

  private Charts() {}

  /** One bar per category. */
  public static byte[] bars(
      String title, String categoryLabel, String valueLabel, Map<String, ? extends Number> values) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    values.forEach((category, value) -> dataset.addValue(value, valueLabel, category));
    JFreeChart chart =
        ChartFactory.createBarChart(
            title,
            categoryLabel,
            valueLabel,
            dataset,
            PlotOrientation.VERTICAL,
            false,
            false,
            false);
    chart.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelLines(2);
    return png(chart);
  }

  /** Lines over a shared x axis, one per named series of (x, y) points. */
  public static byte[] lines(
      String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    series.forEach(
        (name, points) -> {
          XYSeries line = new XYSeries(name);
          points.forEach(p -> line.add(p[0], p[1]));
          dataset.addSeries(line);
        });
    return png(
        ChartFactory.createXYLineChart(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, true, false, false));
  }

  /**
   * Labelled points, one series per group, e.g. accuracy against throughput per kind of variant.
   */
  public static byte[] scatter(
      String title, String xLabel, String yLabel, Map<String, List<LabelledPoint>> groups) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    Map<String, String> labels = new java.util.HashMap<>();
    groups.forEach(
        (group, points) -> {
          XYSeries series = new XYSeries(group, false, true);
          points.forEach(
              p -> {
                series.add(p.x(), p.y());
                labels.put(group + "/" + series.getItemCount(), p.label());
              });
          dataset.addSeries(series);
        });
    JFreeChart chart =
        ChartFactory.createScatterPlot(
            title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, true, false, false);
    org.jfree.chart.plot.XYPlot plot = chart.getXYPlot();
    org.jfree.chart.renderer.xy.XYItemRenderer renderer = plot.getRenderer();
    renderer.setDefaultItemLabelGenerator(
        (data, series, item) -> labels.get(data.getSeriesKey(series) + "/" + (item + 1)));
    renderer.setDefaultItemLabelsVisible(true);
    ((org.jfree.chart.axis.NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    return png(chart);
  }

  /** A point with a name to print beside it. */
  public record LabelledPoint(String label, double x, double y) {}

  private static byte[] png(JFreeChart chart) {
    return png(chart, WIDTH, HEIGHT);
  }

  /** The chart as a PNG of the given size, on the background every Nightjar chart has. */
  public static byte[] png(JFreeChart chart, int width, int height) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(245, 245, 245));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(out, chart, width, height);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
