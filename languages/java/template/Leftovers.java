import com.sun.management.HotSpotDiagnosticMXBean;
import com.sun.management.HotSpotDiagnosticMXBean.ThreadDumpFormat;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import suite.Json;

/**
 * What a request left running: the threads (virtual ones included) it started that still run
 * snippet or helper code. An idle pool worker runs JDK code only, and is not activity. Virtual
 * threads are visible only in a thread dump, so that is what this reads.
 */
final class Leftovers {
    private Leftovers() {
    }

    private static final HotSpotDiagnosticMXBean DIAGNOSTIC =
            ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);

    /** The id the next thread will get (ids only grow): threads from here on started after the call. */
    static long nextThreadId() {
        return Thread.ofPlatform().unstarted(() -> { }).threadId();
    }

    /** "2 threads" started since {@code firstId} and still in snippet or helper code; else empty. */
    static List<String> since(long firstId) throws IOException {
        Path dir = Files.createTempDirectory("runner-threads");
        Path file = dir.resolve("dump.json");
        try {
            DIAGNOSTIC.dumpThreads(file.toString(), ThreadDumpFormat.JSON);
            Json dump = Json.parse(Files.readString(file)).get("threadDump");
            long running = 0;
            for (Json container : dump.get("threadContainers").list()) {
                for (Json thread : container.get("threads").list()) {
                    if (Long.parseLong(thread.get("tid").string()) >= firstId && runsSuiteCode(thread)) {
                        running++;
                    }
                }
            }
            return running == 0 ? List.of() : List.of(running + (running == 1 ? " thread" : " threads"));
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
