package dev.meadow.cli.bench;

import picocli.CommandLine.Command;

@Command(
        name = "bench",
        mixinStandardHelpOptions = true,
        description = "Benchmarks.",
        subcommands = {
            BenchModelsCommand.class,
            BenchPipelineCommand.class,
            BenchDatasetCommand.class,
            BenchGalleryCommand.class
        })
public final class BenchCommand {}
