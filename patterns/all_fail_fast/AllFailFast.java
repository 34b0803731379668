// Fail fast with StructuredTaskScope: the first failure interrupts the other subtasks.
package patterns;

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

final class FailFast {
    /**
     * Runs every task in its own virtual thread and returns their results in order. The first
     * failure cancels the scope: the other subtasks are interrupted and join() throws a
     * FailedException caused by that failure. (StructuredTaskScope is a preview API in Java 25.)
     */
    static <T> List<T> all(List<Callable<T>> tasks) throws InterruptedException {
        try (var scope = StructuredTaskScope.open(Joiner.<T>awaitAllSuccessfulOrThrow())) {
            List<Subtask<T>> subtasks = tasks.stream().map(scope::fork).toList();
            scope.join();
            return subtasks.stream().map(Subtask::get).toList();
        } // close() waits until the interrupted subtasks have finished
    }
}
// [/pattern]

public class AllFailFast {
    record Input(List<Op> ops) {}

    public static void run(Json input) throws InterruptedException {
        List<Callable<Object>> tasks = input.as(Input.class).ops().stream()
                .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        try {
            Suite.trace("result", Map.of("values", FailFast.all(tasks)));
        } catch (StructuredTaskScope.FailedException e) {
            Suite.trace("error", Map.of("error", Suite.label(e.getCause()), "shape", Suite.shape(e)));
        }
    }
}
