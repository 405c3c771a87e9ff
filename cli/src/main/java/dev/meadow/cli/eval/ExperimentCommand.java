package dev.meadow.cli.eval;

import picocli.CommandLine.Command;

@Command(
        name = "experiment",
        mixinStandardHelpOptions = true,
        description = "Reproducible experiments.",
        subcommands = {PaperTableCommand.class, FigureCommand.class, ClipKindsCommand.class})
public final class ExperimentCommand {}
