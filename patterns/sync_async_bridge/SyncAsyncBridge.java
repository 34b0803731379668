package patterns;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

import suite.Json;
import suite.Suite;

public class SyncAsyncBridge {
    // [pattern]
    /**
     * Blocking code consuming async results: starts both operations, combines their values with
     * thenCombine once both have completed, and blocks in join() until then. thenCombine is not
     * fail-fast: when one fails, the combined future still waits for the other to complete (it
     * cancels nothing), then join() throws a CompletionException caused by that failure.
     */
    static long combined(Supplier<Long> left, Supplier<Long> right, ExecutorService executor) {
        return CompletableFuture.supplyAsync(left, executor)
                .thenCombine(CompletableFuture.supplyAsync(right, executor), Long::sum)
                .join();
    }
    // [/pattern]

    public static void run(Json input) {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var beside = CompletableFuture.supplyAsync(() -> Suite.op(input.get("beside")), executor);
            try {
                long value = combined(() -> (Long) Suite.op(input.get("left")),
                        () -> (Long) Suite.op(input.get("right")), executor);
                Suite.trace("result", Map.of("value", value));
            } catch (CompletionException e) {
                Suite.trace("error", Map.of("error", Suite.label(e)));
            }
            beside.join();
        }
    }
}
