package dev.meadow.cli.up;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import dev.meadow.retry.Backoff;

/**
 * Starts components as child processes, waits for each to become healthy, watches them, and stops them all in
 * reverse order. A component that dies is started again after a backoff, and reported; only one that keeps dying
 * (more restarts than the policy allows within its window) ends the supervision. Every component it started is
 * stopped by {@link #stopAll()}, which is idempotent and safe to call from a shutdown hook.
 */
public final class Supervisor {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    /**
     * How often a component may be restarted: at most {@code maxRestarts} within {@code window}; the first
     * restart waits {@code firstBackoff}, each further one twice as long, up to {@code maxBackoff}.
     */
    public record RestartPolicy(int maxRestarts, Duration window, Duration firstBackoff, Duration maxBackoff) {

        public static final RestartPolicy DEFAULT =
                new RestartPolicy(5, Duration.ofMinutes(2), Duration.ofSeconds(1), Duration.ofSeconds(30));

        Duration backoff(int restart) {
            return Backoff.delay(firstBackoff, maxBackoff, restart);
        }
    }

    private final Path logDir;
    private final PrintWriter out;
    private final Duration startupTimeout;
    private final RestartPolicy policy;
    private final List<ManagedProcess> running = new ArrayList<>();
    private final Map<String, ComponentSpec> specs = new HashMap<>();
    private final Map<String, Deque<Long>> restarts = new HashMap<>();
    private volatile boolean stopping;
    private final long createdAt = System.nanoTime();

    public Supervisor(Path logDir, PrintWriter out, Duration startupTimeout) {
        this(logDir, out, startupTimeout, RestartPolicy.DEFAULT);
    }

    public Supervisor(Path logDir, PrintWriter out, Duration startupTimeout, RestartPolicy policy) {
        this.logDir = logDir;
        this.out = out;
        this.startupTimeout = startupTimeout;
        this.policy = policy;
    }

    /** Launches all of them at once, then waits for each in order, reporting as each becomes healthy. */
    public void startAll(List<ComponentSpec> specs) throws StartupFailure, IOException, InterruptedException {
        List<ManagedProcess> started = new ArrayList<>();
        for (ComponentSpec spec : specs) {
            started.add(launch(spec));
            report(
                    spec.name(),
                    "starting (pid " + started.get(started.size() - 1).pid() + ")");
        }
        for (int i = 0; i < specs.size(); i++) {
            awaitHealthy(specs.get(i), started.get(i), "healthy");
        }
    }

    private ManagedProcess launch(ComponentSpec spec) throws IOException {
        ManagedProcess process = ManagedProcess.start(
                spec.name(),
                withCrashReportIn(logDir, spec.name(), spec.command()),
                spec.environment(),
                logDir.resolve(spec.name() + ".log"));
        synchronized (running) {
            if (stopping) {
                // stopAll() has already taken its list: a process started now would outlive meadow up.
                process.kill();
                throw new IOException("not starting " + spec.name() + ": everything is stopping");
            }
            // A restarted component keeps its place, so that stopAll() still stops services before the broker.
            int place = running.stream().map(ManagedProcess::name).toList().indexOf(spec.name());
            if (place >= 0) {
                running.set(place, process);
            } else {
                running.add(process);
            }
            specs.put(spec.name(), spec);
        }
        return process;
    }

    /**
     * A JVM that crashes writes its report ({@code hs_err}) to its working directory unless told otherwise: the
     * directory {@code meadow up} was started from, often a checkout. It goes beside the component's log instead.
     */
    static List<String> withCrashReportIn(Path logDir, String name, List<String> command) {
        if (command.isEmpty()
                || !Path.of(command.get(0)).getFileName().toString().equals("java")) {
            return command;
        }
        List<String> withReport = new ArrayList<>(command);
        withReport.add(1, "-XX:ErrorFile=" + crashReport(logDir, name, "%p"));
        return withReport;
    }

    private static Path crashReport(Path logDir, String name, String pid) {
        return logDir.resolve(name + "-crash-" + pid + ".log");
    }

