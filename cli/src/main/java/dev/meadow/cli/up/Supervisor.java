package dev.meadow.cli.up;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Starts components as child processes, waits for each to become healthy, watches them, and stops them all in
 * reverse order. Every component it started is stopped by {@link #stopAll()}, which is idempotent and safe to
 * call from a shutdown hook.
 */
public final class Supervisor {

    private static final Duration STOP_GRACE = Duration.ofSeconds(20);

    private final Path logDir;
    private final PrintWriter out;
    private final Duration startupTimeout;
    private final List<ManagedProcess> running = new ArrayList<>();
    private final long createdAt = System.nanoTime();

    public Supervisor(Path logDir, PrintWriter out, Duration startupTimeout) {
        this.logDir = logDir;
        this.out = out;
        this.startupTimeout = startupTimeout;
    }

    /** Launches all of them at once, then waits for each in order, reporting as each becomes healthy. */
    public void startAll(List<ComponentSpec> specs) throws StartupFailure, IOException, InterruptedException {
        List<ManagedProcess> started = new ArrayList<>();
        for (ComponentSpec spec : specs) {
            ManagedProcess process = ManagedProcess.start(spec.name(), spec.command(), spec.environment(),
                    logDir.resolve(spec.name() + ".log"));
            synchronized (running) {
                running.add(process);
            }
            started.add(process);
            report(spec.name(), "starting (pid " + process.pid() + ")");
        }
        for (int i = 0; i < specs.size(); i++) {
            awaitHealthy(specs.get(i), started.get(i));
        }
    }

    private void awaitHealthy(ComponentSpec spec, ManagedProcess process)
            throws StartupFailure, InterruptedException {
        long start = System.nanoTime();
        long deadline = start + startupTimeout.toNanos();
        while (true) {
            if (!process.isAlive()) {
                throw failure(process, "exited with code " + process.exitValue() + " while starting");
            }
            if (spec.probe().healthy()) {
                report(spec.name(), String.format(Locale.ROOT, "healthy after %.1f s   %s",
                        (System.nanoTime() - start) / 1e9, spec.address()));
                return;
            }
            if (System.nanoTime() > deadline) {
                throw failure(process, "was not healthy within " + startupTimeout.toSeconds() + " s");
            }
            Thread.sleep(250);
        }
    }

    /** Kills a component at once (SIGKILL), as a crash would. */
    public void kill(String name) {
        ManagedProcess process = find(name);
        synchronized (running) {
            running.remove(process);
        }
        process.kill();
        report(name, "killed");
    }

    private ManagedProcess find(String name) {
        synchronized (running) {
            return running.stream().filter(p -> p.name().equals(name)).findFirst()
                    .orElseThrow(() -> new IllegalArgumentException("no running component " + name));
        }
    }

    /** Blocks until a component exits on its own, and returns it. */
    public ManagedProcess awaitUnexpectedExit() throws InterruptedException {
        while (true) {
            Optional<ManagedProcess> dead;
            synchronized (running) {
                dead = running.stream().filter(p -> !p.isAlive()).findFirst();
            }
            if (dead.isPresent()) {
                return dead.get();
            }
            Thread.sleep(500);
        }
    }

    public StartupFailure failure(ManagedProcess process, String what) {
        return new StartupFailure(process.name() + " " + what + ". End of " + process.log() + ":"
                + System.lineSeparator() + indent(process.tail(25)));
    }

    /** Stops every started component, newest first. */
    public void stopAll() {
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
        return text.lines().map(l -> "    | " + l).reduce((a, b) -> a + System.lineSeparator() + b).orElse("");
    }
}
