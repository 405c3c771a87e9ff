package dev.meadow.cli.up;

import java.util.ArrayList;
import java.util.List;

/** A JVM for {@link SupervisorTest}: fills its heap until it runs out, so that -XX:+CrashOnOutOfMemoryError crashes it. */
public final class OutOfMemoryProbe {

    public static void main(String[] args) throws Exception {
        Thread.sleep(500);
        List<long[]> hoard = new ArrayList<>();
        while (true) {
            hoard.add(new long[1 << 16]);
        }
    }
}
