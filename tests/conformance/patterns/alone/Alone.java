package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;

public class Alone {
    record Input(boolean fail) {}

    public static void run(Json input) throws InterruptedException {
        Suite.trace("step", Map.of("n", 1));
        if (input.as(Input.class).fail()) {
            Thread.ofPlatform().start(() -> {
                throw new IllegalStateException("conformance unobserved");
            }).join();
        }
    }
}
