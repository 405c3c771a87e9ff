package dev.meadow.cli;

import dev.meadow.cli.bench.BenchCommand;
import dev.meadow.cli.client.DownloadCommand;
import dev.meadow.cli.client.ImportCocoCommand;
import dev.meadow.cli.client.StatusCommand;
import dev.meadow.cli.client.SubmitCommand;
import dev.meadow.cli.eval.EvalCommand;
import dev.meadow.cli.eval.ExperimentCommand;
import dev.meadow.cli.eval.TrainSceneJudgeCommand;
import dev.meadow.cli.offline.GenerateCommand;
import dev.meadow.cli.offline.PairPriorCommand;
import dev.meadow.cli.offline.PublishModelCommand;
import dev.meadow.cli.offline.SetupKafkaCommand;
import dev.meadow.cli.offline.SynthCommand;
import dev.meadow.cli.offline.TrainClipCommand;
import dev.meadow.cli.offline.TrainCommand;
import dev.meadow.cli.offline.TrainPriorCommand;
import dev.meadow.cli.up.UpCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code meadow} command. */
@Command(
        name = "meadow",
        mixinStandardHelpOptions = true,
        versionProvider = MeadowVersion.class,
        description = "Meadow: text-to-image generation with a CLIP-conditioned VAE.",
        subcommands = {
            UpCommand.class,
            SynthCommand.class,
            TrainClipCommand.class,
            TrainPriorCommand.class,
            PairPriorCommand.class,
            TrainCommand.class,
            GenerateCommand.class,
            PublishModelCommand.class,
            SetupKafkaCommand.class,
            SubmitCommand.class,
            StatusCommand.class,
            DownloadCommand.class,
            ImportCocoCommand.class,
            EvalCommand.class,
            TrainSceneJudgeCommand.class,
            ExperimentCommand.class,
            BenchCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Meadow {

    /** Exit code for bad usage or bad input (wrong paths, unknown presets, ...). */
    public static final int EXIT_USAGE = 2;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = new CommandLine(new Meadow());
        commandLine.setExecutionExceptionHandler(new UserErrorHandler());
        return commandLine;
    }
}
