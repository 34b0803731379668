// As completed with an ExecutorCompletionService: each result is handled as soon as it is ready.
package patterns;

import java.util.ArrayList;
import java.util.Map;
import java.util.concurrent.Executors;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Consumer;

final class Completion {
    /**
     * Submits every task and hands each finished future to {@code handle} in completion order:
     * an ExecutorCompletionService queues futures as they complete, and take() waits for the
     * next one.
     */
    static <T> void forEachCompleted(
            List<Callable<T>> tasks, ExecutorService executor, Consumer<Future<T>> handle)
            throws InterruptedException {
        var completion = new ExecutorCompletionService<T>(executor);
        tasks.forEach(completion::submit);
        for (int i = 0; i < tasks.size(); i++) {
            handle.accept(completion.take());
        }
    }
}
// [/pattern]

public class AsCompleted {
    record Input(List<Op> ops) {}

    public static void run(Json input) throws InterruptedException {
        List<Callable<Object>> tasks = input.as(Input.class).ops().stream()
                .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        List<Object> values = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            Completion.forEachCompleted(tasks, executor, future -> {
                switch (future.state()) {
                    case SUCCESS -> {
                        Suite.trace("next", Map.of("value", future.resultNow()));
                        values.add(future.resultNow());
                    }
                    default -> Suite.trace("next", Map.of("error", Suite.label(future.exceptionNow())));
                }
            });
        }
        Suite.trace("result", Map.of("values", values));
    }
}
