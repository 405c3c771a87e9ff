package dev.meadow.model.tf;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.regex.Pattern;

/** The instruction-set flags the kernel lists for this CPU, which decide what TensorFlow's kernels can use. */
final class CpuFlags {

    private static final Pattern FLAGS_LINE = Pattern.compile("^flags\\s*:(.*)$", Pattern.MULTILINE);

    /** Read once: the CPU does not change under a running process. */
    private static final Set<String> THIS_MACHINE = readProcCpuinfo();

    private CpuFlags() {}

    /** This machine's flags; none where {@code /proc/cpuinfo} cannot be read (not Linux). */
    static Set<String> read() {
        return THIS_MACHINE;
    }

    private static Set<String> readProcCpuinfo() {
        try {
            return parse(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** The first {@code flags} line of {@code /proc/cpuinfo}'s text (every core lists the same). */
    static Set<String> parse(String cpuInfo) {
        var line = FLAGS_LINE.matcher(cpuInfo);
        return line.find() ? Set.of(line.group(1).trim().split("\\s+")) : Set.of();
    }
}
