package dev.meadow.cli.client;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "download",
        mixinStandardHelpOptions = true,
        description = {
            "Write a batch's images to a directory: <jobId>.png and manifest.jsonl (prompt, seed, model).",
            "Run it again to resume an interrupted download or to fetch images generated since."
        })
public final class DownloadCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", paramLabel = "BATCH", description = "The batch id.")
    String batchId;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Where the images go.")
    Path out;

    @Option(
            names = "--parallel",
            defaultValue = "8",
            description = "Images fetched at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Override
    public Integer call() throws Exception {
        if (parallel < 1 || parallel > 64) {
            throw new UserError("--parallel must be between 1 and 64");
        }
        PrintWriter printer = spec.commandLine().getOut();
        long start = System.nanoTime();
        BatchDownloader.Outcome outcome = new BatchDownloader(options.client(), parallel).download(batchId, out);
        return report(printer, spec.commandLine().getErr(), outcome, out, start);
    }

    /** Prints what a download did; 1 if some images could not be fetched, else 0. */
    static int report(PrintWriter printer, PrintWriter errors, BatchDownloader.Outcome outcome, Path out, long start) {
        printer.printf(
                Locale.ROOT,
                "%d images written to %s in %.1f s (%d were there already); manifest: %s%n",
                outcome.downloaded(),
                out,
                (System.nanoTime() - start) / 1e9,
                outcome.alreadyThere(),
                out.resolve(BatchDownloader.MANIFEST));
        printer.flush();
        if (outcome.failures().isEmpty()) {
            return 0;
        }
        errors.printf(
                "meadow: %d images could not be fetched (run the same command again to retry them):%n",
                outcome.failures().size());
        outcome.failures().stream().limit(10).forEach(f -> errors.println("  " + f));
        errors.flush();
        return 1;
    }
}
