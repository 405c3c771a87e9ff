package dev.meadow.cli.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * CPU time of each process of a stack that {@code meadow up} runs from one data directory: its broker, object store
 * and database, and each service (generators summed). Read from the operating system, so it counts native threads
 * (TensorFlow's) as well as Java's.
 */
final class StackCpu {

    private static final String DEVSTACK = "dev.meadow.devstack.DevStackMain";

    private StackCpu() {}

    /** CPU time so far per component; empty when no such stack runs on this machine. */
    static Map<String, Duration> of(Path data) {
        Path dataDir = data.toAbsolutePath().normalize();
        Map<String, Duration> cpu = new TreeMap<>();
        Optional<ProcessHandle> up = ProcessHandle.allProcesses()
                .filter(p -> dataDir.resolve("kafka").equals(argumentAfter(commandLine(p), DEVSTACK + " kafka ")))
                .findFirst()
                .flatMap(ProcessHandle::parent);
        if (up.isEmpty()) {
            return cpu;
        }
        // PostgreSQL and its workers run under the database's wrapper, which watches them.
        up.get().descendants().forEach(p -> add(cpu, component(commandLine(p)), p));
        return cpu;
    }

    /** The path given right after {@code marker} on a command line, normalised; null when there is none. */
    static Path argumentAfter(String commandLine, String marker) {
        int at = commandLine.indexOf(marker);
        if (at < 0) {
            return null;
        }
        String rest = commandLine.substring(at + marker.length()).strip();
        int space = rest.indexOf(' ');
        String argument = space < 0 ? rest : rest.substring(0, space);
        try {
            return Path.of(argument).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    /** The component a process of the stack is, by its command line. */
    static String component(String commandLine) {
        int devstack = commandLine.indexOf(DEVSTACK + " ");
        if (devstack >= 0) {
            String rest = commandLine.substring(devstack + DEVSTACK.length() + 1);
            int space = rest.indexOf(' ');
            return space < 0 ? rest : rest.substring(0, space);
        }
        if (commandLine.startsWith("postgres:") || commandLine.contains("/bin/postgres ")) {
            return "postgres";
        }
        for (String module : List.of("gateway", "embedder", "generator", "trainer")) {
            if (commandLine.contains("/" + module + "/target/quarkus-app/")
                    || commandLine.contains("/" + module + "-service/target/quarkus-app/")) {
                return module;
            }
        }
        return "other";
    }

    /** What each component spent between two readings. */
    static Map<String, Duration> between(Map<String, Duration> before, Map<String, Duration> after) {
        Map<String, Duration> spent = new TreeMap<>();
        after.forEach(
                (component, total) -> spent.put(component, total.minus(before.getOrDefault(component, Duration.ZERO))));
        return spent;
    }

    private static void add(Map<String, Duration> cpu, String component, ProcessHandle process) {
        process.info().totalCpuDuration().ifPresent(d -> cpu.merge(component, d, Duration::plus));
    }

    private static String commandLine(ProcessHandle p) {
        return p.info().commandLine().orElse("");
    }
}
