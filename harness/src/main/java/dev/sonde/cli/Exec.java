package dev.sonde.cli;

import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Replaces this process with another program, as a shell's {@code exec} does: POSIX
 * {@code execve(2)} through the foreign-function API (final in Java 22). The process keeps its id,
 * its standard streams and its parent, so a signal, {@code kill -9}, an exit code or
 * {@code /usr/bin/time} reach the new program as if it had been started directly.
 *
 * <p>The code is compiled for Java 21, where that API is still a preview, so it is reached by
 * reflection; on Java 21 and wherever the call is refused (no native access, no {@code execve})
 * {@link #replace} returns false and the caller goes on in this process.
 */
final class Exec {
    private Exec() {}

    /**
     * Runs {@code program} with {@code argv} (argv[0] first) and exactly {@code env} in place of
     * this process. Returns only when that cannot be done, with this process untouched.
     */
    static boolean replace(String program, List<String> argv, Map<String, String> env) {
        if (Runtime.version().feature() < 22) {
            return false;
        }
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> addressLayoutType = Class.forName("java.lang.foreign.AddressLayout");
            Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> arenaType = Class.forName("java.lang.foreign.Arena");

            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object lookup = linkerType.getMethod("defaultLookup").invoke(linker);
            Optional<?> execve = (Optional<?>) Class.forName("java.lang.foreign.SymbolLookup").getMethod("find", String.class).invoke(lookup, "execve");
            if (execve.isEmpty()) {
                return false;
            }
            Object address = valueLayoutType.getField("ADDRESS").get(null);
            Object[] arguments = (Object[]) Array.newInstance(layoutType, 3);
            java.util.Arrays.fill(arguments, address);
            Object descriptor = descriptorType.getMethod("of", layoutType, arguments.getClass())
                    .invoke(null, valueLayoutType.getField("JAVA_INT").get(null), arguments);
            MethodHandle call = (MethodHandle) linkerType.getMethod("downcallHandle", segmentType, descriptorType, optionType.arrayType())
                    .invoke(linker, execve.get(), descriptor, Array.newInstance(optionType, 0));

            Object arena = arenaType.getMethod("ofAuto").invoke(null);
            Method string = arenaType.getMethod("allocateFrom", String.class);
            Method array = arenaType.getMethod("allocate", layoutType, long.class);
            Method set = segmentType.getMethod("setAtIndex", addressLayoutType, long.class, segmentType);
            Object none = segmentType.getField("NULL").get(null);
            List<String> pairs = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
            Object[] vectors = new Object[2];
            int v = 0;
            for (List<String> strings : List.of(argv, pairs)) {
                Object vector = array.invoke(arena, address, strings.size() + 1L);
                for (int i = 0; i < strings.size(); i++) {
                    set.invoke(vector, address, (long) i, string.invoke(arena, strings.get(i)));
                }
                set.invoke(vector, address, (long) strings.size(), none);
                vectors[v++] = vector;
            }
            System.out.flush();
            System.err.flush();
            call.invokeWithArguments(string.invoke(arena, program), vectors[0], vectors[1]);
            return false; // execve returns only when it failed (errno), with this process as it was
        } catch (Throwable refused) {
            // no foreign-function access (e.g. --illegal-native-access=deny) or no such call: run here
            if (env.containsKey("SONDE_DEBUG")) {
                System.err.println("sonde: runs without relaunching: " + refused);
            }
            return false;
        }
    }
}
