package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;

public class Raises {
    public static void run(Json input) {
        Suite.trace("step", Map.of("n", 1));
        throw new IllegalStateException("conformance boom");
    }
}
