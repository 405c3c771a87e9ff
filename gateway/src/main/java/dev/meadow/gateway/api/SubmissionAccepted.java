package dev.meadow.gateway.api;

import java.util.List;

/** What the gateway queued for a submission. {@code statusUrl} follows its progress. */
public record SubmissionAccepted(String batchId, int total, List<AcceptedJob> jobs, String statusUrl) {
}
