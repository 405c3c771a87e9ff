package dev.meadow.gateway.service.readmodel;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.meadow.contracts.TrainingEvent;

/**
 * Training and validation loss per epoch as SVG coordinates (the paper's Figure 4), computed here so that the
 * template only draws.
 */
public record LossChart(
        int width,
        int height,
        String trainPoints,
        String validationPoints,
        List<Tick> xTicks,
        List<Tick> yTicks,
        int plotLeft,
        int plotRight,
        int plotTop,
        int plotBottom,
        Integer bestEpoch,
        Double bestX) {

    /** Where the value labels of the y axis end. */
    public int yLabelX() {
        return plotLeft - 6;
    }

    /** Where the epoch labels of the x axis sit. */
    public int xLabelY() {
        return plotBottom + 18;
    }

    /** A labelled position on an axis. */
    public record Tick(double position, String label) {}

    private static final int WIDTH = 560;
    private static final int HEIGHT = 240;
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 12;
    private static final int BOTTOM = 32;

    /** Null when there is nothing to draw. */
    public static LossChart of(List<TrainingEvent> epochs, Integer bestEpoch) {
        if (epochs.isEmpty()) {
            return null;
        }
        double min = Double.MAX_VALUE;
        double max = -Double.MAX_VALUE;
        for (TrainingEvent e : epochs) {
            min = Math.min(min, Math.min(e.train().total(), e.validation().total()));
            max = Math.max(max, Math.max(e.train().total(), e.validation().total()));
        }
        if (max - min < 1e-9) {
            max = min + 1;
        }
        double pad = (max - min) * 0.08;
        double low = min - pad;
        double high = max + pad;
        int first = epochs.get(0).epoch();
        int last = epochs.get(epochs.size() - 1).epoch();
        int span = Math.max(1, last - first);
        StringBuilder train = new StringBuilder();
        StringBuilder validation = new StringBuilder();
        for (TrainingEvent e : epochs) {
            double x = x(e.epoch(), first, span);
            train.append(point(x, y(e.train().total(), low, high)));
            validation.append(point(x, y(e.validation().total(), low, high)));
        }
        List<Tick> xTicks = new ArrayList<>();
        int step = Math.max(1, (int) Math.ceil(span / 10.0));
        for (int epoch = first; epoch <= last; epoch += step) {
            xTicks.add(new Tick(x(epoch, first, span), Integer.toString(epoch)));
        }
        List<Tick> yTicks = new ArrayList<>();
        for (int i = 0; i <= 4; i++) {
            double value = low + (high - low) * i / 4;
            yTicks.add(new Tick(y(value, low, high), format(value)));
        }
        Double bestX = bestEpoch == null ? null : x(bestEpoch, first, span);
        return new LossChart(
                WIDTH,
                HEIGHT,
                train.toString().strip(),
                validation.toString().strip(),
                xTicks,
                yTicks,
                LEFT,
                WIDTH - RIGHT,
                TOP,
                HEIGHT - BOTTOM,
                bestEpoch,
                bestX);
    }

    private static double x(int epoch, int first, int span) {
        return LEFT + (double) (epoch - first) / span * (WIDTH - LEFT - RIGHT);
    }

    private static double y(double value, double low, double high) {
        return TOP + (1 - (value - low) / (high - low)) * (HEIGHT - TOP - BOTTOM);
    }

    private static String point(double x, double y) {
        return String.format(Locale.ROOT, "%.1f,%.1f ", x, y);
    }

    private static String format(double value) {
        return Math.abs(value) >= 100
                ? String.format(Locale.ROOT, "%.0f", value)
                : String.format(Locale.ROOT, "%.2f", value);
    }
}
