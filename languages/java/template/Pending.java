import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import suite.Json;

/**
 * What a request left running: the threads (virtual ones included) it started that still run
 * snippet or helper code. An idle pool worker runs JDK code only, and is not activity. Virtual
 * threads are visible only in a thread dump, so that is what this reads.
 */
final class Pending {
    private static final HotSpotDiagnosticMXBean DIAGNOSTIC =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    /** How often {@link #settle} looks again while work still runs. */
    private static final long SETTLE_POLL_NANOS = 5_000_000;

    /** The parts of a JSON thread dump read here. */
    record Dump(Threads threadDump) {
        record Threads(List<Container> threadContainers) {}

        record Container(List<DumpedThread> threads) {}

        record DumpedThread(String tid, List<String> stack) {}
    }

    /** Thread ids only grow: threads with this id or above were created after the snapshot. */
    private final long firstThreadId = Thread.ofPlatform().unstarted(() -> { }).threadId();

    /**
     * Waits until nothing is left running, or {@code nanos} at most; what still runs then. Sleeps
     * through interrupts: nothing a snippet does may shorten the settle time.
     */
    List<String> settle(long nanos) throws IOException {
        long deadline = System.nanoTime() + nanos;
        for (;;) {
            List<String> pending = pending();
            long left = deadline - System.nanoTime();
            if (pending.isEmpty() || left <= 0) {
                return pending;
            }
            try {
                Thread.sleep(Duration.ofNanos(Math.min(left, SETTLE_POLL_NANOS)));
            } catch (InterruptedException ignored) {
                // look again, until the deadline
            }
        }
    }

    /** {@code ["2 threads"]}, or empty when nothing was left. */
    List<String> pending() throws IOException {
        Path dir = Files.createTempDirectory("runner-threads");
        Path file = dir.resolve("dump.json");
        long threads;
        try {
            DIAGNOSTIC.dumpThreads(file.toString(), ThreadDumpFormat.JSON);
            threads = Json.parse(Files.readString(file)).as(Dump.class).threadDump().threadContainers()
                    .stream()
                    .flatMap(container -> container.threads().stream())
                    .filter(thread -> Long.parseLong(thread.tid()) >= firstThreadId)
                    .filter(thread -> thread.stack().stream()
                            .anyMatch(frame -> frame.startsWith("patterns.") || frame.startsWith("suite.")))
                    .count();
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
        return threads == 0 ? List.of() : List.of(threads == 1 ? "1 thread" : threads + " threads");
    }
}
