package dev.meadow.gateway.web;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateExtension;

/**
 * Times for templates: {@code {batch.submittedAt.time}} reads at a glance ("29 Nov 2026, 18:25 UTC") and keeps the
 * exact instant in the {@code <time>} element's {@code datetime} and on hover.
 */
@TemplateExtension
public final class TimeFormats {

    private static final DateTimeFormatter READABLE = DateTimeFormatter.ofPattern(
                    "d MMM yyyy, HH:mm 'UTC'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    private TimeFormats() {}

    static String readable(Instant instant) {
        return instant == null ? "–" : READABLE.format(instant);
    }

    static RawString time(Instant instant) {
        if (instant == null) {
            return new RawString("–");
        }
        // Instant.toString holds only digits, letters, '-', ':' and '.': nothing to escape.
        String exact = instant.truncatedTo(ChronoUnit.MILLIS).toString();
        return new RawString(
                "<time datetime=\"" + exact + "\" title=\"" + exact + "\">" + readable(instant) + "</time>");
    }
}
