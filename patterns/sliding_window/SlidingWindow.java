// A sliding-window rate limiter: at most `limit` calls in any `window`, under a ReentrantLock.
package patterns;

import java.util.List;
import java.util.Map;

import suite.Json;
import suite.Suite;

// [pattern]
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.locks.ReentrantLock;

/**
 * At most {@code limit} calls in any {@code window} (in the unit of the times given to
 * tryAcquire). Safe for concurrent callers.
 */
final class Limiter {
    private final ReentrantLock lock = new ReentrantLock();
    private final Deque<Long> allowed = new ArrayDeque<>(); // oldest first
    private final int limit;
    private final long window;

    Limiter(int limit, long window) {
        this.limit = limit;
        this.window = window;
    }

    boolean tryAcquire(long now) {
        lock.lock();
        try {
            // The window is (now - window, now]: a call exactly window ago has left it.
            while (!allowed.isEmpty() && allowed.peekFirst() <= now - window) {
                allowed.removeFirst();
            }
            if (allowed.size() >= limit) {
                return false; // denied calls are not logged
            }
            allowed.addLast(now);
            return true;
        } finally {
            lock.unlock();
        }
    }
}
// [/pattern]

public class SlidingWindow {
    record Call(String id, long at) {}

    record Input(int limit, long window, List<Call> calls) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        Limiter limiter = new Limiter(in.limit(), in.window());
        for (Call call : in.calls()) {
            Suite.sleepUntil(call.at());
            Suite.trace(limiter.tryAcquire(call.at()) ? "allow" : "deny", Map.of("call", call.id()));
        }
    }
}
