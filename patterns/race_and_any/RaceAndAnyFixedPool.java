// Race (anyOf) and any (invokeAny) on a fixed thread pool, whose invokeAny reports the last failure.
package patterns;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

final class RaceOnPool {
    /**
     * Race: the first operation to complete decides, even when it failed (join() then throws).
     * anyOf cancels nothing: the losers run on to their end.
     */
    @SuppressWarnings("unchecked") // anyOf is typed Object: every future here yields a T
    static <T> T race(List<Supplier<T>> operations, Executor executor) {
        CompletableFuture<?>[] futures = operations.stream()
                .map(operation -> CompletableFuture.supplyAsync(operation, executor))
                .toArray(CompletableFuture[]::new);
        return (T) CompletableFuture.anyOf(futures).join();
    }

    /**
     * Any: the first success wins, and invokeAny then interrupts the tasks still running. When
     * every task fails it throws one ExecutionException caused by one failure, and which one is
     * the executor's choice: a pool from Executors.newFixedThreadPool keeps the last to fail.
     */
    static <T> T any(List<Callable<T>> tasks, ExecutorService executor)
            throws InterruptedException, ExecutionException {
        return executor.invokeAny(tasks);
    }
}
// [/pattern]

public class RaceAndAnyFixedPool {
    record Input(List<Op> ops, String mode) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Op> specs = in.ops();
        // A thread per operation, so that they all run at once, as in the other snippets.
        try (ExecutorService executor = Executors.newFixedThreadPool(specs.size())) {
            if (in.mode().equals("race")) {
                List<Supplier<Object>> operations = specs.stream()
                        .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                        .toList();
                try {
                    Suite.trace("result", Map.of("value", RaceOnPool.race(operations, executor)));
                } catch (CompletionException e) {
                    Suite.trace("error", Map.of("error", Suite.label(e), "shape", Suite.shape(e)));
                }
            } else {
                List<Callable<Object>> tasks = specs.stream()
                        .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                        .toList();
                try {
                    Suite.trace("result", Map.of("value", RaceOnPool.any(tasks, executor)));
                } catch (ExecutionException e) {
                    Suite.trace(
                            "error",
                            Map.of("errors", List.of(Suite.label(e.getCause())), "shape", Suite.shape(e)));
                }
            }
        } // close() waits for the losers anyOf left running
    }
}
