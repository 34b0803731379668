// Sequential versus concurrent awaiting: join each future before starting the next, or after.
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

final class Awaits {
    // Always pass an executor: without one supplyAsync uses the common ForkJoinPool, which has
    // a single thread on a two-core machine, so "concurrent" operations would run one by one.

    /** Awaits each operation before starting the next: the total is the sum of the durations. */
    static <T> List<T> sequential(List<Supplier<T>> operations, Executor executor) {
        List<T> values = new ArrayList<>();
        for (Supplier<T> operation : operations) {
            values.add(CompletableFuture.supplyAsync(operation, executor).join());
        }
        return values;
    }

    /** Starts every operation first, then awaits them: the total is the longest duration. */
    static <T> List<T> concurrent(List<Supplier<T>> operations, Executor executor) {
        List<CompletableFuture<T>> futures = operations.stream()
                .map(operation -> CompletableFuture.supplyAsync(operation, executor))
                .toList(); // toList() is terminal: all are started before the first join
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
// [/pattern]

public class SequentialVsConcurrent {
    record Input(List<Op> ops, String mode) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        List<Supplier<Object>> operations = in.ops().stream()
                .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Object> values = switch (in.mode()) {
                case "sequential" -> Awaits.sequential(operations, executor);
                default -> Awaits.concurrent(operations, executor);
            };
            Suite.trace("result", Map.of("values", values));
        }
    }
}
