// Blocking code consuming async results: thenCombine, then join().
package patterns;

import java.util.Map;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;

final class Bridge {
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
}
// [/pattern]

public class SyncAsyncBridge {
    record Input(Op left, Op right, Op beside) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            var beside = CompletableFuture.supplyAsync(() -> Suite.op(in.beside()), executor);
            try {
                long value = Bridge.combined(() -> (Long) Suite.op(in.left()),
                        () -> (Long) Suite.op(in.right()), executor);
                Suite.trace("result", Map.of("value", value));
            } catch (CompletionException e) {
                Suite.trace("error", Map.of("error", Suite.label(e)));
            }
            beside.join();
        }
    }
}
