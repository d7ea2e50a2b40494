package dev.nightjar.jobs.report;

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

/** The report's plots, as PNG bytes. */
final class Charts {
  private static final int WIDTH = 720;
  private static final int HEIGHT = 400;

  private Charts() {}

  /** One bar per category. */
  static byte[] bars(String title, String categoryLabel, String valueLabel, Map<String, ? extends Number> values) {
    DefaultCategoryDataset dataset = new DefaultCategoryDataset();
    values.forEach((category, value) -> dataset.addValue(value, valueLabel, category));
    JFreeChart chart = ChartFactory.createBarChart(title, categoryLabel, valueLabel, dataset, PlotOrientation.VERTICAL, false, false, false);
    chart.getCategoryPlot().getDomainAxis().setMaximumCategoryLabelLines(2);
    return png(chart);
  }

  /** Lines over a shared x axis, one per named series of (x, y) points. */
  static byte[] lines(String title, String xLabel, String yLabel, Map<String, List<double[]>> series) {
    XYSeriesCollection dataset = new XYSeriesCollection();
    series.forEach((name, points) -> {
      XYSeries line = new XYSeries(name);
      points.forEach(p -> line.add(p[0], p[1]));
      dataset.addSeries(line);
    });
    return png(ChartFactory.createXYLineChart(title, xLabel, yLabel, dataset, PlotOrientation.VERTICAL, true, false, false));
  }

  private static byte[] png(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(245, 245, 245));
    try {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      ChartUtils.writeChartAsPNG(out, chart, WIDTH, HEIGHT);
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
