package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;

public class StrayStdout {
    public static void run(Json input) {
        System.out.println("conformance stray");
        Suite.trace("step", Map.of("n", 1));
    }
}
