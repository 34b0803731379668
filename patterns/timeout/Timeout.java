// A timeout with orTimeout, which completes the future but does not stop the task.
package patterns;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

final class Timeouts {
    /**
     * The operation's value, or a TimeoutException (the cause of join()'s CompletionException) once
     * the deadline has passed. orTimeout only completes the future: the task is not interrupted
     * and runs on to its end.
     */
    static <T> CompletableFuture<T> withTimeout(
            Supplier<T> operation, Duration deadline, Executor executor) {
        return CompletableFuture.supplyAsync(operation, executor)
                .orTimeout(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
}
// [/pattern]

public class Timeout {
    record Input(Op op, double deadline) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        Op spec = in.op();
        Duration deadline = Suite.ticks(in.deadline());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                Object value = Timeouts.withTimeout(() -> Suite.op(spec), deadline, executor).join();
                Suite.trace("result", Map.of("value", value));
            } catch (CompletionException e) {
                String error = e.getCause() instanceof TimeoutException
                        ? "timeout"
                        : Suite.label(e);
                Suite.trace("error", Map.of("error", error, "shape", Suite.shape(e)));
            }
        } // close() waits for the task orTimeout left running
    }
}
