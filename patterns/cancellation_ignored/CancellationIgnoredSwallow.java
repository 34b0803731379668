// A job whose handler for failed steps also catches InterruptedException, losing the interrupt.
package patterns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

final class SwallowingJob {
    /**
     * Calls the steps in order and returns the values of those that succeeded; a failed step is
     * skipped. An interrupt lands where a step blocks, as InterruptedException, and throwing it
     * clears the thread's interrupt status. catch (Exception e) takes it for a failed step and
     * does not set it again, so the check before the next step finds nothing: the job runs on.
     */
    static <T> List<T> processAll(List<Callable<T>> steps) {
        List<T> values = new ArrayList<>();
        for (Callable<T> step : steps) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                values.add(step.call());
            } catch (Exception e) {
                // a failed step is skipped
            }
        }
        return values;
    }
}
// [/pattern]

public class CancellationIgnoredSwallow {
    record Input(List<Op> steps, Optional<Double> cancelAt) {}

    /** A blocking call that takes its ticks (Thread.sleep, as a blocking client would). */
    static Object blockingStep(Op spec) throws InterruptedException {
        Suite.trace("start", Map.of("op", spec.id()));
        try {
            Thread.sleep(Suite.ticks(spec.ticks()));
        } catch (InterruptedException e) {
            Suite.trace("cancelled", Map.of("op", spec.id()));
            throw e; // the interrupt status is already cleared, as every JDK blocking call does
        }
        if (spec.error().isPresent()) {
            Suite.trace("fail", Map.of("op", spec.id(), "error", spec.error().get()));
            throw new Suite.OpException(spec.error().get());
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("op", spec.id());
        fields.put("value", spec.value().orElse(null));
        Suite.trace("succeed", fields);
        return spec.value().orElse(null);
    }

    public static void run(Json input) throws InterruptedException, ExecutionException {
        Input in = input.as(Input.class);
        List<Callable<Object>> steps = in.steps().stream()
                .<Callable<Object>>map(spec -> () -> blockingStep(spec))
                .toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<List<Object>> job = executor.submit(() -> SwallowingJob.processAll(steps));
            if (in.cancelAt().isPresent()) {
                Suite.sleepUntil(in.cancelAt().get());
                Suite.trace("cancel", Map.of());
                job.cancel(true); // interrupts the job's thread
            }
            try {
                Suite.trace("result", Map.of("values", job.get()));
            } catch (CancellationException e) {
                Suite.trace("error", Map.of("error", "cancelled"));
            }
        } // close() waits for the job to end
    }
}
