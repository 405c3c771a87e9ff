package dev.meadow.cli.offline;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Checks;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.cvae.DecoderPairing;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "pair-prior",
        mixinStandardHelpOptions = true,
        description = {
            "Make a decoder draw through a prior: writes the decoder's files under a new id whose card names the"
                    + " prior. Published, the two are activated together; a request with \"prior\": false (or a"
                    + " prompts-file line with --no-prior) still draws the decoder's own pictures.",
            "The prior must draw embeddings of the CLIP the decoder was trained against."
        })
public final class PairPriorCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--decoder", required = true, description = "Decoder directory (from meadow train).")
    Path decoder;

    @Option(names = "--prior", required = true, description = "Prior directory (from meadow train-prior).")
    Path prior;

    @Option(names = "--id", required = true, description = "The paired decoder's model id (a new one).")
    String modelId;

    @Option(names = "--out", required = true, description = "Directory for the paired decoder (absent or empty).")
    Path out;

    @Override
    public Integer call() {
        Inputs.existingDirectory(decoder, "decoder");
        Inputs.existingDirectory(prior, "prior");
        if (!Checks.ID.matcher(modelId).matches()) {
            throw new UserError(
                    "--id must start with a letter or digit and hold at most 128 letters, digits, '.', '_' or '-', not '"
                            + modelId + "'");
        }
        DecoderCard card;
        try {
            card = Inputs.asUserInput(() -> DecoderPairing.pair(decoder, prior, modelId, out));
        } catch (IllegalArgumentException e) {
            throw new UserError(e.getMessage(), e);
        }
        spec.commandLine()
                .getOut()
                .printf(
                        "Decoder %s written to %s: it draws through prior %s (publish the prior with it)%n",
                        card.modelId(), out, card.priorModelId());
        return 0;
    }
}
