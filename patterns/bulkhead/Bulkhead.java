package patterns;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;

import suite.Json;
import suite.Suite;

public class Bulkhead {
    // [pattern]
    /** A concurrency limit per downstream: a Semaphore per name. */
    static final class Limits {
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

        /** Like call, but throws Rejected at once when the downstream has no permit free. */
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

    /** The downstream is at its limit. */
    static final class Rejected extends Exception {
        Rejected(String downstream) {
            super(downstream + " is at its limit");
        }
    }
    // [/pattern]

    public static void run(Json input) {
        Map<String, Integer> limits = new HashMap<>();
        ((Map<?, ?>) input.get("limits").value())
                .forEach((name, limit) -> limits.put((String) name, ((Number) limit).intValue()));
        Limits bulkhead = new Limits(limits);
        try (ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (Json call : input.get("calls").list()) {
                callers.submit(() -> {
                    Suite.sleepUntil(call.get("at").asDouble());
                    int rounds = call.has("rounds") ? call.get("rounds").asInt() : 1;
                    boolean reject = call.has("reject") && call.get("reject").asBoolean();
                    Callable<Object> op = () -> Suite.op(call.get("op"));
                    for (int i = 0; i < rounds; i++) {
                        if (!reject) {
                            bulkhead.call(call.get("to").string(), op);
                            continue;
                        }
                        try {
                            bulkhead.tryCall(call.get("to").string(), op);
                        } catch (Rejected e) {
                            Suite.trace("rejected", Map.of("op", call.get("op").get("id").string()));
                        }
                    }
                    return null;
                });
            }
        }
    }
}
