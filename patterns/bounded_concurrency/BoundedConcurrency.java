// Bounded concurrency with a fixed thread pool: at most `limit` tasks run at once.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

final class Bounded {
    /**
     * Runs the tasks with at most {@code limit} at once: the pool's {@code limit} threads take the
     * queued tasks in order as they free up. invokeAll returns when all are done, results in order.
     */
    static <T> List<T> runBounded(List<Callable<T>> tasks, int limit)
            throws InterruptedException, ExecutionException {
        try (ExecutorService pool = Executors.newFixedThreadPool(limit)) {
            List<T> results = new ArrayList<>();
            for (Future<T> future : pool.invokeAll(tasks)) {
                results.add(future.get());
            }
            return results;
        }
    }
}
// [/pattern]

public class BoundedConcurrency {
    record Input(List<Op> ops, int limit) {}

    public static void run(Json input) throws InterruptedException, ExecutionException {
        Input in = input.as(Input.class);
        List<Callable<Object>> tasks = in.ops().stream()
                .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        List<Object> values = Bounded.runBounded(tasks, in.limit());
        Suite.trace("result", Map.of("values", values, "max_in_flight", Suite.maxInFlight()));
    }
}
