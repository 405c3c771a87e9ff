package dev.meadow.gateway.service.errors;

import java.util.List;

import dev.meadow.gateway.api.FieldProblem;

/** A request that is well-formed but asks for something Meadow refuses; nothing of it was published. */
public class InvalidRequestException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidRequestException(String message, List<FieldProblem> problems) {
        super(message);
        this.problems = List.copyOf(problems);
    }

    public InvalidRequestException(String field, String message) {
        this(message, List.of(new FieldProblem(field, message)));
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
