// Hedged requests with an ExecutorCompletionService: a backup call when the first is slow.
package patterns;

import java.util.Map;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

final class Hedge {
    /** Every backend failed; {@link #errors} holds their failures in backend order. */
    static final class AllBackendsFailed extends Exception {
        private static final long serialVersionUID = 1L;
        final transient List<Throwable> errors;

        AllBackendsFailed(List<Throwable> errors) {
            super("every backend failed");
            this.errors = errors;
        }
    }

    /**
     * Calls the first backend; each {@code delay} without an answer, or at once after a failure,
     * calls the next one too. Returns the first answer and interrupts the calls still running.
     */
    static <T> T hedged(List<Callable<T>> backends, Duration delay, ExecutorService executor)
            throws InterruptedException, AllBackendsFailed {
        var completion = new ExecutorCompletionService<T>(executor);
        List<Future<T>> calls = new ArrayList<>(); // in backend order
        try {
            calls.add(completion.submit(backends.get(0)));
            for (int failed = 0; failed < backends.size(); ) {
                boolean more = calls.size() < backends.size();
                Future<T> done = more
                        ? completion.poll(delay.toNanos(), TimeUnit.NANOSECONDS)
                        : completion.take();
                if (done != null && done.state() == Future.State.SUCCESS) {
                    return done.resultNow();
                }
                if (done != null) {
                    failed++;
                }
                if (more) { // the hedge delay passed, or a call failed
                    calls.add(completion.submit(backends.get(calls.size())));
                }
            }
            throw new AllBackendsFailed(calls.stream().map(Future::exceptionNow).toList());
        } finally {
            calls.forEach(call -> call.cancel(true)); // does nothing to a finished call
        }
    }
}
// [/pattern]

public class HedgedRequest {
    record Input(List<Op> backends, double hedge) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Callable<Object>> backends = in.backends().stream()
                .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Object value = Hedge.hedged(backends, Suite.ticks(in.hedge()), executor);
            Suite.trace("result", Map.of("value", value));
        } catch (Hedge.AllBackendsFailed e) {
            Suite.trace("error", Map.of("errors", e.errors.stream().map(Suite::label).toList()));
        }
    }
}
