package dev.meadow.cli.client;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.common.UserError;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = "Progress of one batch, or the recent batches.")
public final class StatusCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    ClientOptions options;

    @Parameters(index = "0", arity = "0..1", paramLabel = "BATCH", description = "A batch id.")
    String batchId;

    @Option(names = "--follow", description = "Follow the batch until it is over.")
    boolean follow;

    /** The shape of the gateway's batch ids; anything else would change the URL's path if sent. */
    private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    @Override
    public Integer call() throws Exception {
        if (batchId != null && !BATCH_ID.matcher(batchId).matches()) {
            throw new UserError("'" + batchId + "' is not a batch id (ids are letters, digits, '-' and '_')");
        }
        GatewayClient gateway = options.client();
        PrintWriter out = spec.commandLine().getOut();
        if (batchId == null) {
            out.println("batch            done/total  generated  failed  cancelled  first prompt");
            for (JsonNode b : gateway.get("api/batches?limit=20")) {
                out.printf(
                        Locale.ROOT,
                        "%-15s %6d/%-6d %9d %7d %10d  %s%n",
                        b.path("batchId").asText(),
                        b.path("done").asInt(),
                        b.path("total").asInt(),
                        b.path("generated").asInt(),
                        b.path("failed").asInt(),
                        b.path("cancelled").asInt(),
                        b.path("firstPrompt").asText());
            }
            return 0;
        }
        JsonNode p = follow
                ? BatchWatcher.follow(
                        gateway,
                        batchId,
                        gateway.get("api/batches/" + batchId).path("total").asInt())
                : gateway.get("api/batches/" + batchId);
        out.printf(
                Locale.ROOT,
                "Batch %s: %.1f%% done, %d queued (%d embedded), %d generated, %d failed, " + "%d cancelled of %d%s%n",
                batchId,
                p.path("percent").asDouble(),
                p.path("queued").asInt(),
                p.path("embedded").asInt(),
                p.path("generated").asInt(),
                p.path("failed").asInt(),
                p.path("cancelled").asInt(),
                p.path("total").asInt(),
                p.path("cancelRequested").asBoolean() ? " (cancellation requested)" : "");
        return 0;
    }
}
