// Structured concurrency: a StructuredTaskScope returns only once every child has finished.
package patterns;

import java.time.Duration;
import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.StructuredTaskScope.Joiner;
import java.util.concurrent.StructuredTaskScope.Subtask;

final class Structured {
    /**
     * Runs every child in its own virtual thread and returns their values in input order. The
     * first failure cancels the scope, which interrupts the other children; join() then throws a
     * FailedException caused by that failure, and close() (the end of the try block) waits until
     * every child thread has finished, cleanup included, before it reaches the caller.
     * (StructuredTaskScope is a preview API in Java 25.)
     */
    static <T> List<T> scope(List<Callable<T>> children) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<T>awaitAllSuccessfulOrThrow())) {
            List<Subtask<T>> subtasks = children.stream().map(scope::fork).toList();
            scope.join();
            return subtasks.stream().map(Subtask::get).toList();
        }
    }
}
// [/pattern]

public class StructuredConcurrency {
    record Input(List<Op> children, double cleanup) {}

    public static void run(Json input) throws InterruptedException {
        Input in = input.as(Input.class);
        Duration cleanup = Suite.ticks(in.cleanup());
        List<Callable<Object>> children = in.children().stream()
                .<Callable<Object>>map(spec -> () -> child(spec, cleanup))
                .toList();
        try {
            Suite.trace("result", Map.of("values", Structured.scope(children)));
        } catch (StructuredTaskScope.FailedException e) {
            Suite.trace("error", Map.of("error", Suite.label(e.getCause())));
        }
    }

    /** A child: its op, then its cleanup however it ended. */
    private static Object child(Op spec, Duration cleanup) throws InterruptedException {
        String id = spec.id();
        try {
            return Suite.op(spec);
        } finally {
            // A cancelled child arrives here interrupted: clear it, or the cleanup's own sleep
            // would be cut short at once.
            Thread.interrupted();
            Suite.trace("cleanup", Map.of("child", id));
            Thread.sleep(cleanup);
            Suite.trace("cleaned", Map.of("child", id));
        }
    }
}
