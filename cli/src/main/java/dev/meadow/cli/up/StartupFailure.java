package dev.meadow.cli.up;

/** A component did not come up; the message names it and holds the end of its log. */
public class StartupFailure extends Exception {

    public StartupFailure(String message) {
        super(message);
    }
}
