// Spawning under a limit with a ThreadPoolExecutor's default AbortPolicy: at the limit execute throws.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

final class RejectingSpawner {
    /**
     * Runs each task on a pool of {@code limit} threads if one is idle, and waits for those it
     * started. The pool has no queue (a SynchronousQueue hands a task only to an idle thread), so
     * a task that finds every thread busy is rejected: the default AbortPolicy throws
     * RejectedExecutionException from execute, which never waits.
     */
    static void spawnAll(List<Runnable> tasks, int limit, IntConsumer spawned, IntConsumer rejected) {
        try (ThreadPoolExecutor pool = new ThreadPoolExecutor(limit, limit, 0, TimeUnit.SECONDS,
                new SynchronousQueue<>())) {
            for (int i = 0; i < tasks.size(); i++) {
                try {
                    pool.execute(tasks.get(i));
                    spawned.accept(i);
                } catch (RejectedExecutionException e) {
                    rejected.accept(i);
                }
            }
        } // close() waits for every task
    }
}
// [/pattern]

public class SpawnUnderLimitRejecting {
    record Input(List<Op> ops, int limit) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        List<Runnable> tasks = in.ops().stream().<Runnable>map(spec -> () -> Suite.op(spec)).toList();
        RejectingSpawner.spawnAll(tasks, in.limit(),
                i -> Suite.trace("spawned", Map.of("task", in.ops().get(i).id())),
                i -> Suite.trace("rejected", Map.of("task", in.ops().get(i).id())));
        Suite.trace("result", Map.of("max_in_flight", Suite.maxInFlight()));
    }
}