    private void awaitHealthy(ComponentSpec spec, ManagedProcess process, String what)
            throws StartupFailure, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + startupTimeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw failure(process, "exited with code " + process.exitValue() + " while starting");
            }
            if (spec.probe().healthy()) {
                report(
                        spec.name(),
                        String.format(
                                Locale.ROOT,
                                "%s after %.1f s   %s",
                                what,
                                (System.nanoTime() - start) / 1e9,
                                spec.address()));
                return;
            }
            if (System.nanoTime() > deadline) {
                throw failure(process, "was not healthy within " + startupTimeout.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    /** Kills a component at once (SIGKILL), as a crash would; it is not restarted. */
    public void kill(String name) {
        ManagedProcess process = find(name);
        synchronized (running) {
            running.remove(process);
        }
        process.kill();
        report(name, "killed");
    }

    /** The components now running (or restarting), in the order they were started. */
    public List<ManagedProcess> running() {
        synchronized (running) {
            return List.copyOf(running);
        }
    }

    private ManagedProcess find(String name) {
        synchronized (running) {
            return running.stream()
                    .filter(p -> p.name().equals(name))
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no running component " + name));
        }
    }

    /**
     * Watches the components, restarting each that exits on its own, until one keeps dying: more restarts than the
     * policy allows within its window. Returns that one (its last process, exited).
     */
    public ManagedProcess superviseUntilGivenUp() throws InterruptedException {
        while (true) {
            Optional<ManagedProcess> dead;
            synchronized (running) {
                dead = running.stream().filter(p -> !p.isAlive()).findFirst();
            }
            if (dead.isEmpty() || stopping) {
                Thread.sleep(250);
                continue;
            }
            ManagedProcess process = dead.get();
            if (!restart(process)) {
                return process;
            }
        }
    }

    /** Starts a dead component again, after its backoff; false once it has used up its restarts. */
    private boolean restart(ManagedProcess dead) throws InterruptedException {
        ComponentSpec spec;
        synchronized (running) {
            spec = specs.get(dead.name());
        }
        Deque<Long> recent = restarts.computeIfAbsent(dead.name(), n -> new ArrayDeque<>());
        long now = System.nanoTime();
        while (!recent.isEmpty() && now - recent.peekFirst() > policy.window().toNanos()) {
            recent.removeFirst();
        }
        if (recent.size() >= policy.maxRestarts()) {
            report(
                    dead.name(),
                    "exited with code " + dead.exitValue() + " after " + recent.size() + " restarts within "
                            + policy.window().toSeconds() + " s" + crashReportOf(dead) + "; giving up");
            return false;
        }
        recent.addLast(now);
        Duration backoff = policy.backoff(recent.size());
        report(
                dead.name(),
                String.format(
                        Locale.ROOT,
                        "exited with code %d; restarting in %s s (restart %d of %d " + "within %d s); log: %s%s",
                        dead.exitValue(),
                        seconds(backoff),
                        recent.size(),
                        policy.maxRestarts(),
                        policy.window().toSeconds(),
                        dead.log(),
                        crashReportOf(dead)));
        Thread.sleep(backoff.toMillis());
        synchronized (running) {
            // Stopping, or killed on purpose (kill() takes it off the list) while this waited: not to be restarted.
            if (stopping || !running.contains(dead)) {
                return true;
            }
        }
        ManagedProcess process = null;
        try {
            process = launch(spec);
            awaitHealthy(spec, process, "healthy again");
        } catch (StartupFailure | IOException e) {
            // One that is alive but never became healthy is stopped too: either way the next round sees it dead,
            // and restarts it again or gives up on it.
            if (process != null) {
                process.kill();
            }
            report(
                    dead.name(),
                    "did not come back: " + e.getMessage().lines().findFirst().orElse(""));
        }
        return true;
    }

    /** "; it crashed, report: FILE" where the JVM wrote a crash report, else nothing. */
    private String crashReportOf(ManagedProcess dead) {
        Path report = crashReport(logDir, dead.name(), String.valueOf(dead.pid()));
        try {
            // The logs outlive runs: an older report may carry a reused process id.
            if (Files.isRegularFile(report)
                    && !Files.getLastModifiedTime(report)
                            .toInstant()
                            .isBefore(dead.startedAt().truncatedTo(ChronoUnit.SECONDS))) {
                return "; it crashed, report: " + report;
            }
        } catch (IOException e) {
            // Gone in between: nothing to name.
        }
        return "";
    }

    private static String seconds(Duration duration) {
        double s = duration.toMillis() / 1000.0;
        return s == Math.rint(s) ? String.valueOf((long) s) : String.format(Locale.ROOT, "%.1f", s);
    }

    public StartupFailure failure(ManagedProcess process, String what) {
        return new StartupFailure(process.name() + " " + what + crashReportOf(process) + ". End of " + process.log()
                + ":" + System.lineSeparator() + indent(process.tail(25)));
    }

    /** Stops every started component, newest first. */
    public void stopAll() {
        stopping = true;
        List<ManagedProcess> toStop;
        synchronized (running) {
            toStop = new ArrayList<>(running);
            running.clear();
        }
        for (int i = toStop.size() - 1; i >= 0; i--) {
            ManagedProcess process = toStop.get(i);
            if (process.isAlive()) {
                report(process.name(), "stopping");
                process.stop(STOP_GRACE);
            }
        }
    }

    public double elapsedSeconds() {
        return (System.nanoTime() - createdAt) / 1e9;
    }

    private void report(String component, String status) {
        out.printf(Locale.ROOT, "  %-14s %s%n", component, status);
        out.flush();
    }

    private static String indent(String text) {
        return text.lines()
                .map(l -> "    | " + l)
                .reduce((a, b) -> a + System.lineSeparator() + b)
                .orElse("");
    }
}
