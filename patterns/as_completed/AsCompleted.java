package patterns;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

public class AsCompleted {
    // [pattern]
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
    // [/pattern]

    record Input(List<Op> ops) {}

    public static void run(Json input) throws InterruptedException {
        List<Callable<Object>> tasks = input.as(Input.class).ops().stream()
                .<Callable<Object>>map(spec -> () -> Suite.op(spec))
                .toList();
        List<Object> values = new ArrayList<>();
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            forEachCompleted(tasks, executor, future -> {
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
