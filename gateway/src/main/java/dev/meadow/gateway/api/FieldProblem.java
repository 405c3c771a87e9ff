package dev.meadow.gateway.api;

/** One reason a request was refused, tied to the field (or line) it concerns. */
public record FieldProblem(String field, String message) {}
