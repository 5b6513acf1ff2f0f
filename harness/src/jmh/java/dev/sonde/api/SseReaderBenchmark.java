package dev.sonde.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SSE hot path: a 204-event Messages stream (message_start, 200 text deltas, stops) fed in
 * 1 KiB chunks through {@link SseParser} into {@link StreamAssembler}, as the client does. Scores
 * are per event; MB/s = stream bytes / (score × events).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SseReaderBenchmark {
    static final int EVENTS = 204;
    private final ObjectMapper json = new ObjectMapper();
    private byte[] stream;

    @Setup
    public void setup() {
        StringBuilder sb = new StringBuilder();
        sb.append("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\","
                + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-6\",\"content\":[],\"stop_reason\":null,"
                + "\"usage\":{\"input_tokens\":812,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n");
        sb.append("event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
        for (int i = 0; i < 200; i++) {
            sb.append("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":"
                    + "{\"type\":\"text_delta\",\"text\":\" harbour").append(i).append("\"}}\n\n");
        }
        sb.append("event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":400}}\n\n");
        sb.append("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
        stream = sb.toString().getBytes(StandardCharsets.UTF_8);
        System.out.println("stream bytes: " + stream.length);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public Exchange parseAndAssemble() {
        StreamAssembler assembler = new StreamAssembler(json, 0, "claude-sonnet-4-6");
        SseParser parser = new SseParser(assembler);
        long t = 1;
        for (int off = 0; off < stream.length; off += 1024) {
            parser.feed(ByteBuffer.wrap(stream, off, Math.min(1024, stream.length - off)), t++);
        }
        return assembler.toExchange(200, "req", ServerHints.NONE);
    }

    @Benchmark
    @OperationsPerInvocation(EVENTS)
    public int parseOnly() {
        int[] count = {0};
        SseParser parser = new SseParser((e, d, at) -> count[0] += d.length());
        for (int off = 0; off < stream.length; off += 1024) {
            parser.feed(ByteBuffer.wrap(stream, off, Math.min(1024, stream.length - off)), off);
        }
        return count[0];
    }
}
