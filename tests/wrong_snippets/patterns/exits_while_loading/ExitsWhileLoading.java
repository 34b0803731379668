// Deliberately wrong: ends the process when the class is initialised, before any request.
package patterns;

import java.util.Map;

import suite.Json;
import suite.Suite;
import suite.Suite.Op;

public class ExitsWhileLoading {
    static {
        System.exit(3);
    }

    record Input(Op op) {}

    public static void run(Json input) {
        Suite.trace("result", Map.of("value", Suite.op(input.as(Input.class).op())));
    }
}
