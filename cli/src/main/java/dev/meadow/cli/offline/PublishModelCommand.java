package dev.meadow.cli.offline;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import dev.meadow.cli.common.Inputs;
import dev.meadow.cli.common.KafkaLogins;
import dev.meadow.cli.common.StoreOptions;
import dev.meadow.cli.common.UserError;
import dev.meadow.contracts.Component;
import dev.meadow.contracts.ModelKind;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.messaging.ModelCatalog;
import dev.meadow.model.cvae.Decoder;
import dev.meadow.model.cvae.DecoderCard;
import dev.meadow.model.prior.PriorCard;
import dev.meadow.model.publishing.ModelSeeding;
import dev.meadow.storage.ObjectStore;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "publish-model",
        mixinStandardHelpOptions = true,
        description = {
            "Upload a CLIP model or decoder directory to the object store and announce it on the models "
                    + "topic (e.g. to seed a deployment). The connection comes from the options, else the environment "
                    + "variables the services read, else the data directory of meadow up."
        })
public final class PublishModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A directory with clip.json, prior.json or model.json.")
    Path directory;

    @ArgGroup(exclusive = true)
    Activation activation = new Activation();

    static final class Activation {
        @Option(names = "--activate", description = "Make it the active model of its kind.")
        boolean always;

        @Option(
                names = "--activate-if-none",
                description = "Make it the active model of its kind only if none is active yet (for seeding: "
                        + "a model someone activated since is kept).")
        boolean ifNone;
    }

    @Option(
            names = "--kafka",
            defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS}",
            description = {
                "Broker (default: $KAFKA_BOOTSTRAP_SERVERS, else meadow up's of --data).",
                "Logs in as $MEADOW_KAFKA_USERNAME with $MEADOW_KAFKA_PASSWORD, else as meadow up's publisher."
            })
    String kafka;

    @Mixin
    StoreOptions store;

    @Override
    public Integer call() throws Exception {
        Inputs.existingDirectory(directory, "model directory");
        boolean activating = activation.always || activation.ifNone;
        if (activating && Files.exists(directory.resolve(PriorCard.FILE_NAME))) {
            throw new UserError("a prior is activated with a decoder that draws through it: publish the prior without"
                    + " --activate, then publish (or activate) the decoder");
        }
        DecoderCard decoder = Files.exists(directory.resolve(DecoderCard.FILE_NAME))
                ? Inputs.asUserInput(() -> Decoder.readCard(directory))
                : null;
        String prior = decoder == null ? null : decoder.priorModelId();
        Map<String, Object> login = KafkaLogins.resolve(kafka, store.up(), Component.PUBLISHER);
        if (prior != null) {
            checkPrior(decoder, activating, login);
        }
        // The store first: missing keys are the commonest mistake, and the broker would only time out behind it.
        try (ObjectStore objects = store.open();
                ModelSeeding seeding = new ModelSeeding(objects, login)) {
            ModelPublished published = Inputs.asUserInput(() -> {
                try {
                    return seeding.publish(directory, activation.always);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new UserError("publishing failed: " + e.getMessage(), e);
                }
            });
            String outcome = activation.always ? " and activated it" : "";
            if (activation.always && prior != null) {
                seeding.activate(ModelKind.PRIOR, prior);
                outcome += " with prior " + prior;
            }
            if (activation.ifNone) {
                outcome = activateIfNone(seeding, published, login);
                if (prior != null && outcome.startsWith(" and activated")) {
                    seeding.activate(ModelKind.PRIOR, prior);
                    outcome += " with prior " + prior;
                }
            }
            spec.commandLine()
                    .getOut()
                    .printf("Published %s model %s%s%n", published.kind().id(), published.modelId(), outcome);
        }
        return 0;
    }

    /**
     * A paired decoder serves only with its prior: refused before anything is published when its prior is published
     * but draws another CLIP's embeddings (it could never serve), or, to be activated, is not published at all.
     */
    private static void checkPrior(DecoderCard decoder, boolean activating, Map<String, Object> login)
            throws InterruptedException {
        String prior = decoder.priorModelId();
        if (prior.equals(decoder.modelId())) {
            throw new UserError("decoder " + decoder.modelId() + " names itself as its prior");
        }
        try (ModelCatalog catalog = caughtUpCatalog(login)) {
            Optional<ModelPublished> published = catalog.published(ModelKind.PRIOR, prior);
            if (published.isEmpty() && activating) {
                throw new UserError("the decoder draws through prior " + prior + ", which is not published: publish"
                        + " its directory first");
            }
            if (published.isPresent()
                    && (!published.get().clipModelId().equals(decoder.clipModelId())
                            || published.get().embeddingDimension() != decoder.conditionDim())) {
                throw new UserError("decoder " + decoder.modelId() + " (CLIP " + decoder.clipModelId()
                        + ") names prior " + prior + ", which draws embeddings of CLIP "
                        + published.get().clipModelId());
            }
        }
    }

    private String activateIfNone(ModelSeeding seeding, ModelPublished published, Map<String, Object> login)
            throws Exception {
        try (ModelCatalog catalog = caughtUpCatalog(login)) {
            Optional<String> active = catalog.activeId(published.kind());
            if (active.isPresent()) {
                return "; " + active.get() + " stays active";
            }
            seeding.activate(published.kind(), published.modelId());
            return " and activated it (none was active)";
        }
    }

    /** The models topic read to its end, or a clear error when the broker does not answer in time. */
    private static ModelCatalog caughtUpCatalog(Map<String, Object> login) throws InterruptedException {
        ModelCatalog catalog = new ModelCatalog(login, "meadow-publish-model").start();
        if (!catalog.awaitCaughtUp(Duration.ofSeconds(30))) {
            String problem = catalog.problem().orElse("no answer");
            catalog.close();
            throw new UserError("could not read the models topic at " + login.get("bootstrap.servers")
                    + " within 30 s: " + problem);
        }
        return catalog;
    }
}
