package dev.meadow.gateway.rest;

import dev.meadow.gateway.service.InvalidRequestException;

/**
 * Number and boolean parameters read by hand: JAX-RS answers a query parameter it cannot convert with a bare 404
 * (or silently reads a boolean as false), where a client deserves a 400 that names the parameter.
 */
final class QueryParams {

    private QueryParams() {
    }

    /** The parameter as a long, or null when absent. */
    static Long wholeNumber(String name, String value) {
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
    static Integer integer(String name, String value) {
        Long number = wholeNumber(name, value);
        if (number == null) {
            return null;
        }
        if (number < Integer.MIN_VALUE || number > Integer.MAX_VALUE) {
            throw new InvalidRequestException(name, name + " is out of range: " + number);
        }
        return number.intValue();
    }

    /** The parameter as a boolean: absent is false; anything but true or false is refused. */
    static boolean bool(String name, String value) {
        if (value == null || value.isBlank()) {
            return false;
        }
        return switch (value.strip().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidRequestException(name, name + " must be true or false, not '"
                    + (value.length() > 40 ? value.substring(0, 40) + "..." : value) + "'");
        };
    }
}
