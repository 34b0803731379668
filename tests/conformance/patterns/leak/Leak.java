package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;

public class Leak {
    record Input(String mode) {}

    public static void run(Json input) {
        Suite.trace("step", Map.of("n", 1));
        switch (input.as(Input.class).mode()) {
            case "trace" -> Thread.ofVirtual().start(() -> {
                try {
                    Suite.sleepUntil(1.5);
                    Suite.trace("step", Map.of("n", 2));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            case "forever" -> Thread.ofVirtual().start(Leak::waitForEver);
            default -> { }
        }
    }

    private static void waitForEver() {
        try {
            Thread.sleep(Long.MAX_VALUE);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
