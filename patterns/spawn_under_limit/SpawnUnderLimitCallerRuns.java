// Spawning under a limit with a ThreadPoolExecutor's CallerRunsPolicy: at the limit the caller runs the task.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

final class CallerRunsSpawner {
    /**
     * Runs each task on a pool of {@code limit} threads and waits for them all. The pool has no
     * queue (a SynchronousQueue hands a task only to an idle thread), so a task that finds every
     * thread busy is rejected, and CallerRunsPolicy runs it on the caller's thread, inside
     * execute: the caller is held back for the whole task, and that task runs beside the pool's.
     */
    static void spawnAll(List<Runnable> tasks, int limit, IntConsumer spawned) {
        try (ThreadPoolExecutor pool = new ThreadPoolExecutor(limit, limit, 0, TimeUnit.SECONDS,
                new SynchronousQueue<>(), new ThreadPoolExecutor.CallerRunsPolicy())) {
            for (int i = 0; i < tasks.size(); i++) {
                pool.execute(tasks.get(i));
                spawned.accept(i);
            }
        } // close() waits for every task
    }
}
// [/pattern]

public class SpawnUnderLimitCallerRuns {
    record Input(List<Op> ops, int limit) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        List<Runnable> tasks = in.ops().stream().<Runnable>map(spec -> () -> Suite.op(spec)).toList();
        CallerRunsSpawner.spawnAll(tasks, in.limit(),
                i -> Suite.trace("spawned", Map.of("task", in.ops().get(i).id())));
        Suite.trace("result", Map.of("max_in_flight", Suite.maxInFlight()));
    }
}
