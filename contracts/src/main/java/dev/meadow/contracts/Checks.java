package dev.meadow.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/** Collects the problems of a record, one readable sentence each. */
public final class Checks {

    /** Ids become object keys and Kafka keys: keep them to a safe alphabet. */
    public static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final List<String> problems = new ArrayList<>();

    public Checks() {}

    public static Checks of(int version, int supported) {
        Checks checks = new Checks();
        if (version < 1 || version > supported) {
            checks.problems.add("version " + version + " is not supported (this code reads 1.." + supported + ")");
        }
        return checks;
    }

    public Checks id(String field, String value) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing");
        } else if (!ID.matcher(value).matches()) {
            problems.add(field + " '" + abbreviate(value) + "' must be 1-128 letters, digits, '.', '_' or '-'");
        }
        return this;
    }

    public Checks optionalId(String field, String value) {
        return value == null ? this : id(field, value);
    }

    public Checks text(String field, String value, int maxLength) {
        if (value == null || value.isBlank()) {
            problems.add(field + " is missing or blank");
        } else if (value.length() > maxLength) {
            problems.add(field + " is " + value.length() + " characters long; the maximum is " + maxLength);
        }
        return this;
    }

    public Checks present(String field, Object value) {
        if (value == null) {
            problems.add(field + " is missing");
        }
        return this;
    }

    public Checks range(String field, long value, long min, long max) {
        if (value < min || value > max) {
            problems.add(field + " is " + value + "; it must be between " + min + " and " + max);
        }
        return this;
    }

    public Checks that(boolean condition, String problem) {
        if (!condition) {
            problems.add(problem);
        }
        return this;
    }

    public Checks nested(String field, Contract nested) {
        if (nested == null) {
            problems.add(field + " is missing");
        } else {
            nested.problems().forEach(p -> problems.add(field + "." + p));
        }
        return this;
    }

    /** Problems found by a part's own checks. */
    public Checks also(List<String> more) {
        problems.addAll(more);
        return this;
    }

    public Checks finiteVector(String field, float[] vector) {
        if (vector == null || vector.length == 0) {
            problems.add(field + " is missing or empty");
            return this;
        }
        for (int i = 0; i < vector.length; i++) {
            if (!Float.isFinite(vector[i])) {
                problems.add(field + "[" + i + "] is not a finite number");
                break;
            }
        }
        return this;
    }

    public List<String> problems() {
        return List.copyOf(problems);
    }

    private static String abbreviate(String value) {
        return value.length() <= 40 ? value : value.substring(0, 40) + "...";
    }
}
