package dev.meadow.gateway.api;

/** One image that was queued: its job id and the seed it will be drawn with. */
public record AcceptedJob(String jobId, String prompt, long seed) {}
