// A worker pool: a fixed thread pool hands each queued job to one thread as it frees up.
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
import java.util.concurrent.TimeUnit;

final class Workers {
    /**
     * Runs the jobs on {@code workers} threads: the pool's work queue hands each submitted job to
     * exactly one thread as it frees up. Returns the results in job order.
     */
    static <T> List<T> workerPool(List<Callable<T>> jobs, int workers)
            throws InterruptedException, ExecutionException {
        ExecutorService pool = Executors.newFixedThreadPool(workers);
        List<Future<T>> futures = new ArrayList<>();
        for (Callable<T> job : jobs) {
            futures.add(pool.submit(job));
        }
        pool.shutdown(); // no new jobs; the queued ones still run
        if (!pool.awaitTermination(1, TimeUnit.MINUTES)) {
            pool.shutdownNow();
            throw new IllegalStateException("worker pool did not drain within a minute");
        }
        List<T> results = new ArrayList<>();
        for (Future<T> future : futures) {
            results.add(future.get()); // already done: get() only unwraps the result or error
        }
        return results;
    }
}
// [/pattern]

public class WorkerPool {
    record Input(List<Op> jobs, int workers) {}

    public static void run(Json input) throws InterruptedException, ExecutionException {
        Input in = input.as(Input.class);
        List<Callable<Object>> jobs = in.jobs().stream()
                .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        List<Object> values = Workers.workerPool(jobs, in.workers());
        Suite.trace("result", Map.of("values", values, "max_in_flight", Suite.maxInFlight()));
    }
}
