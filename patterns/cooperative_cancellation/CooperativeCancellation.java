// Cooperative cancellation with a flag the job checks between batches.
package patterns;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

final class Batches {
    /**
     * Runs the batches in order, checking {@code cancelled} before each one. A batch that has
     * started runs to its end, so no work is left half done: the job stops at the next boundary
     * after the cancel. finally runs cleanup once, however the job ends.
     */
    static <T> List<T> runBatches(
            List<Supplier<T>> batches, BooleanSupplier cancelled, Runnable cleanup) {
        List<T> done = new ArrayList<>();
        try {
            for (Supplier<T> batch : batches) {
                if (cancelled.getAsBoolean()) {
                    break;
                }
                done.add(batch.get());
            }
        } finally {
            cleanup.run();
        }
        return done;
    }
}
// [/pattern]

public class CooperativeCancellation {
    record Input(List<Op> batches, Optional<Double> cancelAt, Optional<Double> startAt) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Supplier<Object>> batches = in.batches().stream()
                .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        AtomicBoolean cancelled = new AtomicBoolean();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            if (in.cancelAt().isPresent()) {
                double tick = in.cancelAt().get();
                executor.submit(() -> {
                    Suite.sleepUntil(tick);
                    Suite.trace("cancel", Map.of());
                    cancelled.set(true);
                    return null;
                });
            }
            Suite.sleepUntil(in.startAt().orElse(0.0));
            List<Object> values = Batches.runBatches(
                    batches, cancelled::get, () -> Suite.trace("cleanup", Map.of()));
            Suite.trace("result", Map.of("values", values, "cancelled", cancelled.get()));
        } // close() waits for the canceller
    }
}
