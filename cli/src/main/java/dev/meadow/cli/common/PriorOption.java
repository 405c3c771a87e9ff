package dev.meadow.cli.common;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.prior.Prior;
import picocli.CommandLine.Option;

/**
 * {@code --prior DIR} and {@code --no-prior}: which prior, if any, draws each picture's condition offline. A decoder
 * whose card names a prior finds it beside itself (as the shipped models lie in {@code models/}) unless {@code
 * --prior} says where; {@code --no-prior} draws from the prompt's embedding, as the decoder without one did.
 */
public final class PriorOption {

    @Option(
            names = "--prior",
            description = "A prior directory (meadow train-prior) that draws each picture's condition from the"
                    + " prompt's, with the picture's seed (default: the one the decoder's card names, from the"
                    + " directory beside the decoder's).")
    Path directory;

    @Option(
            names = "--no-prior",
            description = "Draw from the prompt's embedding even where the decoder names a prior: its pictures"
                    + " without one.")
    boolean none;

    /**
     * The prior to draw through, opened, or null for none.
     *
     * @throws UserError when the options contradict each other, or the decoder names a prior that is not found
     */
    public Prior open(Path decoderDirectory, DecoderCard card) {
        Path found = directory(decoderDirectory, card);
        return found == null ? null : Inputs.asUserInput(() -> Prior.load(found));
    }

    /**
     * The directory of the prior to draw through, or null for none: {@code --prior}'s, else the one the card names.
     *
     * @throws UserError when the options contradict each other, or a prior is named but not found
     */
    public Path directory(Path decoderDirectory, DecoderCard card) {
        if (none && directory != null) {
            throw new UserError("--prior and --no-prior exclude each other");
        }
        if (none) {
            return null;
        }
        return directory == null
                ? besideDirectory(decoderDirectory, card)
                : Inputs.existingDirectory(directory, "prior");
    }

    /**
     * The prior a decoder's card names, opened from the directory beside the decoder's, or null when it names none.
     *
     * @throws UserError when it names one that is not there
     */
    public static Prior beside(Path decoderDirectory, DecoderCard card) {
        Path where = besideDirectory(decoderDirectory, card);
        return where == null ? null : Inputs.asUserInput(() -> Prior.load(where));
    }

    /**
     * Where the prior a decoder's card names lies: the directory beside the decoder's named by its id; null when the
     * card names none.
     *
     * @throws UserError when it names one that is not there
     */
    public static Path besideDirectory(Path decoderDirectory, DecoderCard card) {
        if (card.priorModelId() == null) {
            return null;
        }
        Path where = decoderDirectory.toAbsolutePath().normalize().resolveSibling(card.priorModelId());
        if (!Files.isDirectory(where)) {
            throw new UserError("decoder " + card.modelId() + " draws through prior " + card.priorModelId()
                    + ", which is not at " + where + " (give its directory with --prior, or draw without it with"
                    + " --no-prior, where the command has them)");
        }
        return where;
    }
}
