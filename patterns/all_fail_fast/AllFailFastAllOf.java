// Waiting for all with CompletableFuture.allOf, which is not fail-fast: it cancels nothing.
package patterns;

import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

final class AllOf {
    /**
     * Starts every operation and waits for all of them. Unlike StructuredTaskScope, allOf is NOT
     * fail-fast: it completes only once every future has completed, cancels nothing, and when some
     * failed, join() throws a CompletionException caused by one of those failures.
     */
    static <T> List<T> all(List<Supplier<T>> operations, Executor executor) {
        List<CompletableFuture<T>> futures = operations.stream()
                .map(operation -> CompletableFuture.supplyAsync(operation, executor))
                .toList();
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).join();
        return futures.stream().map(CompletableFuture::join).toList();
    }
}
// [/pattern]

public class AllFailFastAllOf {
    record Input(List<Op> ops) {}

    public static void run(Json input) {
        List<Supplier<Object>> operations = input.as(Input.class).ops().stream()
                .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                Suite.trace("result", Map.of("values", AllOf.all(operations, executor)));
            } catch (CompletionException e) {
                Suite.trace("error", Map.of("error", Suite.label(e), "shape", Suite.shape(e)));
            }
        }
    }
}
