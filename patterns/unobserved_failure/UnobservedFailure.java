// A CompletableFuture that fails and that nobody joins: the exception stays in it, unseen.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

// [pattern]
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

final class Background {
    /**
     * Starts {@code background} on the common pool and goes on with {@code main}, dropping the
     * future. An exception thrown in it completes the future exceptionally and stays there: no
     * thread dies of it, nothing is printed, and the program goes on as if it had not happened.
     */
    static <T> T withBackground(Supplier<?> background, Supplier<T> main) {
        CompletableFuture.supplyAsync(background); // nobody joins it
        return main.get();
    }
}
// [/pattern]

public class UnobservedFailure {
    record Input(Op background, Op main) {}

    public static void run(Json input) {
        Input in = input.as(Input.class);
        Object value = Background.withBackground(() -> Suite.op(in.background()), () -> Suite.op(in.main()));
        Suite.trace("result", Map.of("value", value));
    }
}
