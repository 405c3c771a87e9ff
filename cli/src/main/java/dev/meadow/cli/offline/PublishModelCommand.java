package dev.meadow.cli.offline;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.meadow.cli.Inputs;
import dev.meadow.cli.UserError;
import dev.meadow.contracts.ModelPublished;
import dev.meadow.messaging.ModelSeeding;
import dev.meadow.messaging.TopicProvisioner;
import dev.meadow.storage.ObjectStore;
import dev.meadow.storage.ObjectStoreSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "publish-model", mixinStandardHelpOptions = true,
        description = {"Upload a CLIP model or decoder directory to the object store and announce it on the models "
                + "topic (e.g. to seed a deployment). The connection comes from the same environment variables "
                + "the services read."})
public final class PublishModelCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "DIR", description = "A directory with clip.json or model.json.")
    Path directory;

    @Option(names = "--activate", description = "Make it the active model of its kind.")
    boolean activate;

    @Option(names = "--kafka", defaultValue = "${env:KAFKA_BOOTSTRAP_SERVERS:-localhost:9092}",
            description = "Broker (default: $KAFKA_BOOTSTRAP_SERVERS or localhost:9092).")
    String kafka;

    @Option(names = "--s3", defaultValue = "${env:MEADOW_S3_ENDPOINT:-http://localhost:9000}",
            description = "Object store (default: $MEADOW_S3_ENDPOINT or http://localhost:9000).")
    String s3;

    @Option(names = "--access-key", defaultValue = "${env:MEADOW_S3_ACCESS_KEY}", description = "Default: $MEADOW_S3_ACCESS_KEY.")
    String accessKey;

    @Option(names = "--secret-key", defaultValue = "${env:MEADOW_S3_SECRET_KEY}", description = "Default: $MEADOW_S3_SECRET_KEY.")
    String secretKey;

    @Override
    public Integer call() throws Exception {
        Inputs.existingDirectory(directory, "model directory");
        if (accessKey == null || secretKey == null) {
            throw new UserError("object store credentials are missing: set MEADOW_S3_ACCESS_KEY and "
                    + "MEADOW_S3_SECRET_KEY or pass --access-key and --secret-key");
        }
        TopicProvisioner.ensureTopics(kafka, (short) 1);
        try (ObjectStore store = new ObjectStore(new ObjectStoreSettings(s3, accessKey, secretKey, "us-east-1",
                "meadow-")); ModelSeeding seeding = new ModelSeeding(store, kafka)) {
            store.ensureBuckets();
            ModelPublished published = Inputs.asUserInput(() -> {
                try {
                    return seeding.publish(directory, activate);
                } catch (RuntimeException e) {
                    throw e;
                } catch (Exception e) {
                    throw new UserError("publishing failed: " + e.getMessage(), e);
                }
            });
            spec.commandLine().getOut().printf("Published %s model %s%s%n", published.kind().id(),
                    published.modelId(), activate ? " and activated it" : "");
        }
        return 0;
    }
}
