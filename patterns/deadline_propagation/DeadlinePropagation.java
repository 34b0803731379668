// A deadline that reaches nested calls, with StructuredTaskScopes nested in each other.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

final class ScopedDeadline {
    /**
     * Runs {@code task} in a scope that is cancelled after {@code timeout}: join() then throws
     * StructuredTaskScope.TimeoutException and the task's thread is interrupted. A scope opened
     * inside the task is nested in this one, so when this one is cancelled first its own join()
     * is interrupted too: the shorter deadline wins. (A preview API in Java 25.)
     */
    static <T> T withDeadline(Duration timeout, Callable<T> task) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(
                Joiner.<T>awaitAllSuccessfulOrThrow(), config -> config.withTimeout(timeout))) {
            Subtask<T> subtask = scope.fork(task);
            scope.join();
            return subtask.get();
        }
    }

    /** Runs {@code first}, then the nested call {@code second}, within {@code deadline}. */
    static <T> List<T> handle(Callable<T> first, Callable<T> second, Duration deadline, Duration inner)
            throws InterruptedException {
        return withDeadline(deadline, () -> {
            T a = first.call();
            T b = withDeadline(inner, second);
            return List.of(a, b);
        });
    }
}
// [/pattern]

public class DeadlinePropagation {
    record Input(Op first, Op second, double outer, double inner) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        try {
            List<Object> values = ScopedDeadline.handle(
                    () -> Suite.op(in.first()), () -> Suite.op(in.second()),
                    Suite.ticks(in.outer()), Suite.ticks(in.inner()));
            Suite.trace("result", Map.of("values", values));
        } catch (StructuredTaskScope.TimeoutException e) {
            Suite.trace("error", Map.of("error", "timeout"));
        } catch (StructuredTaskScope.FailedException e) {
            // The nested scope's timeout reaches the outer one as its subtask's failure.
            boolean timedOut = e.getCause() instanceof StructuredTaskScope.TimeoutException;
            Suite.trace("error", Map.of("error", timedOut ? "timeout" : Suite.label(e)));
        }
    }
}
