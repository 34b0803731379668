// A bulkhead with a Semaphore per downstream: one slow downstream cannot take every caller.
package patterns;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Semaphore;

/** A concurrency limit per downstream: a Semaphore per name. */
final class Limits {
    /** The downstream is at its limit. */
    static final class Rejected extends Exception {
        Rejected(String downstream) {
            super(downstream + " is at its limit");
        }
    }

    private final Map<String, Semaphore> semaphores = new HashMap<>();

    Limits(Map<String, Integer> limits) {
        limits.forEach((name, limit) -> semaphores.put(name, new Semaphore(limit, true)));
    }

    /**
     * Waits for a permit of this downstream only; the others' calls are not held up. The
     * semaphores are fair: waiters are served in arrival order. A non-fair one (the default)
     * lets a thread asking just as a permit is released take it before those waiting,
     * whenever it wins that race.
     */
    <T> T call(String downstream, Callable<T> task) throws Exception {
        Semaphore permits = semaphores.get(downstream);
        permits.acquire();
        try {
            return task.call();
        } finally {
            permits.release();
        }
    }

    /**
     * Like call, but throws Rejected at once when the downstream has no permit free. The untimed
     * tryAcquire() ignores fairness: it takes a free permit even while others are queued for it;
     * tryAcquire(0, TimeUnit.SECONDS) is the form that respects the queue.
     */
    <T> T tryCall(String downstream, Callable<T> task) throws Exception {
        Semaphore permits = semaphores.get(downstream);
        if (!permits.tryAcquire()) {
            throw new Rejected(downstream);
        }
        try {
            return task.call();
        } finally {
            permits.release();
        }
    }
}
// [/pattern]

public class Bulkhead {
    /** A caller: at its tick, {@code rounds} calls in a row to {@code to}; tryCall if {@code reject}. */
    record Call(String to, double at, Op op, Optional<Integer> rounds, Optional<Boolean> reject) {}

    record Input(Map<String, Integer> limits, List<Call> calls) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        Limits bulkhead = new Limits(in.limits());
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Call call : in.calls()) {
                callers.submit(() -> {
                    Suite.sleepUntil(call.at());
                    Callable<Object> op = () -> Suite.op(call.op());
                    for (int i = 0; i < call.rounds().orElse(1); i++) {
                        if (!call.reject().orElse(false)) {
                            bulkhead.call(call.to(), op);
                            continue;
                        }
                        try {
                            bulkhead.tryCall(call.to(), op);
                        } catch (Limits.Rejected e) {
                            Suite.trace("rejected", Map.of("op", call.op().id()));
                        }
                    }
                    return null;
                });
            }
        }
    }
}
