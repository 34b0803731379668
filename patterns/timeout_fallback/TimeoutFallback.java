// A fallback value on timeout with completeOnTimeout, which does not stop the task either.
package patterns;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

final class Fallback {
    /**
     * The operation's value, or {@code fallback} once the deadline has passed. completeOnTimeout
     * only completes the future: the task is not interrupted and runs on to its end. (With a
     * deadline already passed, the future may be complete before the task starts, and then
     * supplyAsync never calls the supplier: whether the operation runs at all is a race.)
     */
    static <T> CompletableFuture<T> withFallback(
            Supplier<T> operation, Duration deadline, T fallback, Executor executor) {
        return CompletableFuture.supplyAsync(operation, executor)
                .completeOnTimeout(fallback, deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
}
// [/pattern]

public class TimeoutFallback {
    record Input(Op op, double deadline, Object fallback) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        Op spec = in.op();
        Duration deadline = Suite.ticks(in.deadline());
        Object fallback = in.fallback();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                Object value =
                        Fallback.withFallback(() -> Suite.op(spec), deadline, fallback, executor).join();
                Suite.trace("result", Map.of("value", value));
            } catch (CompletionException e) {
                Suite.trace("error", Map.of("error", Suite.label(e)));
            }
        } // close() waits for the task completeOnTimeout left running
    }
}
