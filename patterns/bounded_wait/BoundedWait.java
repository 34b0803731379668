// A bounded wait with Future.get(timeout): the wait gives up, the task runs on.
package patterns;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

final class BoundedWaits {
    /**
     * The task's result, waited for at most {@code limit}. get(timeout) throws a TimeoutException
     * when the time is up, and that is all: the task is not cancelled and runs on (call
     * future.cancel(true) to interrupt it). A failure of the task comes as an ExecutionException.
     */
    static <T> T waitAtMost(Future<T> future, Duration limit)
            throws InterruptedException, ExecutionException, TimeoutException {
        return future.get(limit.toNanos(), TimeUnit.NANOSECONDS);
    }
}
// [/pattern]

public class BoundedWait {
    record Input(Op op, double deadline) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> future = executor.submit(() -> Suite.op(in.op()));
            try {
                Object value = BoundedWaits.waitAtMost(future, Suite.ticks(in.deadline()));
                Suite.trace("result", Map.of("value", value));
            } catch (TimeoutException e) {
                Suite.trace("error", Map.of("error", "timeout"));
            } catch (ExecutionException e) {
                Suite.trace("error", Map.of("error", Suite.label(e.getCause())));
            }
        } // close() waits for the task the wait gave up on
    }
}
