package dev.meadow.cli;

import dev.meadow.cli.common.UserError;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Prints user errors as one clear line (exit 2); anything else is a bug and keeps its stack trace (exit 1). */
final class UserErrorHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine commandLine, ParseResult parseResult) {
        if (e instanceof UserError) {
            commandLine.getErr().println(commandLine.getColorScheme().errorText("meadow: " + e.getMessage()));
            return Meadow.EXIT_USAGE;
        }
        commandLine.getErr().println(commandLine.getColorScheme().errorText("meadow: unexpected error: " + e));
        e.printStackTrace(commandLine.getErr());
        return 1;
    }
}
