// Cooperative cancellation by interrupt: the running batch is abandoned where it blocks.
package patterns;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

final class InterruptibleBatches {
    /**
     * Runs the batches in order until the thread running it is interrupted. The interrupt lands
     * wherever the thread blocks: inside the running batch, which is abandoned midway (its sleep
     * throws InterruptedException). It is also checked before each batch. finally runs cleanup
     * once, however the job ends.
     */
    static <T> List<T> runBatches(List<Supplier<T>> batches, Runnable cleanup) {
        List<T> done = new ArrayList<>();
        try {
            for (Supplier<T> batch : batches) {
                if (Thread.currentThread().isInterrupted()) {
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

public class CooperativeCancellationInterrupt {
    record Input(List<Op> batches, Optional<Double> cancelAt, Optional<Double> startAt) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Supplier<Object>> batches = in.batches().stream()
                .<Supplier<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        double startAt = in.startAt().orElse(0.0);
        Thread job = Thread.ofVirtual().start(() -> {
            try {
                Suite.sleepUntil(startAt);
                List<Object> values =
                        InterruptibleBatches.runBatches(batches, () -> Suite.trace("cleanup", Map.of()));
                boolean cancelled = Thread.currentThread().isInterrupted();
                Suite.trace("result", Map.of("values", values, "cancelled", cancelled));
            } catch (InterruptedException | CancellationException e) {
                Suite.trace("error", Map.of("error", "cancelled"));
            }
        });
        if (in.cancelAt().isPresent()) {
            Suite.sleepUntil(in.cancelAt().get());
            Suite.trace("cancel", Map.of());
            job.interrupt();
        }
        job.join();
    }
}
