// Retries under an overall deadline: Future.cancel(true) interrupts the attempt in flight.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

final class DeadlineRetry {
    /**
     * Calls the attempts in turn until one succeeds, {@code backoff} apart, and throws the last
     * one's error (inside an ExecutionException). The loop runs in its own thread; at the
     * deadline it is cancelled with interruption, which cuts off the attempt in flight or the
     * backoff, and the caller gets a TimeoutException.
     */
    static <T> T retryUntil(List<Callable<T>> attempts, Duration deadline, Duration backoff)
            throws InterruptedException, ExecutionException, TimeoutException {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<T> retries = executor.submit(() -> {
                for (int n = 1; ; n++) {
                    try {
                        return attempts.get(n - 1).call();
                    } catch (Exception e) {
                        if (Thread.currentThread().isInterrupted() || n == attempts.size()) {
                            throw e;
                        }
                    }
                    Thread.sleep(backoff);
                }
            });
            try {
                return retries.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                retries.cancel(true); // interrupts the loop's thread
                throw e;
            }
        } // close() waits for the cancelled loop to unwind
    }
}
// [/pattern]

public class RetryWithDeadline {
    record Input(List<Op> attempts, double deadline, double backoff) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        List<Callable<Object>> attempts = in.attempts().stream()
                .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        Duration deadline = Suite.ticks(in.deadline());
        Duration backoff = Suite.ticks(in.backoff());
        try {
            Object value = DeadlineRetry.retryUntil(attempts, deadline, backoff);
            Suite.trace("result", Map.of("value", value));
        } catch (TimeoutException e) {
            Suite.trace("error", Map.of("error", "timeout"));
        } catch (ExecutionException e) {
            Suite.trace("error", Map.of("error", Suite.label(e)));
        }
    }
}
