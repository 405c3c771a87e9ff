package dev.meadow.gateway.web;

import java.util.Locale;

import dev.meadow.contracts.EvalReportSummary;
import io.quarkus.qute.TemplateExtension;

/** Number formatting for templates: {@code {report.rPrecision.fixed(3)}}. */
@TemplateExtension
public final class NumberFormats {

    private NumberFormats() {}

    /** Thousands grouped: {@code {images.total.grouped}} reads 22,788. */
    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    /** A report's measure, rounded as every report page rounds it ({@code EvalReportSummary.format}). */
    static String metric(Number value) {
        return value == null ? "–" : EvalReportSummary.format(value.doubleValue());
    }

    static String fixed(Number value, int digits) {
        return value == null ? "–" : String.format(Locale.ROOT, "%." + digits + "f", value.doubleValue());
    }
}
