// Cancelling a task with Future.cancel(true): the interrupt lands in its work and runs its cleanup.
package patterns;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

final class Cancellation {
    /** Cleanup that may block, so it may be interrupted too. */
    interface Cleanup {
        void run() throws InterruptedException;
    }

    /**
     * The task: work, then cleanup on every way out. An interrupt lands where work blocks. The
     * cleanup first clears the interrupt status, or its own blocking calls would be interrupted
     * as well, and restores it afterwards.
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
     * Cancels the task, interrupting its thread, and returns at once: get() then throws
     * CancellationException without waiting for the task to stop or clean up. A task that had
     * already finished keeps its result (cancel returns false).
     */
    static <T> T cancel(Future<T> task) throws InterruptedException, ExecutionException {
        task.cancel(true);
        return task.get();
    }
}
// [/pattern]

public class TaskCancelCleanup {
    record Input(Op op, double cleanup, double cancelAt, Optional<Double> startAt,
            Optional<Boolean> ignoresCancel) {}

    public static void run(Json input) throws InterruptedException, ExecutionException {
        Input in = input.as(Input.class);
        Op spec = in.op();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            // Work that ignores the cancel: CompletableFuture.join() waits without responding to
            // interrupts.
            Callable<Object> operation = in.ignoresCancel().orElse(false)
                    ? () -> CompletableFuture.supplyAsync(() -> Suite.op(spec), executor).join()
                    : () -> Suite.op(spec);
            Callable<Object> work = Cancellation.withCleanup(operation, () -> {
                Suite.trace("cleanup", Map.of());
                Thread.sleep(Suite.ticks(in.cleanup()));
                Suite.trace("cleaned", Map.of());
            });
            Future<Object> task = executor.submit(() -> {
                Suite.sleepUntil(in.startAt().orElse(0.0));
                return work.call();
            });
            Suite.sleepUntil(in.cancelAt());
            Suite.trace("cancel", Map.of());
            try {
                Suite.trace("result", Map.of("value", Cancellation.cancel(task)));
            } catch (CancellationException e) {
                Suite.trace("error", Map.of("error", "cancelled"));
            }
        } // close() waits for the task's cleanup
    }
}
