package patterns;

import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import suite.Json;
import suite.Suite;

public class Shapes {
    public static void run(Json input) {
        Suite.OpException failure = new Suite.OpException("boom");
        Suite.trace("error", Map.of("error", "bare", "shape", Suite.shape(failure)));
        CompletionException wrapped = new CompletionException(failure);
        Suite.trace("error", Map.of("error", "wrapped", "shape", Suite.shape(wrapped)));
        // Java holds further failures as the suppressed exceptions of the one thrown.
        RuntimeException several = new RuntimeException("several");
        several.addSuppressed(failure);
        several.addSuppressed(new Suite.OpException("bang"));
        Suite.trace("error", Map.of("error", "several", "shape", Suite.shape(several)));
        CompletableFuture<Object> task = new CompletableFuture<>();
        task.cancel(true);
        try {
            task.join();
        } catch (CancellationException cancelled) {
            Suite.trace("error", Map.of("error", "cancelled", "shape", Suite.shape(cancelled)));
        }
    }
}
