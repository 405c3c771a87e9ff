package dev.meadow.gateway.rest;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import dev.meadow.gateway.service.errors.InvalidRequestException;
import dev.meadow.gateway.service.gallery.ImageQuery;

/**
 * Number and boolean parameters read by hand: JAX-RS answers a query parameter it cannot convert with a bare 404
 * (or silently reads a boolean as false), where a client deserves a 400 that names the parameter.
 */
public final class QueryParams {

    private QueryParams() {}

    /** The parameter as a long, or null when absent. */
    public static Long wholeNumber(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            String shown = value.length() > 40 ? value.substring(0, 40) + "..." : value;
            throw new InvalidRequestException(name, name + " must be a whole number, not '" + shown + "'");
        }
    }

    /** The parameter as an int, or null when absent. */
    public static Integer integer(String name, String value) {
        Long number = wholeNumber(name, value);
        if (number == null) {
            return null;
        }
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw new InvalidRequestException(name, name + " is out of range: " + number);
        }
        return number.intValue();
    }

    /** The parameter as an instant: {@code 2026-11-29} (midnight UTC) or {@code 2026-11-29T10:15:00Z}; null when absent. */
    public static Instant instant(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.strip();
        try {
            return v.length() == 10
                    ? LocalDate.parse(v).atStartOfDay(ZoneOffset.UTC).toInstant()
                    : Instant.parse(v);
        } catch (DateTimeParseException e) {
            throw new InvalidRequestException(
                    name,
                    name + " must be a date (2026-11-29) or an instant " + "(2026-11-29T10:15:00Z), not '"
                            + (v.length() > 40 ? v.substring(0, 40) + "..." : v) + "'");
        }
    }

    /** A gallery listing's filters, from the parameters of the API and of the gallery page alike. */
    public static ImageQuery imageQuery(String q, String batch, String model, String seed, String from, String to) {
        return new ImageQuery(q, batch, model, wholeNumber("seed", seed), instant("from", from), instant("to", to));
    }

    /** The parameter as a boolean: absent is false; anything but true or false is refused. */
    public static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default ->
                throw new InvalidRequestException(
                        name,
                        name + " must be true or false, not '"
                                + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        };
    }
}
