package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;

public class Flood {
    record Input(long lines) {}

    public static void run(Json input) {
        long lines = input.as(Input.class).lines();
        for (long i = 0; i < lines; i++) {
            System.out.println("conformance flood line " + i);
        }
        Suite.trace("step", Map.of("n", 1));
    }
}
