// Waiting for a task with a deadline: Future.get(timeout) stops the wait, not the task.
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

final class TaskDeadline {
    /**
     * The task's result, or a TimeoutException once the deadline has passed. get() only stops
     * waiting: the task keeps running (cancel(true) would interrupt it).
     */
    static <T> T waitWithDeadline(Future<T> task, Duration deadline)
            throws InterruptedException, ExecutionException, TimeoutException {
        return task.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    }
}
// [/pattern]

public class TimeoutAroundTask {
    record Input(Op op, double deadline) {}

    public static void run(Json input) throws InterruptedException, ExecutionException {
        Input in = input.as(Input.class);
        Op spec = in.op();
        Duration deadline = Suite.ticks(in.deadline());
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<Object> task = executor.submit(() -> Suite.op(spec));
            try {
                Suite.trace("result", Map.of("value", TaskDeadline.waitWithDeadline(task, deadline)));
            } catch (TimeoutException e) {
                Suite.trace("error", Map.of("error", "timeout", "shape", Suite.shape(e)));
            }
        } // close() waits for the task the deadline left running
    }
}
