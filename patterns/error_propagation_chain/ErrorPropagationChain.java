// An error that skips the rest of a thenCompose chain, with cleanup in whenComplete.
package patterns;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

final class Chain {
    /**
     * Runs each step once the one before it has succeeded and completes with their values. A
     * failed stage completes every dependent stage exceptionally without running it, so no later
     * step starts; whenComplete runs cleanup on either outcome and passes that outcome on.
     */
    static <T> CompletableFuture<List<T>> chain(
            List<Supplier<T>> steps, Runnable cleanup, Executor executor) {
        CompletableFuture<List<T>> values = CompletableFuture.completedFuture(List.of());
        for (Supplier<T> step : steps) {
            values = values.thenCompose(done -> CompletableFuture.supplyAsync(step, executor)
                    .thenApply(value -> append(done, value)));
        }
        return values.whenComplete((result, error) -> cleanup.run());
    }

    private static <T> List<T> append(List<T> list, T item) {
        List<T> longer = new ArrayList<>(list);
        longer.add(item);
        return longer;
    }
}
// [/pattern]

public class ErrorPropagationChain {
    record Input(List<Op> steps) {}

    public static void run(Json input) {
        List<Supplier<Object>> steps = input.as(Input.class).steps().stream()
                .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Chain.chain(steps, () -> Suite.trace("cleanup", Map.of()), executor)
                    .thenAccept(values -> Suite.trace("result", Map.of("values", values)))
                    .exceptionally(error -> { // the one handler, whichever step failed
                        Suite.trace("error", Map.of("error", Suite.label(error), "shape", Suite.shape(error)));
                        return null;
                    })
                    .join();
        }
    }
}
