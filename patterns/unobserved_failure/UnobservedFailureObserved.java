// A CompletableFuture whose failure is handled where it happens, by exceptionally.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Supplier;

final class ObservedBackground {
    /**
     * Starts {@code background} on the common pool and goes on with {@code main}; nobody joins
     * the future, but {@code exceptionally} hands its exception (a CompletionException wrapping
     * what was thrown) to {@code onError} when it fails.
     */
    static <T> T withBackground(Supplier<?> background, Consumer<Throwable> onError, Supplier<T> main) {
        CompletableFuture.supplyAsync(background).exceptionally(error -> {
            onError.accept(error);
            return null;
        });
        return main.get();
    }
}
// [/pattern]

public class UnobservedFailureObserved {
    record Input(Op background, Op main) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        Object value = ObservedBackground.withBackground(
                () -> Suite.op(in.background()),
                error -> Suite.trace("error", Map.of("error", Suite.label(error))),
                () -> Suite.op(in.main()));
        Suite.trace("result", Map.of("value", value));
    }
}
