package dev.nightjar.bench;

import java.io.File;
import java.io.IOException;
import java.util.Map;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/** A bar chart of means with standard-deviation error bars, written as PNG. */
final class ErrorBarChart {
  private ErrorBarChart() {}

  /**
   * @param series series name, then category, then the statistics of that bar
   */
  static void write(
      File png, String title, String valueLabel, Map<String, Map<String, Stats>> series)
      throws IOException {
    DefaultStatisticalCategoryDataset dataset = new DefaultStatisticalCategoryDataset();
    series.forEach(
        (name, bars) ->
            bars.forEach(
                (category, stats) -> dataset.add(stats.mean(), stats.std(), name, category)));
    StatisticalBarRenderer renderer = new StatisticalBarRenderer();
    renderer.setErrorIndicatorPaint(java.awt.Color.BLACK);
    CategoryPlot plot =
        new CategoryPlot(
            dataset, new CategoryAxis("parallel workers"), new NumberAxis(valueLabel), renderer);
    JFreeChart chart = new JFreeChart(title, JFreeChart.DEFAULT_TITLE_FONT, plot, true);
    chart.setBackgroundPaint(java.awt.Color.WHITE);
    ChartUtils.saveChartAsPNG(png, chart, 800, 500);
  }
}
