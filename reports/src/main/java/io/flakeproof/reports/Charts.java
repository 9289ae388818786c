package io.flakeproof.reports;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.AxesChartStyler;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Every chart of the report, drawn by XChart and exported as SVG through VectorGraphics2D: no
 * hand-written SVG. Each method takes measured data and returns the SVG text.
 */
final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final int WIDTH = 960;
    private static final int HEIGHT = 420;
    private static final Color FAULT = new Color(230, 120, 40, 60);

    private Charts() {
    }

    /** One named series of (x, y) points. */
    record Series(String name, double[] x, double[] y) {
    }

    /** A bar group: category labels and one value per label per series. */
    record Bars(String name, List<Double> values) {
    }

    static String svg(Chart<?, ?> chart) {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 16);
        try {
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * The SVG without its XML declaration and DOCTYPE, so that it can sit inside an HTML page, its
     * clip-path ids prefixed with the chart's name so that no two charts of one page share an id.
     */
    static String inlineSvg(String svg, String name) {
        final int start = svg.indexOf("<svg");
        return (start < 0 ? svg : svg.substring(start)).replace("id=\"clip", "id=\"" + name + "-clip")
                .replace("url(#clip", "url(#" + name + "-clip");
    }

    private static void style(AxesChartStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setLegendPosition(Styler.LegendPosition.OutsideS);
        s.setLegendLayout(Styler.LegendLayout.Horizontal);
        s.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        s.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        s.setAxisTitleFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    }

    /** Lines (or points) over a numeric x axis. */
    static String lines(String title, String xTitle, String yTitle, List<Series> series, boolean logX, boolean logY,
            Double gate, String gateName) {
        final XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title).xAxisTitle(xTitle)
                .yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setYAxisLogarithmic(logY);
        double minX = Double.MAX_VALUE;
        double maxX = -Double.MAX_VALUE;
        for (Series s : series) {
            c.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
            for (double x : s.x()) {
                minX = Math.min(minX, x);
                maxX = Math.max(maxX, x);
            }
        }
        if (gate != null && minX <= maxX) {
            final XYSeries g = c.addSeries(gateName, new double[] {minX, maxX}, new double[] {gate, gate});
            g.setMarker(SeriesMarkers.NONE);
            g.setLineColor(Color.RED);
            g.setLineStyle(new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f}, 0f));
        }
        return svg(c);
    }

    /** Grouped bars: one group per category, one bar per series. */
    static String bars(String title, String yTitle, List<String> categories, List<Bars> groups, boolean logY) {
        final CategoryChart c = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title).yAxisTitle(yTitle).build();
        style(c.getStyler());
        c.getStyler().setYAxisLogarithmic(logY);
        if (logY) {
            // XChart's log axis on bars needs an explicit floor: the power of ten at or below the smallest bar.
            final double min = groups.stream().flatMap(g -> g.values().stream()).filter(v -> v > 0).mapToDouble(Double::doubleValue)
                    .min().orElse(1);
            c.getStyler().setYAxisMin(Math.pow(10, Math.floor(Math.log10(min))));
        }
        c.getStyler().setXAxisLabelRotation(30);
        for (Bars b : groups) {
            c.addSeries(b.name(), categories, b.values());
        }
        return svg(c);
    }

    /**
     * A negative control's counterexample on one time axis: each node's clock offset (left axis), who
     * held which worker when (right axis, one lane per node, the floor and ceiling in the series name),
     * the fault windows shaded, and the mints of the duplicated ID marked.
     */
    static String counterexample(String title, Counterexample ce) {
        final int seriesCount = ce.faults().size() + ce.offsets().size() + ce.holds().size() + ce.duplicateMints().size();
        final XYChart c = new XYChartBuilder().width(WIDTH).height(HEIGHT + 18 * seriesCount).title(title)
                .xAxisTitle("true time (s)").yAxisTitle("clock offset (ms)").build();
        style(c.getStyler());
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
        c.getStyler().setYAxisGroupPosition(1, Styler.YAxisPosition.Right);
        c.setYAxisGroupTitle(1, "node (lanes: who holds which worker)");
        double top = 1;
        for (double[] series : ce.offsets().values().stream().map(Counterexample.Offsets::ms).toList()) {
            for (double v : series) {
                top = Math.max(top, Math.abs(v));
            }
        }
        for (Counterexample.Fault f : ce.faults()) {
            final double end = f.atSeconds() + Math.max(f.durationSeconds(), ce.endSeconds() / 400);
            final XYSeries s = c.addSeries(unique(c, "fault: " + f.label()), new double[] {f.atSeconds(), end},
                    new double[] {top * 1.1, top * 1.1});
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Area);
            s.setFillColor(FAULT);
            s.setLineColor(FAULT);
            s.setMarker(SeriesMarkers.NONE);
        }
        for (Map.Entry<Integer, Counterexample.Offsets> e : ce.offsets().entrySet()) {
            final XYSeries s = c.addSeries("node " + e.getKey() + " clock offset", e.getValue().seconds(), e.getValue().ms());
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Step);
            s.setMarker(SeriesMarkers.NONE);
        }
        for (Counterexample.Hold h : ce.holds()) {
            final XYSeries s = c.addSeries(unique(c, String.format(java.util.Locale.ROOT, "%s, %.2f-%.2f s", h.label(),
                            h.fromSeconds(), h.toSeconds())), new double[] {h.fromSeconds(), h.toSeconds()},
                    new double[] {h.node(), h.node()});
            s.setYAxisGroup(1);
            s.setMarker(SeriesMarkers.NONE);
            s.setLineStyle(new BasicStroke(7f));
        }
        int i = 0;
        for (Counterexample.Mint m : ce.duplicateMints()) {
            final XYSeries s = c.addSeries(unique(c, "mints the duplicated ID" + (i++ == 0 ? "" : " again") + " (node " + m.node() + ")"),
                    new double[] {m.atSeconds()}, new double[] {m.node()});
            s.setYAxisGroup(1);
            s.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            s.setMarker(SeriesMarkers.DIAMOND);
            s.setMarkerColor(Color.RED);
        }
        c.getStyler().setMarkerSize(12);
        c.getStyler().setYAxisMin(1, -0.5);
        c.getStyler().setYAxisMax(1, ce.nodeCount() - 0.5);
        return svg(c);
    }

    /** XChart wants every series name once: a repeated one gets a number. */
    private static String unique(XYChart c, String name) {
        String n = name;
        for (int i = 2; c.getSeriesMap().containsKey(n); i++) {
            n = name + " (" + i + ")";
        }
        return n;
    }
}
