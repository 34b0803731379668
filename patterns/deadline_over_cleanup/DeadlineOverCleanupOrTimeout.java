// A deadline over work that cleans up, with CompletableFuture.orTimeout: the caller stops waiting,
// the work runs on.
package patterns;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeoutException;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

final class OrTimeoutCleanup {
    /** Runs work, then cleanup on every way out. */
    static <T> Supplier<T> withCleanup(Supplier<T> work, Runnable cleanup) {
        return () -> {
            try {
                return work.get();
            } finally {
                cleanup.run();
            }
        };
    }

    /**
     * The work's value, or a TimeoutException (the cause of join()'s CompletionException) at the
     * deadline. orTimeout only completes the future: it interrupts nothing, so the work is not
     * stopped, and runs on to its end and its cleanup after the caller has been told.
     */
    static <T> CompletableFuture<T> withDeadline(
            Supplier<T> work, Duration deadline, Executor executor) {
        return CompletableFuture.supplyAsync(work, executor)
                .orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
}
// [/pattern]

public class DeadlineOverCleanupOrTimeout {
    record Input(Op op, double deadline, double cleanup) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        var work = OrTimeoutCleanup.withCleanup(() -> Suite.op(in.op()), () -> {
            Suite.trace("cleanup_start", Map.of());
            try {
                Thread.sleep(Suite.ticks(in.cleanup()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            Suite.trace("cleanup_done", Map.of());
        });
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                Object value = OrTimeoutCleanup.withDeadline(
                        work, Suite.ticks(in.deadline()), executor).join();
                Suite.trace("result", Map.of("value", value));
            } catch (CompletionException e) {
                String error = e.getCause() instanceof TimeoutException
                        ? "timeout"
                        : Suite.label(e);
                Suite.trace("error", Map.of("error", error));
            }
        } // close() waits for the work orTimeout left running
    }
}
