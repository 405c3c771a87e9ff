package dev.meadow.gateway.web;

import java.util.Locale;

import io.quarkus.qute.TemplateExtension;

/** Number formatting for templates: {@code {report.rPrecision.fixed(3)}}. */
@TemplateExtension
public final class NumberFormats {

    private NumberFormats() {}

    /** Thousands grouped: {@code {images.total.grouped}} reads 22,788. */
    static String grouped(long value) {
        return String.format(Locale.ROOT, "%,d", value);
    }

    static String fixed(Number value, int digits) {
        return value == null ? "–" : String.format(Locale.ROOT, "%." + digits + "f", value.doubleValue());
    }
}
