package dev.meadow.cli.up;

import java.util.List;
import java.util.Map;

/** How to start one component of the local stack, how to know it serves, and where it can be reached. */
public record ComponentSpec(
        String name, List<String> command, Map<String, String> environment, HealthProbe probe, String address) {}
