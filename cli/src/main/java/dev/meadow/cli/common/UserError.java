package dev.meadow.cli.common;

/** A problem the user can fix (a wrong path, an unknown preset); printed without a stack trace, exit code 2. */
public class UserError extends RuntimeException {

    public UserError(String message) {
        super(message);
    }

    public UserError(String message, Throwable cause) {
        super(message, cause);
    }
}
