package dev.meadow.cli.client;

import java.io.PrintWriter;
import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meadow.cli.common.Progress;
import me.tongfei.progressbar.ProgressBar;

/** Follows a batch until it is over, drawing a progress bar, and returns its final state. */
final class BatchWatcher {

    private BatchWatcher() {}

    static JsonNode follow(GatewayClient gateway, String batchId, int total) throws InterruptedException {
        JsonNode progress = gateway.get("api/batches/" + batchId);
        try (ProgressBar bar = Progress.bar("generating", total)) {
            while (true) {
                int done = progress.path("done").asInt();
                bar.stepTo(done);
                bar.setExtraMessage(String.format(
                        Locale.ROOT,
                        "%d failed, %d cancelled",
                        progress.path("failed").asInt(),
                        progress.path("cancelled").asInt()));
                if (progress.path("finished").asBoolean()
                        || (progress.path("cancelRequested").asBoolean()
                                && progress.path("queued").asInt() == 0)) {
                    return progress;
                }
                Thread.sleep(500);
                progress = gateway.get("api/batches/" + batchId);
            }
        }
    }

    static void summary(PrintWriter out, JsonNode p) {
        out.printf(
                Locale.ROOT,
                "Batch %s: %d generated, %d failed, %d cancelled of %d%n",
                p.path("batchId").asText(),
                p.path("generated").asInt(),
                p.path("failed").asInt(),
                p.path("cancelled").asInt(),
                p.path("total").asInt());
    }
}
