// A deadline over work that cleans up when stopped, with a StructuredTaskScope's timeout.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

final class ScopedCleanup {
    /** Cleanup that may block, so it may be interrupted too. */
    interface Cleanup {
        void run() throws InterruptedException;
    }

    /**
     * Runs work, then cleanup on every way out. A stopped thread is interrupted: the cleanup first
     * clears the interrupt status (work that caught the interrupt may have set it again), or its
     * own blocking calls would throw at once, and restores it afterwards.
     */
    static <T> Callable<T> withCleanup(Callable<T> work, Cleanup cleanup) {
        return () -> {
            try {
                return work.call();
            } finally {
                boolean interrupted = Thread.interrupted();
                cleanup.run();
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    /**
     * Runs work with a deadline. At the deadline the scope is cancelled: the work's thread is
     * interrupted and join() throws StructuredTaskScope.TimeoutException; leaving the
     * try-with-resources then closes the scope, which waits for the thread to end, so the caller
     * sees the exception after the cleanup. (A preview API in Java 25.)
     */
    static <T> T withDeadline(Callable<T> work, Duration deadline) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(
                Joiner.<T>awaitAllSuccessfulOrThrow(), config -> config.withTimeout(deadline))) {
            Subtask<T> task = scope.fork(work);
            scope.join();
            return task.get();
        }
    }
}
// [/pattern]

public class DeadlineOverCleanup {
    record Input(Op op, double deadline, double cleanup) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        var work = ScopedCleanup.withCleanup(() -> Suite.op(in.op()), () -> {
            Suite.trace("cleanup_start", Map.of());
            Thread.sleep(Suite.ticks(in.cleanup()));
            Suite.trace("cleanup_done", Map.of());
        });
        try {
            Object value = ScopedCleanup.withDeadline(work, Suite.ticks(in.deadline()));
            Suite.trace("result", Map.of("value", value));
        } catch (StructuredTaskScope.TimeoutException e) {
            Suite.trace("error", Map.of("error", "timeout"));
        } catch (StructuredTaskScope.FailedException e) {
            Suite.trace("error", Map.of("error", Suite.label(e.getCause())));
        }
    }
}
