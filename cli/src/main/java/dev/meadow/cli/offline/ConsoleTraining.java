package dev.meadow.cli.offline;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

import dev.meadow.cli.common.Progress;
import dev.meadow.cli.common.UserError;
import dev.meadow.dataset.Snapshot;
import dev.meadow.model.InvalidModelException;
import dev.meadow.model.clip.ClipModel;
import dev.meadow.model.clip.DatasetEmbedder;
import dev.meadow.model.cvae.CvaeData;
import dev.meadow.model.cvae.CvaeTraining;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.EpochReport;
import dev.meadow.model.cvae.StepListener;
import me.tongfei.progressbar.ProgressBar;

/**
 * Training a decoder at the console, as {@code meadow train} and {@code meadow experiment paper-table} both do:
 * embedding with a progress bar, training with one bar per epoch, and the epoch table at the end.
 */
public final class ConsoleTraining {

    private ConsoleTraining() {}

    /** Embeds a snapshot's images and captions with CLIP, showing progress, and loads its pixels. */
    public static CvaeData embed(Snapshot snapshot, ClipModel clipModel, int imageSize) {
        int items = snapshot.size()
                + snapshot.captionsByImage().values().stream()
                        .mapToInt(java.util.List::size)
                        .sum();
        DatasetEmbedder.Embedded embedded;
        try (ProgressBar bar = Progress.bar("embedding", items)) {
            embedded = DatasetEmbedder.embed(snapshot, clipModel, bar::stepTo);
        }
        return CvaeData.of(snapshot, imageSize, embedded.images(), embedded.captions());
    }

    /** Trains (resuming from {@code workDir}), exports to {@code out} and prints the epoch table. */
    public static CvaeTraining.Outcome trainAndExport(
            CvaeData data, CvaeTraining.Spec spec, Path workDir, String id, Path out, PrintWriter console) {
        CvaeTraining.Outcome outcome;
        try {
            outcome = CvaeTraining.train(data, spec, workDir, new BarListener(console));
        } catch (IllegalArgumentException | IllegalStateException | InvalidModelException e) {
            throw new UserError(e.getMessage(), e);
        }
        DecoderCard card = CvaeTraining.export(outcome, spec, data.dimension(), id, out);
        console.println();
        printTable(console, outcome);
        console.printf(
                Locale.ROOT,
                "Decoder %s (%s, %s conditioning, %,d parameters) written to %s%n"
                        + "Best validation loss %.1f at epoch %d.%n",
                card.modelId(),
                card.preset(),
                spec.conditioning(),
                outcome.parameters(),
                out,
                outcome.bestValidation().total(),
                outcome.bestEpoch());
        return outcome;
    }

    static void printTable(PrintWriter console, CvaeTraining.Outcome outcome) {
        boolean clip = outcome.history().stream().anyMatch(r -> r.validation().clipLoss() != null);
        boolean perceptual =
                outcome.history().stream().anyMatch(r -> r.validation().perceptualLoss() != null);
        console.println("epoch | train: total      bce      kl  1-ssim | validation: total      bce      kl  1-ssim"
                + " |   img/s" + (clip ? " | 1-cos train / validation" : "")
                + (perceptual ? " | perceptual train / validation" : ""));
        for (EpochReport r : outcome.history()) {
            console.printf(
                    Locale.ROOT,
                    "%5d | %12.1f %8.1f %7.1f %7.4f | %17.1f %8.1f %7.1f %7.4f | %7.1f%s%s%s%n",
                    r.epoch(),
                    r.train().total(),
                    r.train().bce(),
                    r.train().kl(),
                    r.train().ssimLoss(),
                    r.validation().total(),
                    r.validation().bce(),
                    r.validation().kl(),
                    r.validation().ssimLoss(),
                    r.imagesPerSecond(),
                    clip
                            ? String.format(
                                    Locale.ROOT,
                                    " | %6.4f / %6.4f",
                                    r.train().clipLoss(),
                                    r.validation().clipLoss())
                            : "",
                    perceptual
                            ? String.format(
                                    Locale.ROOT,
                                    " | %7.4f / %7.4f",
                                    r.train().perceptualLoss(),
                                    r.validation().perceptualLoss())
                            : "",
                    r.epoch() == outcome.bestEpoch() ? "  <- best" : "");
        }
    }

    private static final class BarListener implements CvaeTraining.Listener {

        private final PrintWriter console;
        private int epochs;

        BarListener(PrintWriter console) {
            this.console = console;
        }

        @Override
        public void started(
                int firstEpoch,
                int epochs,
                int trainImages,
                int validationImages,
                java.util.List<EpochReport> history) {
            this.epochs = epochs;
            console.printf(
                    "%s: %d training and %d validation images, epochs %d..%d%n",
                    history.isEmpty() ? "Training" : "Resuming from the last checkpoint",
                    trainImages,
                    validationImages,
                    firstEpoch,
                    epochs);
            console.flush();
        }

        @Override
        public StepListener epochStarted(int epoch) {
            ProgressBar[] bar = new ProgressBar[1];
            return (step, steps, loss) -> {
                if (bar[0] == null) {
                    bar[0] = Progress.bar(String.format("epoch %d/%d", epoch, epochs), steps);
                }
                bar[0].stepTo(step);
                bar[0].setExtraMessage(String.format(Locale.ROOT, "loss %.1f", loss));
                if (step == steps) {
                    bar[0].close();
                }
            };
        }
    }
}
