// A job that would stop on an interrupt, run as a CompletableFuture: cancel(true) never interrupts it.
package patterns;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

final class CompletableJob {
    /**
     * Calls the steps in order and returns the values of those that succeeded; a failed step is
     * skipped. An interrupt lands where a step blocks, as InterruptedException, and throwing it
     * clears the thread's interrupt status: the handler sets it again, so the check before the
     * next step sees it and the job stops.
     */
    static <T> List<T> processAll(List<Callable<T>> steps) {
        List<T> values = new ArrayList<>();
        for (Callable<T> step : steps) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            try {
                values.add(step.call());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // keep the request to stop
            } catch (Exception e) {
                // a failed step is skipped
            }
        }
        return values;
    }

    /** Runs the job on the executor as a CompletableFuture. */
    static <T> CompletableFuture<List<T>> start(List<Callable<T>> steps, Executor executor) {
        return CompletableFuture.supplyAsync(() -> processAll(steps), executor);
    }

    /**
     * Cancels the job and waits for it. A CompletableFuture is not tied to the thread computing
     * it: cancel(true) completes it with a CancellationException at once and interrupts nothing,
     * so the job runs on to its end, and nobody receives its values.
     */
    static <T> List<T> cancel(CompletableFuture<List<T>> job) {
        job.cancel(true);
        return job.join();
    }
}
// [/pattern]

public class CancellationIgnoredCompletableFuture {
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

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Callable<Object>> steps = in.steps().stream()
                .<Callable<Object>>map(spec -> () -> blockingStep(spec))
                .toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            CompletableFuture<List<Object>> job = CompletableJob.start(steps, executor);
            try {
                if (in.cancelAt().isPresent()) {
                    Suite.sleepUntil(in.cancelAt().get());
                    Suite.trace("cancel", Map.of());
                    Suite.trace("result", Map.of("values", CompletableJob.cancel(job)));
                } else {
                    Suite.trace("result", Map.of("values", job.join()));
                }
            } catch (CancellationException e) {
                Suite.trace("error", Map.of("error", "cancelled"));
            }
        } // close() waits for the job to end
    }
}
