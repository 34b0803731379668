import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import suite.Json;

/**
 * What a request left running: the threads (virtual ones included) it started that still run
 * snippet or helper code, and its live child processes. An idle pool worker runs JDK code only,
 * and is not activity. Virtual threads are visible only in a thread dump, so that is what this
 * reads.
 */
final class Leftovers {
    private static final HotSpotDiagnosticMXBean DIAGNOSTIC =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    /** How often {@link #settle} looks again while work still runs. */
    private static final long SETTLE_POLL_NANOS = 5_000_000;

    /** Thread ids only grow: threads with this id or above were created after the snapshot. */
    private final long firstThreadId = Thread.ofPlatform().unstarted(() -> { }).threadId();
    private final Set<Long> children = children();

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

    /** {@code ["1 thread", "2 child processes"]}, or empty when nothing was left. */
    List<String> pending() throws IOException {
        List<String> found = new ArrayList<>();
        long threads = threadsRunningSuiteCode();
        if (threads > 0) {
            found.add(threads == 1 ? "1 thread" : threads + " threads");
        }
        Set<Long> started = children();
        started.removeAll(children);
        if (!started.isEmpty()) {
            found.add(started.size() == 1 ? "1 child process" : started.size() + " child processes");
        }
        return found;
    }

    private static Set<Long> children() {
        return ProcessHandle.current().children()
                .filter(ProcessHandle::isAlive)
                .map(ProcessHandle::pid)
                .collect(Collectors.toSet());
    }

    private long threadsRunningSuiteCode() throws IOException {
        Path dir = Files.createTempDirectory("runner-threads");
        Path file = dir.resolve("dump.json");
        try {
            DIAGNOSTIC.dumpThreads(file.toString(), ThreadDumpFormat.JSON);
            Json dump = Json.parse(Files.readString(file)).get("threadDump");
            return dump.get("threadContainers").list().stream()
                    .flatMap(container -> container.get("threads").list().stream())
                    .filter(thread -> Long.parseLong(thread.get("tid").string()) >= firstThreadId)
                    .filter(Leftovers::runsSuiteCode)
                    .count();
        } finally {
            Files.deleteIfExists(file);
            Files.delete(dir);
        }
    }

    private static boolean runsSuiteCode(Json thread) {
        return thread.get("stack").list().stream()
                .map(Json::string)
                .anyMatch(frame -> frame.startsWith("patterns.") || frame.startsWith("suite."));
    }
}
